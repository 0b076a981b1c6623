"""The description box on a phone: what was read sits under the first question, which stays in
view, and each row is changed or removed in place."""

from __future__ import annotations

import json
import re

from person import Person
from playwright.sync_api import expect

STORY = (
    "My husband is 70 and his back has been killing him since yesterday after lifting a "
    "box, it's 8/10 and he has no fever"
)


def _answers(person: Person) -> dict[str, object]:
    raw = person.page.locator('form.question input[name="answers"]').get_attribute("value") or "{}"
    answers: dict[str, object] = json.loads(raw)
    return answers


def _saved_age(person: Person, age: int) -> None:
    """Wait for the page the change brought (the field shows what was typed before it)."""
    kept = person.page.locator('form.question input[name="answers"]')
    expect(kept).to_have_attribute("value", re.compile(rf'"age": ?{age}[,}}]'))


def test_what_was_read_is_listed_and_fixed_in_place_on_a_phone(phone: Person) -> None:
    phone.open("/")
    phone.page.locator("textarea#text").fill(STORY)
    phone.page.locator("form.describe button[type=submit]").first.click()
    phone.page.locator("section.understood").wait_for()
    heading = phone.page.locator("h1")
    expect(phone.page.locator("form.question legend").first).to_contain_text("he")  # about him
    legends = phone.page.locator("form.question legend").all_inner_texts()
    assert not any(re.search(r"\byou(r)?\b", text, re.IGNORECASE) for text in legends)
    box = heading.bounding_box()
    assert box is not None and box["y"] + box["height"] < 844  # above the fold on a phone
    first_choice = phone.page.locator("form.question .option").first.bounding_box()
    assert first_choice is not None and first_choice["y"] + first_choice["height"] < 844
    shown = phone.rows()
    phone.screenshot("9-understood")
    phone.audit()
    assert _answers(phone)["age"] == 70
    phone.page.locator("#edit-age").fill("71")
    phone.page.get_by_role("button", name="Age in whole years: save").click()
    _saved_age(phone, 71)
    expect(phone.page.locator("#edit-age")).to_have_value("71")
    assert _answers(phone)["age"] == 71
    phone.page.locator("#edit-age").fill("72")
    phone.page.locator("#edit-age").press("Enter")  # Enter saves the row, answers no question
    _saved_age(phone, 72)
    expect(phone.page.locator("#edit-age")).to_have_value("72")
    assert _answers(phone)["age"] == 72
    assert phone.step() == 1 and phone.rows() == shown  # still the first screen
    phone.page.get_by_role("button", name="Age in whole years: remove").click()
    expect(phone.page.locator("#edit-age")).to_have_count(0)
    assert "age" not in _answers(phone)
    phone.screenshot("10-understood-after-fixes")
    phone.audit()
    assert "fever" not in _answers(phone)  # denied red flag: asked again, not taken as read
