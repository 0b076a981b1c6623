"""The JSON API over HTTP: the same results as the CLI, and 422s that name the field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.knowledge import knowledge
from tests.support.people import SPASM as SELF_CARE
from tests.support.web_fixtures import SERVER_SETTINGS


def test_questions_lists_every_finding(http: httpx.Client) -> None:
    kb = knowledge()
    body = http.get("/api/v1/questions").json()
    assert [q["id"] for q in body["questions"]] == list(kb.findings)
    assert body["knowledge"] == {"version": kb.version, "hash": kb.content_hash}
    sex = next(q for q in body["questions"] if q["id"] == "sex")
    assert [o["value"] for o in sex["options"]] == ["female", "male"]


def test_assessment_is_the_cli_json(http: httpx.Client, tmp_path: Path) -> None:
    """The same result, texts and all, with the same settings (the numbers fill the texts)."""
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(SELF_CARE))
    cli = subprocess.run(
        [sys.executable, "-m", "backspasm", "assess", "--answers", str(answers), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **SERVER_SETTINGS},
    )
    api = http.post("/api/v1/assessments", json={"answers": SELF_CARE})
    assert api.status_code == 200
    assert api.json() == json.loads(cli.stdout)


def test_interview_next_asks_then_finishes(http: httpx.Client) -> None:
    first = http.post("/api/v1/interview/next", json={}).json()
    assert first["done"] is False and first["result"] is None
    assert first["questions"][0]["id"] == "age"
    two = http.post("/api/v1/interview/next", json={"answers": {}, "limit": 2}).json()
    assert len(two["questions"]) == 2
    emergency = {"age": 60, "pain_duration_days": 1, "one_side_body_weakness": True}
    done = http.post("/api/v1/interview/next", json={"answers": emergency}).json()
    assert done["done"] is True and done["questions"] == []
    assert done["result"]["disposition"]["id"] == "emergency_ambulance"


def test_bad_answers_get_422_naming_field_and_reason(http: httpx.Client) -> None:
    response = http.post(
        "/api/v1/assessments", json={"answers": {"age": 300, "sex": "other", "nonsense": True}}
    )
    assert response.status_code == 422
    problems = {tuple(d["loc"]): d["msg"] for d in response.json()["detail"]}
    assert problems[("body", "answers", "age")].startswith("expected a number from 0 to 120")
    assert problems[("body", "answers", "sex")].startswith("expected one of female, male")
    assert "not a finding" in problems[("body", "answers", "nonsense")]


def test_unsure_only_where_allowed(http: httpx.Client) -> None:
    ok = http.post("/api/v1/assessments", json={"answers": {"fever": "unsure"}})
    assert ok.status_code == 200
    bad = http.post("/api/v1/assessments", json={"answers": {"age": "unsure"}})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "answers", "age"]


def test_malformed_bodies_are_422_not_500(http: httpx.Client) -> None:
    cases = [
        b"{not json",
        b'{"answers": [NaN]}',
        b'{"answers": {"age": 1e999}}',
        b'{"answers": {}, "extra": 1}',
        b'{"answers": {}, "limit": 0}',
        b"[]",
        b"\xff\x02",
    ]
    for body in cases:
        response = http.post(
            "/api/v1/interview/next", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, body
        assert response.json()["detail"][0]["loc"], body


def test_openapi_spells_out_every_answer(http: httpx.Client) -> None:
    kb = knowledge()
    schema = http.get("/openapi.json").json()
    answers = schema["components"]["schemas"]["Answers"]
    assert set(answers["properties"]) == set(kb.findings)
    assert answers["additionalProperties"] is False
    assert answers["properties"]["age"]["maximum"] == 120
    assert {"/api/v1/questions", "/api/v1/interview/next", "/api/v1/assessments"} <= set(
        schema["paths"]
    )
    request = schema["components"]["schemas"]["AssessmentRequest"]
    assert request["properties"]["answers"] == {"$ref": "#/components/schemas/Answers"}


def _simulated(name: str, facts: dict) -> object:
    kb = knowledge()
    if name in facts:
        return facts[name]
    finding = kb.findings[name]
    return False if finding.type == "bool" else finding.default


def test_a_journey_by_screens_through_the_api(http: httpx.Client) -> None:
    step = http.post("/api/v1/interview/next", json={}).json()
    screen = step["screen"]
    assert screen["id"] == "happening_now" and screen["number"] == 1
    assert screen["none_of_these"] is True and len(screen["questions"]) == 5
    facts = {**SELF_CARE, "pain_course": "unchanged"}
    body = {"answers": {}, "screens_answered": 0}
    while not step["done"]:
        rows = {q["id"]: _simulated(q["id"], facts) for q in step["screen"]["questions"]}
        sent = {**body, "screen_id": step["screen"]["id"], "rows": rows}
        step = http.post("/api/v1/interview/screen", json=sent).json()
        body = {"answers": step["answers"], "screens_answered": step["screens_answered"]}
        assert step["screens_answered"] <= 10
    assert step["screen"] is None
    assert step["result"]["disposition"]["id"] == "self_care"


def test_a_screen_row_left_out_is_refused_by_name(http: httpx.Client) -> None:
    rows = {
        "chest_pain": False,
        "one_side_body_weakness": False,
        "fainting_or_collapse": False,
        "feels_faint": False,
    }
    response = http.post(
        "/api/v1/interview/screen", json={"screen_id": "happening_now", "rows": rows}
    )
    assert response.status_code == 409
    (problem,) = response.json()["detail"]
    assert problem["loc"] == ["body", "rows", "trauma_major"]
    assert "every row needs its own answer" in problem["msg"]
    stale = http.post("/api/v1/interview/screen", json={"screen_id": "legs", "rows": rows})
    assert stale.status_code == 409
    assert stale.json()["detail"][0]["loc"] == ["body", "screen_id"]


def test_none_of_these_is_refused_on_the_cauda_equina_screen(http: httpx.Client) -> None:
    answers = {
        "chest_pain": False,
        "one_side_body_weakness": False,
        "fainting_or_collapse": False,
        "trauma_major": False,
        **SELF_CARE,
        "pain_course": "unchanged",
        "pain_region": "lower_back",
        "onset_sudden": True,
    }
    step = http.post("/api/v1/interview/next", json={"answers": answers}).json()
    while step["screen"]["id"] != "cauda_equina":
        rows = {q["id"]: _simulated(q["id"], answers) for q in step["screen"]["questions"]}
        sent = {"answers": answers, "screen_id": step["screen"]["id"], "rows": rows}
        step = http.post("/api/v1/interview/screen", json=sent).json()
        answers = step["answers"]
    assert step["screen"]["none_of_these"] is False
    sent = {"answers": answers, "screen_id": "cauda_equina", "none_of_these": True}
    refused = http.post("/api/v1/interview/screen", json=sent)
    assert refused.status_code == 409
    assert refused.json()["detail"][0]["loc"] == ["body", "none_of_these"]
    everyone = http.post(
        "/api/v1/interview/screen",
        json={"screen_id": "happening_now", "none_of_these": True},
    ).json()
    assert everyone["answers"] == dict.fromkeys(
        [
            "chest_pain",
            "one_side_body_weakness",
            "fainting_or_collapse",
            "feels_faint",
            "trauma_major",
        ],
        False,
    )
