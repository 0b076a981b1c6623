"""A person in a real browser: the emergency path, the self-care path, back, and no JavaScript."""

from __future__ import annotations

import re

from person import Person
from playwright.sync_api import expect

STROKE = {"age": 67, "pain_duration_days": 1, "one_side_body_weakness": True}
SPASM = {
    "age": 34,
    "sex": "male",
    "pain_duration_days": 2,
    "pain_severity": 6,
    "onset_sudden": True,
    "trigger_lifting": True,
    "muscle_spasms": True,
    "pain_worse_with_movement": True,
}


def test_emergency_stops_early_with_a_call_link(phone: Person) -> None:
    phone.open("/")
    phone.audit()
    phone.page.get_by_role("button", name="Start").click()
    asked = phone.run_interview(STROKE)
    assert asked == 3  # age, duration, then the first warning sign settles it
    panel = phone.page.locator("section.emergency")
    expect(panel).to_be_visible()
    expect(panel.locator("h1")).to_have_text("Emergency: call an ambulance")
    call = panel.get_by_role("link", name="Call 112")
    expect(call).to_have_attribute("href", "tel:112")
    first_heading = phone.page.locator("main h1, main h2").first
    expect(first_heading).to_have_id("level-title")  # the care level comes first
    expect(phone.page.get_by_text("Keeping it away")).to_have_count(0)  # no self-care plan
    expect(phone.page.locator("ul.reasons li")).to_have_count(1)  # not every unasked sign
    expect(phone.page.get_by_text("Do not drive yourself")).to_be_visible()
    expect(phone.page.locator("a[href^='tel:']:visible")).to_have_count(1)  # one call link
    expect(phone.page.locator(".causes")).to_have_count(0)  # no causes in an emergency
    phone.audit()
    assert phone.foreign_requests() == []
    assert phone.console_errors == []


def test_self_care_path_gives_a_plan_by_stage(phone: Person) -> None:
    phone.open("/")
    phone.page.get_by_role("button", name="Start").click()
    asked = phone.run_interview(SPASM, audit_kinds=True)
    assert asked > 10
    expect(phone.page.locator("#level-title")).to_have_text("Look after it at home")
    expect(phone.page.locator("section.emergency")).to_have_count(0)
    expect(phone.page.locator("p.disclaimer")).to_contain_text("This is not a diagnosis.")
    expect(phone.page.get_by_role("heading", name="Get help if")).to_be_visible()
    expect(phone.page.locator(".by-when")).to_contain_text("Check in again by")
    # the plan by stage is folded away, one tap opens it
    expect(phone.page.get_by_role("heading", name="Now", exact=True)).to_be_hidden()
    phone.page.get_by_text("Your plan, step by step").click()
    for stage in ("Now", "The next 48 hours", "The next few weeks"):
        expect(phone.page.get_by_role("heading", name=stage, exact=True)).to_be_visible()
    assert phone.page.locator("ol.sources li").count() > 3
    phone.audit()
    assert phone.foreign_requests() == []
    assert phone.console_errors == []


def test_answers_swap_in_place_with_javascript(phone: Person) -> None:
    phone.open("/interview")
    phone.page.evaluate("() => { window.stillHere = true; }")
    phone.answer(50)
    assert phone.page.evaluate("() => window.stillHere === true")  # htmx swapped <main>
    expect(phone.page).to_have_title(re.compile("^How many days ago"))
    expect(phone.page.locator("main h1")).to_be_focused()


def test_back_undoes_the_last_answer(phone: Person) -> None:
    phone.open("/interview")
    phone.answer(50)
    phone.answer(10)
    assert phone.question() == "one_side_body_weakness"
    phone.back()
    assert phone.question() == "pain_duration_days"
    assert phone.asked() == 1
    phone.answer(3)
    assert phone.question() == "one_side_body_weakness"
    phone.answer(False)
    phone.back()
    phone.back()
    phone.back()
    assert phone.question() == "age" and phone.asked() == 0
    expect(phone.page.locator('button[value="back"]')).to_have_count(0)


def test_back_from_the_result_reopens_the_last_question(phone: Person) -> None:
    phone.open("/interview")
    phone.run_interview(STROKE)
    phone.back()
    assert phone.question() == "one_side_body_weakness"
    phone.answer(False)
    assert not phone.at_result()


def test_not_sure_counts_as_unknown_and_moves_on(phone: Person) -> None:
    phone.open("/interview")
    unsure = phone.page.get_by_role("button", name="I'm not sure")
    while not unsure.count():  # answer until a question offers "I'm not sure"
        phone.answer(phone.simulate({"id": phone.question()}, SPASM))
    question, asked = phone.question(), phone.asked()
    phone.unsure()
    assert phone.asked() == asked + 1
    assert phone.question() != question


def test_whole_interview_works_without_javascript(no_js: Person) -> None:
    no_js.open("/")
    no_js.page.get_by_role("button", name="Start").click()
    no_js.run_interview(STROKE)
    assert no_js.page.url.endswith("/interview")  # each answer was a real form post
    expect(no_js.page.get_by_role("link", name="Call 112")).to_be_visible()
    no_js.back()
    no_js.answer(False)
    no_js.run_interview({**SPASM, **STROKE, "one_side_body_weakness": False})
    expect(no_js.page.locator("#level-title")).to_be_visible()
    no_js.page.get_by_role("button", name="Print or save this plan").click()
    expect(no_js.page.get_by_role("heading", name="What you told us")).to_be_visible()
    expect(no_js.page.locator("[data-print]")).to_be_hidden()  # no script ran to show it
    assert no_js.foreign_requests() == []
