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
    screens = phone.run_interview(STROKE)
    assert screens == 2  # what is happening now, then age and how long: it is settled
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


def test_a_grouped_journey_on_a_phone_gives_a_plan_in_ten_screens(phone: Person) -> None:
    phone.open("/")
    phone.page.get_by_role("button", name="Start").click()
    expect(phone.page.get_by_text("Step 1 of about")).to_be_visible()
    screens = phone.run_interview(SPASM, audit_kinds=True)
    assert 3 < screens <= 10
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
    width = phone.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    phone.audit()
    assert phone.foreign_requests() == []
    assert phone.console_errors == []


def test_a_grid_row_left_unanswered_is_asked_again_not_taken_as_no(phone: Person) -> None:
    phone.open("/interview")
    expect(phone.page.locator("fieldset.row")).to_have_count(5)
    phone.choose("chest_pain", False)
    phone.choose("one_side_body_weakness", False)
    phone.page.get_by_role("button", name="Next").click()
    expect(phone.page.get_by_role("alert")).to_have_text(
        "Please answer every question on this page."
    )
    expect(phone.page.locator("fieldset.missing")).to_have_count(3)
    checked = phone.page.locator("input:checked")
    expect(checked).to_have_count(2)  # the two answers given are kept, nothing else is ticked
    phone.audit()
    phone.screenshot("grid-missing-row")
    phone.answer_screen(dict.fromkeys(phone.rows(), False))
    assert phone.rows()[:2] == ["age", "sex"]


def test_answers_swap_in_place_with_javascript(phone: Person) -> None:
    phone.open("/interview")
    phone.page.evaluate("() => { window.stillHere = true; }")
    phone.none_of_these()
    assert phone.page.evaluate("() => window.stillHere === true")  # htmx swapped <main>
    expect(phone.page).to_have_title(re.compile("^About you and the pain"))
    expect(phone.page.locator("main h1")).to_be_focused()
    phone.screenshot("grid-the-pain")
    phone.audit()


def test_back_undoes_the_last_screen(phone: Person) -> None:
    phone.open("/interview")
    phone.none_of_these()
    phone.answer_screen(
        {
            "age": 50,
            "sex": "female",
            "pain_duration_days": 10,
            "pain_severity": 4,
            "pain_course": "improving",
            "pain_region": "lower_back",
            "onset_sudden": False,
        }
    )
    assert phone.step() == 3
    phone.back()
    assert phone.rows()[0] == "age" and phone.step() == 2
    phone.back()
    assert phone.rows()[0] == "chest_pain" and phone.step() == 1
    expect(phone.page.locator('button[value="back"]')).to_have_count(0)


def test_back_from_the_result_reopens_the_last_screen(phone: Person) -> None:
    phone.open("/interview")
    phone.run_interview(STROKE)
    phone.back()
    assert phone.rows() == ["age", "pain_duration_days"]
    phone.answer_screen({"age": 67, "pain_duration_days": 1})
    assert phone.at_result()


def test_not_sure_on_a_grid_row_counts_as_unknown_and_moves_on(phone: Person) -> None:
    phone.open("/interview")
    for _ in range(10):
        unsure = [
            n
            for n in phone.rows()
            if phone.page.locator(f'input[name="a.{n}"][value="unsure"]').count()
        ]
        if unsure:
            break
        phone.answer_screen({n: phone.simulate({"id": n}, SPASM) for n in phone.rows()})
    answers = {n: phone.simulate({"id": n}, SPASM) for n in phone.rows()}
    answers[unsure[0]] = "unsure"
    step = phone.step()
    phone.answer_screen(answers)
    assert phone.step() == step + 1 or phone.at_result()
    assert unsure[0] not in phone.rows()


def test_whole_interview_works_without_javascript(no_js: Person) -> None:
    no_js.open("/")
    no_js.page.get_by_role("button", name="Start").click()
    no_js.run_interview(STROKE)
    assert no_js.page.url.endswith("/interview")  # each screen was a real form post
    expect(no_js.page.get_by_role("link", name="Call 112")).to_be_visible()
    no_js.back()
    no_js.answer_screen({"age": 67, "pain_duration_days": 1})
    no_js.back()
    no_js.back()
    assert no_js.rows()[0] == "chest_pain"
    no_js.answer_screen(dict.fromkeys(no_js.rows(), False))
    screens = no_js.run_interview({**SPASM, **STROKE, "one_side_body_weakness": False})
    assert screens <= 10
    expect(no_js.page.locator("#level-title")).to_be_visible()
    no_js.page.get_by_role("button", name="Print or save this plan").click()
    expect(no_js.page.get_by_role("heading", name="What you told us")).to_be_visible()
