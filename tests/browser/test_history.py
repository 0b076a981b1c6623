"""Reload, the back gesture and forward in a real browser, with and without JavaScript: the
person's place and answers are kept, the site is never left, and no answer ever travels in an
address (servers log addresses)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from person import Person
from playwright.sync_api import expect

ABOUT = {
    "age": 41,
    "sex": "male",
    "pain_duration_days": 3,
    "pain_severity": 5,
    "pain_course": "unchanged",
    "pain_region": "lower_back",
    "onset_sudden": True,
}
STORY = "My husband is 70 and his back has been killing him since yesterday after lifting a box"


def _start(person: Person, story: str = "") -> None:
    person.open("/")
    if story:
        person.page.locator("textarea#text").fill(story)
    person.page.get_by_role("button", name="Start").click()
    _shown(person, 1)


def _to_the_third_screen(person: Person) -> None:
    _start(person)
    person.none_of_these()
    person.answer_screen(ABOUT)
    assert person.step() == 3


def _shown(person: Person, step: int) -> None:
    person.page.locator(f'main[data-step="{step}"]').wait_for()


def _answers(person: Person) -> dict[str, object]:
    kept = person.page.locator('main form[data-interview] input[name="answers"]')
    answers: dict[str, object] = json.loads(kept.get_attribute("value") or "{}")
    return answers


def _at_the_start(person: Person) -> None:
    expect(person.page.get_by_role("heading", name="Back pain check")).to_be_visible()


def _no_answers_in_addresses(person: Person) -> None:
    """Every address asked for is on the site, and its query is empty, `embed=1` or a file's
    version: never an answer."""
    for url in person.requests:
        assert url.startswith(person.server), url
        query = urlsplit(url).query
        assert query in ("", "embed=1") or query.startswith("v="), url


def test_reload_and_the_back_gesture_keep_the_place(phone: Person) -> None:
    _to_the_third_screen(phone)
    shown, answers = phone.rows(), _answers(phone)
    phone.page.reload()
    _shown(phone, 3)
    assert phone.rows() == shown and _answers(phone) == answers  # the same screen and answers
    phone.page.go_back()
    _shown(phone, 2)
    assert phone.rows()[0] == "age" and "age" not in _answers(phone)
    phone.page.go_back()
    _shown(phone, 1)
    assert phone.rows()[0] == "chest_pain"
    assert phone.page.url.startswith(phone.server)  # still on the site
    phone.page.go_forward()
    _shown(phone, 2)
    phone.page.go_forward()
    _shown(phone, 3)
    assert _answers(phone) == answers
    phone.page.go_back()
    _shown(phone, 2)
    phone.page.go_back()
    _shown(phone, 1)
    phone.page.go_back()
    _at_the_start(phone)
    assert phone.console_errors == []
    _no_answers_in_addresses(phone)


def test_a_reload_on_the_first_screen_keeps_what_was_read_and_whom_it_is_about(
    phone: Person,
) -> None:
    _start(phone, STORY)
    expect(phone.page.locator("section.understood")).to_be_visible()
    read, legend = _answers(phone), phone.page.locator("form.question legend").first.inner_text()
    assert read.get("age") == 70
    phone.page.reload()
    _shown(phone, 1)
    expect(phone.page.locator("section.understood")).to_be_visible()
    assert _answers(phone) == read
    assert phone.page.locator("form.question legend").first.inner_text() == legend  # "he"
    phone.page.go_back()
    _at_the_start(phone)
    phone.page.go_forward()
    _shown(phone, 1)
    expect(phone.page.locator("section.understood")).to_be_visible()
    assert _answers(phone) == read
    assert phone.console_errors == []
    _no_answers_in_addresses(phone)


def test_the_back_gesture_undoes_a_change_made_in_place(phone: Person) -> None:
    _start(phone, STORY)
    phone.page.locator("#edit-age").fill("71")
    phone.page.get_by_role("button", name="Age in whole years: save").click()
    kept = phone.page.locator('main form[data-interview] input[name="answers"]')
    expect(kept).to_have_attribute("value", re.compile(r'"age": ?71[,}]'))  # the new page
    phone.page.go_back()
    expect(phone.page.locator("#edit-age")).to_have_value("70")  # as it was read
    assert _answers(phone)["age"] == 70
    phone.page.go_forward()
    expect(phone.page.locator("#edit-age")).to_have_value("71")
    assert phone.console_errors == []


def test_two_quick_back_gestures_land_two_screens_back(phone: Person) -> None:
    _to_the_third_screen(phone)
    phone.page.go_back()
    phone.page.go_back()  # before the screen of the first one has arrived
    _shown(phone, 1)
    phone.page.wait_for_load_state("networkidle")
    assert phone.step() == 1 and _answers(phone) == {}  # no late reply put another screen on top
    phone.page.go_forward()
    _shown(phone, 2)


def test_a_reload_on_the_result_keeps_it_and_back_reopens_the_last_screen(phone: Person) -> None:
    _start(phone)
    phone.run_interview({"age": 67, "pain_duration_days": 1, "one_side_body_weakness": True})
    expect(phone.page.locator("#level-title")).to_be_visible()
    phone.page.reload()
    expect(phone.page.locator("#level-title")).to_have_text("Emergency: call an ambulance")
    phone.page.go_back()
    _shown(phone, 2)
    assert phone.rows() == ["age", "pain_duration_days"]
    assert _answers(phone)["one_side_body_weakness"] is True
    _no_answers_in_addresses(phone)


def test_leaving_the_site_and_coming_back_keeps_the_place(phone: Person) -> None:
    _to_the_third_screen(phone)
    answers = _answers(phone)
    phone.page.goto("about:blank")
    phone.page.go_back()
    _shown(phone, 3)
    assert _answers(phone) == answers
    _no_answers_in_addresses(phone)


def test_without_javascript_reload_and_the_back_gesture_keep_the_place(no_js: Person) -> None:
    _to_the_third_screen(no_js)
    answers = _answers(no_js)
    no_js.page.reload()  # posts the same answers again: the same screen
    _shown(no_js, 3)
    assert _answers(no_js) == answers
    no_js.page.go_back()  # the browser's own keep of the page (private, never shared)
    _shown(no_js, 2)
    assert no_js.rows()[0] == "age"
    no_js.page.go_back()
    _shown(no_js, 1)
    no_js.page.go_forward()
    _shown(no_js, 2)
    no_js.page.go_forward()
    _shown(no_js, 3)
    assert _answers(no_js) == answers
    no_js.answer_screen({n: no_js.simulate({"id": n}, ABOUT) for n in no_js.rows()})  # and on
    assert no_js.step() == 4 or no_js.at_result()
    _no_answers_in_addresses(no_js)
