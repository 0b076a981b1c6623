"""A deployment's own phone numbers reach every face, over HTTP.

The service here runs with emergency number 112 and urgent line 116117: no result page, print
view, CDS Hooks card, FHIR result, diary page or clinician summary may then tell a person to
call 999 or 111. Sources may quote them (they quote the source), so the sources fold is left
out of what is checked.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from backspasm.engine.answers import validate_answers
from backspasm.evaluation import load_cases, run_case
from backspasm.fhir.cds_hooks import SERVICE_ID
from backspasm.fhir.responses import response_for
from tests.support.knowledge import knowledge
from tests.support.paths import ROOT
from tests.support.web_fixtures import SERVER_SETTINGS, start_server

ABROAD = {
    **SERVER_SETTINGS,
    "BACKSPASM_EMERGENCY_NUMBER": "112",
    "BACKSPASM_URGENT_NUMBER": "116117",
    "BACKSPASM_CDS_ALLOW_UNSIGNED": "yes",
    "BACKSPASM_RATE_LIMIT": "1000000/minute",
}
UK_NUMBERS = re.compile(r"\b(999|111)\b")
SOURCES_FOLD = re.compile(r'<details class="fold sources-fold".*?</details>', re.S)


@cache
def public_answers() -> tuple[tuple[str, dict[str, Any]], ...]:
    """Every public evaluation case's stated answers (cases/*.yaml; the blind set is not read)."""
    kb = knowledge()
    cases = load_cases(kb, sorted((ROOT / "cases").glob("*.yaml")))
    return tuple((case.id, dict(validate_answers(kb, case.facts))) for case in cases)


def told(html: str) -> str:
    """The words a person reads, without the sources (which quote their own numbers)."""
    text = re.sub(r"<[^>]+>", " ", SOURCES_FOLD.sub(" ", html))
    return " ".join(text.split())


@pytest.fixture(scope="module")
def abroad() -> Iterator[httpx.Client]:
    process, url = start_server(ABROAD)
    with httpx.Client(base_url=url, timeout=30) as client:
        yield client
    process.terminate()
    process.wait(timeout=10)


def test_the_public_cases_cover_every_number_placeholder() -> None:
    from backspasm.engine.assessment import assess

    kb = knowledge()
    shown = " ".join(assess(kb, answers).model_dump_json() for _, answers in public_answers())
    assert "{emergency_number}" in shown and "{urgent_number}" in shown


def test_no_result_or_print_view_says_999_where_the_number_is_112(abroad: httpx.Client) -> None:
    emergencies = 0
    for case_id, answers in public_answers():
        printed = abroad.post("/print", data={"answers": json.dumps(answers)})
        # on screen: the result, or the next question where the case states too little
        shown = abroad.post("/interview", data={"answers": json.dumps(answers), "action": "show"})
        for page in (printed, shown):
            assert page.status_code == 200, case_id
            words = told(page.text)
            assert not UK_NUMBERS.search(words), (case_id, UK_NUMBERS.findall(words))
            assert "{" not in words, case_id  # no placeholder left unfilled
        if 'class="level emergency"' in printed.text:
            emergencies += 1
            assert "Call 112" in told(printed.text), case_id
    assert emergencies >= 50


def test_the_api_result_carries_the_deployments_numbers(abroad: httpx.Client) -> None:
    for case_id, answers in public_answers()[:60]:
        reply = abroad.post("/api/v1/assessments", json={"answers": answers})
        assert reply.status_code == 200, case_id
        result = reply.json()
        del result["answers"]
        texts = json.dumps(
            {key: value for key, value in result.items() if key not in ("reasons", "plan")}
        )
        texts += " ".join(r["tell"] for r in result["reasons"])
        texts += " ".join(p["title"] + p["text"] for p in result["plan"])
        assert not UK_NUMBERS.search(texts) and "_number}" not in texts, case_id


def test_cds_cards_and_fhir_results_say_112(abroad: httpx.Client) -> None:
    kb = knowledge()
    for case_id, answers in public_answers():
        body = {
            "hook": "patient-view",
            "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/example", "patientId": "1288992"},
            "prefetch": {"intake": response_for(kb, answers)},
        }
        reply = abroad.post(f"/cds-services/{SERVICE_ID}", json=body)
        assert reply.status_code == 200, (case_id, reply.text)
        for card in reply.json()["cards"]:
            words = card["summary"] + card["detail"]
            assert not UK_NUMBERS.search(words) and "_number}" not in words, case_id
    case_id, answers = public_answers()[0]
    bundle = abroad.post("/fhir/QuestionnaireResponse", json=response_for(kb, answers)).json()
    plans = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"]
    activities = json.dumps([a["detail"]["description"] for a in plans[0]["activity"]])
    assert not UK_NUMBERS.search(activities) and "_number}" not in activities


