"""The FHIR endpoints over real HTTP (uvicorn on loopback): the Questionnaire, intake to
Bundle, the SDC $next-question loop, and bad input answered with an OperationOutcome."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fhir_support import FIXED_NOW, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backspasm.engine.answers import AnswerValue, validate_answers
from backspasm.engine.assessment import assess
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.screens import next_screen
from backspasm.evaluation import load_cases
from backspasm.fhir.questionnaire import build_questionnaire, finding_item
from backspasm.fhir.responses import response_for
from backspasm.fhir.results import assessment_bundle
from tests.support.knowledge import knowledge

FHIR_JSON = "application/fhir+json"


def test_questionnaire_is_served(http: httpx.Client, kb: KnowledgeBase) -> None:
    reply = http.get("/fhir/Questionnaire/backspasm-intake")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith(FHIR_JSON)
    assert reply.json() == build_questionnaire(kb)


def test_unknown_questionnaire_is_404_outcome(http: httpx.Client) -> None:
    reply = http.get("/fhir/Questionnaire/phq-9")
    assert reply.status_code == 404
    assert reply.json()["resourceType"] == "OperationOutcome"


def test_response_becomes_the_bundle(http: httpx.Client, kb: KnowledgeBase) -> None:
    case = next(c for c in load_cases(kb, [ROOT / "cases"]) if c.id == "ces-saddle-numbness-01")
    answers = validate_answers(kb, case.facts)
    response = {**response_for(kb, answers), "subject": {"reference": "Patient/123"}}
    reply = http.post(
        "/fhir/QuestionnaireResponse", json=response, headers={"content-type": FHIR_JSON}
    )
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith(FHIR_JSON)
    bundle = reply.json()
    assert bundle == assessment_bundle(kb, assess(kb, answers), response, FIXED_NOW)
    risk = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "RiskAssessment"
    )
    assert risk["subject"] == {"reference": "Patient/123"}
    assert risk["prediction"][0]["outcome"]["coding"][0]["code"] == "emergency"


# --- SDC $next-question ---------------------------------------------------------------------------
def _patient_says(kb: KnowledgeBase, facts: dict[str, Any], name: str) -> AnswerValue:
    """As the evaluation's simulated patient: the fact, else "no" or the finding's default."""
    if name in facts:
        return facts[name]  # type: ignore[no-any-return]
    finding = kb.findings[name]
    if finding.type == "choice":
        return finding.default if isinstance(finding.default, str) else finding.options[0]
    if finding.type == "bool":
        return False
    assert finding.min is not None
    return finding.min


def _answer_item(kb: KnowledgeBase, name: str, value: AnswerValue, text: str) -> dict[str, Any]:
    answer = response_for(kb, {name: value})["item"][0]["item"][0]["answer"]
    return {"linkId": name, "text": text, "answer": answer}


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "parameters"])
@pytest.mark.parametrize(
    "case_id", ["ces-saddle-numbness-01", "sc-lifting-boxes-01", "labour-34-weeks-01"]
)
def test_next_question_interview_follows_the_engine(
    http: httpx.Client, kb: KnowledgeBase, validate: Any, case_id: str, wrapped: bool
) -> None:
    case = next(c for c in load_cases(kb, [ROOT / "cases"]) if c.id == case_id)
    response: dict[str, Any] = {"resourceType": "QuestionnaireResponse", "status": "in-progress"}
    answers: dict[str, AnswerValue] = {}
    for step in range(100):
        body = (
            {
                "resourceType": "Parameters",
                "parameter": [{"name": "questionnaire-response", "resource": response}],
            }
            if wrapped
            else response
        )
        reply = http.post("/fhir/Questionnaire/$next-question", json=body)
        assert reply.status_code == 200, reply.text
        response = reply.json()
        if step in (0, 5):
            assert validate(response) == {"models": [], "schema": [], "invariants": []}
        adaptive = response["contained"][0]
        assert response["questionnaire"] == f"#{adaptive['id']}"
        expected = next_screen(kb, answers, step)
        if expected.done:
            assert response["status"] == "completed"
            result = assess(kb, answers)
            first = result.first_action  # possible labour: ring the maternity unit, not A&E
            told = f"{first.title}. {first.text}" if first else result.disposition.text
            told = told.replace("{emergency_number}", "999")  # the UK's, without settings
            assert adaptive["item"][-1]["text"] == f"Result: {told}"
            if case_id.startswith("labour"):
                assert adaptive["item"][-1]["text"].startswith("Result: Ring your maternity unit")
            break
        assert response["status"] == "in-progress"
        asked = adaptive["item"][-1]
        assert expected.screen is not None and asked["type"] == "group"
        assert asked["text"] == expected.screen.heading
        assert [row["linkId"] for row in asked["item"]] == [q.id for q in expected.screen.questions]
        assert asked["item"][0] == finding_item(kb, expected.screen.questions[0].id, gated=False)
        group = {"linkId": asked["linkId"], "text": asked["text"], "item": []}
        for row in asked["item"]:  # every row answered on its own, inside the screen's group
            value = _patient_says(kb, case.facts, row["linkId"])
            answers[row["linkId"]] = value
            group["item"].append(_answer_item(kb, row["linkId"], value, row["text"]))
        response.setdefault("item", []).append(group)
    else:
        raise AssertionError("the interview did not finish in 100 steps")
    assert assess(kb, answers).disposition.id == case.expected.disposition


def test_first_next_question_matches_golden_file(http: httpx.Client, golden: Any) -> None:
    reply = http.post(
        "/fhir/Questionnaire/$next-question",
        json={"resourceType": "QuestionnaireResponse", "status": "in-progress"},
    )
    golden("next-question-first.json", reply.json())


def test_cds_discovery_matches_golden_file(http: httpx.Client, golden: Any) -> None:
    golden("cds-discovery.json", http.get("/cds-services").json())


# --- bad input: an OperationOutcome naming the problem, never a 500 -------------------------------
_QR = {"resourceType": "QuestionnaireResponse", "status": "completed"}


@pytest.mark.parametrize(
    ("path", "body", "status", "mention"),
    [
        ("/fhir/QuestionnaireResponse", b"{not json", 400, "not valid JSON"),
        ("/fhir/QuestionnaireResponse", b"\xff\xfe\x00", 400, "not valid JSON"),
        ("/fhir/QuestionnaireResponse", b"[]", 400, "JSON object"),
        ("/fhir/QuestionnaireResponse", b"null", 400, "JSON object"),
        ("/fhir/QuestionnaireResponse", b'{"resourceType": "Patient"}', 400, "resourceType"),
        ("/fhir/QuestionnaireResponse", b"[" * 100_000 + b"]" * 100_000, 400, "nests deeper"),
        ("/fhir/QuestionnaireResponse", b" " * 1_000_001, 413, "larger than"),
        (
            "/fhir/QuestionnaireResponse",
            json.dumps({"resourceType": "QuestionnaireResponse"}).encode(),
            400,
            "status",
        ),
        (
            "/fhir/QuestionnaireResponse",
            json.dumps({**_QR, "item": [{"answer": [{"valueInteger": 1}]}]}).encode(),
            400,
            "linkId",
        ),
        (
            "/fhir/QuestionnaireResponse",
            json.dumps({**_QR, "status": "nonsense"}).encode(),
            422,
            "status",
        ),
        (
            "/fhir/QuestionnaireResponse",
            json.dumps(
                {**_QR, "item": [{"linkId": "age", "answer": [{"valueInteger": -4}]}]}
            ).encode(),
            422,
            "age",
        ),
        (
            "/fhir/Questionnaire/$next-question",
            json.dumps({"resourceType": "Parameters", "parameter": []}).encode(),
            400,
            "questionnaire-response",
        ),
        (
            "/fhir/Questionnaire/$next-question",
            json.dumps({**_QR, "questionnaire": "http://example.org/Questionnaire/x"}).encode(),
            422,
            "example.org",
        ),
        ("/fhir/result/%%%", b"", 400, "token"),
    ],
)
def test_bad_input_gets_an_outcome(
    http: httpx.Client, path: str, body: bytes, status: int, mention: str
) -> None:
    method = "GET" if path.startswith("/fhir/result") else "POST"
    reply = http.request(method, path, content=body or None)
    assert reply.status_code == status, reply.text
    outcome = reply.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert mention in json.dumps(outcome)
    assert all(issue["severity"] == "error" for issue in outcome["issue"])


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
_item = st.fixed_dictionaries(
    {"linkId": st.sampled_from(list(knowledge().findings)) | st.text(max_size=6)},
    optional={
        "answer": st.lists(
            st.dictionaries(
                st.sampled_from(
                    [
                        "valueBoolean",
                        "valueInteger",
                        "valueDecimal",
                        "valueCoding",
                        "valueString",
                        "x",
                    ]
                ),
                _json_values,
                max_size=2,
            ),
            max_size=2,
        ),
        "item": st.just([]),
    },
)
_responses = st.fixed_dictionaries(
    {"resourceType": st.sampled_from(["QuestionnaireResponse", "Parameters", "Bundle"])},
    optional={
        "status": st.sampled_from(["completed", "in-progress", "entered-in-error", "x"])
        | _json_values,
        "item": st.lists(_item, max_size=4) | _json_values,
        "questionnaire": st.text(max_size=10),
        "parameter": _json_values,
        "contained": _json_values,
    },
)


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=_responses,
    path=st.sampled_from(["/fhir/QuestionnaireResponse", "/fhir/Questionnaire/$next-question"]),
)
def test_fuzzed_bodies_never_give_500(http: httpx.Client, body: dict[str, Any], path: str) -> None:
    reply = http.post(path, json=body)
    assert reply.status_code in (200, 400, 422), (reply.status_code, reply.text)
    if reply.status_code != 200:
        outcome = reply.json()
        assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"]
