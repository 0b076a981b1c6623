"""The exercise pages and the diary's programme in a real browser at phone size (390 px) and on a
desktop: screenshots for people to look at, axe on each page, and the diary's exercise report
moving the programme up a step as a person would fill it in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from person import Person

from tests.support.people import SPASM

FEVER = {"age": 45, "sex": "female", "pain_duration_days": 4, "pain_severity": 7, "fever": True}


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_exercise_pages_and_programme(
    size: str,
    request: pytest.FixtureRequest,
    http: httpx.Client,
    complete: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    person: Person = request.getfixturevalue(size)
    shots = []
    person.open("/exercises")
    shots.append(person.screenshot("20-exercise-library"))
    person.audit()
    person.page.get_by_role("link", name="Bird dog (opposite arm and leg)").first.click()
    assert person.page.get_by_role("heading", name="Bird dog (opposite arm and leg)").is_visible()
    assert person.page.get_by_role("img").first.get_attribute("alt")
    shots.append(person.screenshot("21-exercise-page"))
    person.audit()

    reply = http.post("/api/episodes", json={"answers": complete(SPASM)})
    token = reply.json()["token"]
    person.open(f"/diary/{token}")
    assert person.page.get_by_role(
        "heading", name="Your exercises today: Ease the pain: level 1 of 3"
    ).is_visible()
    person.page.get_by_label("Knee rolls").select_option(label="went fine")
    person.page.get_by_label("Highest pain during them (0-10)").select_option("3")
    person.page.get_by_label("The morning after, your back").select_option(label="had settled")
    page = person.page  # the entry form starts empty: pain, usual day and spasms are chosen
    page.locator("label:has(input[name=pain][value='5'])").click()
    page.locator("label:has(input[name=function][value='5'])").click()
    page.locator("label:has(input[name=spasms][value='some'])").click()
    person.page.get_by_role("button", name="Save today's entry").click()
    person.page.wait_for_url(f"**/diary/{token}#now")
    assert person.page.get_by_role(
        "heading", name="Your exercises today: Ease the pain: level 2 of 3"
    ).is_visible()
    shots.append(person.screenshot("22-diary-exercises"))
    person.audit()
    person.page.get_by_role("link", name="This week's programme with pictures").click()
    assert person.page.get_by_role("heading", name="Ease the pain: level 2 of 3").is_visible()
    shots.append(person.screenshot("23-programme"))
    assert person.console_errors == []  # (open_state's blank page asks for /favicon.ico)
    person.audit()

    person.open_state(complete(FEVER), "/print")
    assert person.page.get_by_role("heading", name="What happens at the appointment").is_visible()
    shots.append(person.screenshot("24-print-next-steps"))
    person.audit()
    assert all(path.stat().st_size > 5_000 for path in shots)
    assert person.foreign_requests() == []