def test_the_diary_and_the_clinician_summary_say_112(abroad: httpx.Client, tmp_path: Path) -> None:
    kb = knowledge()
    picked: dict[str, tuple[str, dict[str, Any]]] = {}
    for case in load_cases(kb, sorted((ROOT / "cases").glob("*.yaml"))):
        interviewed = run_case(kb, case)  # one person per care level, asked as the interview asks
        picked.setdefault(interviewed.got, (case.id, dict(interviewed.assessment.answers)))
        if len(picked) == 5:
            break
    for case_id, answers in picked.values():
        started = abroad.post("/api/episodes", json={"answers": answers})
        assert started.status_code == 201, (case_id, started.text)
        token = started.json()["token"]
        entry = {"day": "2026-11-30", "pain": 8, "function": 3, "spasms": "many"}
        added = abroad.post(
            f"/api/episodes/{token}/diary", json={**entry, "new_symptoms": ["fever"]}
        )
        for reply in (started, added, abroad.get(f"/api/episodes/{token}")):  # programs, too
            assert "_number}" not in reply.text, case_id
        for path in (f"/diary/{token}", f"/diary/{token}/summary"):
            words = told(abroad.get(path).text)
            assert not UK_NUMBERS.search(words) and "_number}" not in words, (case_id, path)
        if case_id != picked["consultation_24"][0]:
            continue  # the PDF is the same summary: one is enough (WeasyPrint is slow)
        pdf = tmp_path / f"{case_id}.pdf"
        pdf.write_bytes(abroad.get(f"/diary/{token}/summary.pdf").content)
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert not UK_NUMBERS.search(text) and "_number}" not in text, case_id


def test_without_numbers_set_the_texts_say_what_to_call_in_words() -> None:
    from backspasm.engine.assessment import assess, with_numbers
    from backspasm.web.settings import load_settings
    from backspasm.web.views import result_view

    kb = knowledge()
    unset = load_settings({}, emergency_number="", urgent_number="")
    for case_id, answers in public_answers():
        view = result_view(kb, assess(kb, answers), unset, "")
        words = " ".join(
            [view.headline, *(item.text for item in view.now_actions)]
            + [reason.text for reason in view.reasons]
            + [item.text for stage in view.stages for item in stage.items]
        )
        assert "{" not in words and not UK_NUMBERS.search(words), case_id
        assert not view.tel_href, case_id  # no call link without a number
    chest_pain = {"age": 40, "sex": "male", "pain_duration_days": 2, "chest_pain": True}
    told = with_numbers(assess(kb, chest_pain), unset.numbers())  # as the API gives it
    assert told.plan[0].text.startswith("Call your local emergency number now for an ambulance")


def test_a_diary_opened_in_possible_labour_rings_the_maternity_unit(abroad: httpx.Client) -> None:
    from tests.support.people import interviewed

    labour = {
        "age": 30,
        "sex": "female",
        "pain_duration_days": 0.1,
        "pain_severity": 6,
        "pregnant": True,
        "onset_sudden": True,
        "pregnancy_pain_waves": True,
    }
    started = abroad.post("/api/episodes", json={"answers": interviewed(knowledge(), labour)})
    assert started.status_code == 201
    page = abroad.get(f"/diary/{started.json()['token']}").text
    now = re.search(r'<section id="now".*?</section>', page, re.S)
    assert now is not None
    assert "<h2>Ring your maternity unit now</h2>" in now.group(0)
    assert 'class="call call-secondary" href="tel:112"' in now.group(0)
    assert "emergency department" not in told(now.group(0))


def test_the_clinician_faces_name_the_first_action_for_possible_labour(
    abroad: httpx.Client,
) -> None:
    from tests.support.people import interviewed

    kb = knowledge()
    labour = {"age": 30, "sex": "female", "pain_duration_days": 0.1, "pain_severity": 6}
    labour |= {"pregnant": True, "abdominal_pain": True, "onset_sudden": False}
    response = response_for(kb, interviewed(kb, labour))
    body = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/example", "patientId": "1288992"},
        "prefetch": {"intake": response},
    }
    card = abroad.post(f"/cds-services/{SERVICE_ID}", json=body).json()["cards"][0]
    assert card["indicator"] == "critical"
    assert card["summary"].startswith("Back pain intake: Ring your maternity unit now")
    level = card["detail"].splitlines()[0]  # the open rules below it keep their own words
    assert level.startswith("**Care level:** Ring your maternity unit now.")
    assert "Call 112 instead" in level and "emergency department" not in card["summary"] + level
    bundle = abroad.post("/fhir/QuestionnaireResponse", json=response).json()
    plan = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"
    )
    assert plan["description"].startswith("Ring your maternity unit now.")
