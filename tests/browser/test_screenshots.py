"""The main pages at phone and desktop sizes: screenshots for people to look at, and axe on each.

Saved under artifacts/screenshots/ (not committed). Each page is reached the way the app reaches
it: by posting the answers so far, exactly as its own forms do (the interview is run through
the API first; clicking through it is what test_interview does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from person import Person

from tests.support.people import SPASM

STROKE = {"age": 67, "pain_duration_days": 1, "one_side_body_weakness": True}
LABOUR = {
    "age": 30,
    "sex": "female",
    "pain_duration_days": 0.1,
    "pain_severity": 6,
    "pregnant": True,
    "onset_sudden": True,
    "pregnancy_pain_waves": True,
}
FEVER = {"age": 45, "sex": "female", "pain_duration_days": 4, "pain_severity": 7, "fever": True}


# Words in <main> whose line starts inside the first screen, the part read without scrolling.
WORDS_ABOVE_THE_FOLD = """() => {
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  let words = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.top < window.innerHeight && rect.height > 0) {
        words += node.textContent.trim().split(/\\s+/).filter(Boolean).length;
        break;
      }
    }
  }
  return words;
}"""


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_main_pages(
    size: str, request: pytest.FixtureRequest, complete: Callable[[dict[str, Any]], Any]
) -> None:
    person: Person = request.getfixturevalue(size)
    person.open("/")
    shots = [person.screenshot("1-start")]
    person.audit()
    person.open("/interview")
    shots.append(person.screenshot("2-screen-happening-now"))
    person.audit()
    person.none_of_these()
    shots.append(person.screenshot("3-screen-the-pain"))
    person.audit()
    for facts, name in (
        (SPASM, "4-result-self-care"),
        (FEVER, "5-result-24h"),
        (STROKE, "6-result-emergency"),
        (LABOUR, "6b-result-ring-maternity-unit"),
    ):
        person.open_state(complete(facts))
        shots.append(person.screenshot(name))
        person.audit()
        if facts is SPASM:
            words = person.page.evaluate(WORDS_ABOVE_THE_FOLD)
            assert 20 < words <= 150, f"{words} words above the fold"
        if facts is STROKE or facts is LABOUR:
            assert person.page.locator("a[href^='tel:']:visible").count() == 1
            assert person.page.locator("#causes-title, .causes").count() == 0
        if facts is LABOUR:  # one message: ring the maternity unit; the number as its fallback
            heading = person.page.locator("h1").inner_text()
            assert heading == "Ring your maternity unit now"
            assert person.page.locator(".call.call-secondary:visible").count() == 1
            assert "emergency department" not in person.page.locator("main").inner_text()
    person.open_state(complete(SPASM))
    person.page.get_by_role("button", name="Print or save this plan").click()
    shots.append(person.screenshot("7-print"))
    person.audit()
    person.open("/embed")
    shots.append(person.screenshot("8-embed"))
    person.audit()
    person.open("/nowhere")
    person.audit()
    assert all(path.stat().st_size > 5_000 for path in shots)
    assert person.foreign_requests() == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_diary_and_summary_pages(
    size: str, request: pytest.FixtureRequest, complete: Callable[[dict[str, Any]], Any]
) -> None:
    """The diary reached from a result, an entry that raises the level, the clinician summary
    and a wrong link: each looked at and checked with axe."""
    person: Person = request.getfixturevalue(size)
    person.open_state(complete(SPASM))
    person.page.get_by_role("button", name="Keep a diary of this episode").click()
    page = person.page
    page.wait_for_url("**/diary/*")
    diary = page.url.split("#")[0]
    shots = [person.screenshot("9-diary")]
    person.audit()
    page.locator("label:has(input[name=pain][value='7'])").click()
    page.locator("label:has(input[name=function][value='4'])").click()
    page.locator("label:has(input[name=spasms][value='some'])").click()
    page.locator("input[name=symptom][value=saddle_numbness]").check()
    page.get_by_role("button", name="Save today's entry").click()
    page.wait_for_url("**#now")
    shots.append(person.screenshot("10-diary-emergency"))
    person.audit()
    now = page.locator("#now")
    assert now.locator("a.call[href^='tel:']").count() == 1
    assert page.locator("a[href^='tel:']:visible").count() == 1
    assert "Do not drive yourself" in now.inner_text()
    person.page.goto(diary + "/summary")
    shots.append(person.screenshot("11-summary"))
    person.audit()
    assert "reported in the diary on" in page.content()
    person.page.goto(diary + "x")
    shots.append(person.screenshot("12-diary-wrong-link"))
    person.audit()
    assert all(path.stat().st_size > 5_000 for path in shots)
