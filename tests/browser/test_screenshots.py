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

SPASM = {
    "age": 34,
    "sex": "male",
    "pain_duration_days": 2,
    "pain_severity": 6,
    "muscle_spasms": True,
    "trigger_lifting": True,
}
STROKE = {"age": 67, "pain_duration_days": 1, "one_side_body_weakness": True}
FEVER = {"age": 45, "sex": "female", "pain_duration_days": 4, "pain_severity": 7, "fever": True}


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
    ):
        person.open_state(complete(facts))
        shots.append(person.screenshot(name))
        person.audit()
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
