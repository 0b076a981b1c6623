"""CDS Hooks 2.0 contract tests, written from the specification's tables (discovery response,
service request, card, link, feedback; HL7 cds-hooks v2.0.1), over real HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fhir_support import interview_answers_by_level, serve

from backspasm.engine.assessment import assess
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.schema import DISPOSITIONS
from backspasm.fhir.cds_hooks import SERVICE_ID, summary_for
from backspasm.fhir.responses import response_for

SERVICE = f"/cds-services/{SERVICE_ID}"
# Prefetch tokens the spec allows: context fields of patient-view, and the user ids.
TOKENS = {
    "context.userId",
    "context.patientId",
    "context.encounterId",
    "userPractitionerId",
    "userPractitionerRoleId",
    "userPatientId",
    "userRelatedPersonId",
}
INDICATOR = {
    "emergency_ambulance": "critical",
    "emergency": "critical",
    "consultation_24": "warning",
    "consultation": "info",
    "self_care": "info",
}


@cache
def _answers_per_level() -> dict[str, dict[str, Any]]:
    return interview_answers_by_level()


def _request(prefetch: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/example", "patientId": "1288992"},
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def _check_card(card: dict[str, Any]) -> None:
    """The Card table: required fields, their types and value sets."""
    assert isinstance(card["summary"], str) and len(card["summary"]) < 140
    assert card["indicator"] in ("info", "warning", "critical")
    assert isinstance(card["source"], dict) and isinstance(card["source"]["label"], str)
    assert card["source"]["label"]
    if "uuid" in card:
        assert isinstance(card["uuid"], str)
    if "detail" in card:
        assert isinstance(card["detail"], str)
    if card.get("suggestions"):
        assert card["selectionBehavior"] in ("at-most-one", "any")
    for link in card.get("links", []):
        assert isinstance(link["label"], str) and link["label"]
        assert link["type"] in ("absolute", "smart")
        assert urlparse(link["url"]).scheme in ("http", "https")


def test_discovery_follows_the_service_table(http: httpx.Client) -> None:
    reply = http.get("/cds-services")
    assert reply.status_code == 200
    services = reply.json()["services"]
    assert isinstance(services, list) and services
    for service in services:
        for required in ("hook", "description", "id"):
            assert isinstance(service[required], str) and service[required]
        assert isinstance(service.get("title"), str)  # RECOMMENDED
        for template in service.get("prefetch", {}).values():
            assert isinstance(template, str)
            assert set(re.findall(r"\{\{([^}]*)\}\}", template)) <= TOKENS
    assert [s["hook"] for s in services if s["id"] == SERVICE_ID] == ["patient-view"]


@pytest.mark.parametrize("level", DISPOSITIONS)
def test_card_indicator_follows_the_care_level(
    http: httpx.Client, kb: KnowledgeBase, level: str
) -> None:
    answers = _answers_per_level()[level]
    reply = http.post(SERVICE, json=_request({"intake": response_for(kb, answers)}))
    assert reply.status_code == 200, reply.text
    cards = reply.json()["cards"]
    assert len(cards) == 1
    _check_card(cards[0])
    assert cards[0]["indicator"] == INDICATOR[level]
    result = assess(kb, answers)
    assert cards[0]["summary"].startswith("Back pain intake: ")
    assert result.causes[0].name in cards[0]["summary"]
    assert assess(kb, answers).disposition.id == level

    bundle = http.get(cards[0]["links"][0]["url"])  # the link opens the full result
    assert bundle.status_code == 200
    risk = next(
        e["resource"]
        for e in bundle.json()["entry"]
        if e["resource"]["resourceType"] == "RiskAssessment"
    )
    assert risk["prediction"][0]["outcome"]["coding"][0]["code"] == level


def test_latest_intake_in_a_search_bundle_is_used(http: httpx.Client, kb: KnowledgeBase) -> None:
    levels = _answers_per_level()
    older = {**response_for(kb, levels["emergency"]), "authored": "2026-01-01"}
    newer = {**response_for(kb, levels["self_care"]), "authored": "2026-06-01"}
    search = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": newer}, {"resource": older}],
    }
    cards = http.post(SERVICE, json=_request({"intake": search})).json()["cards"]
    assert cards[0]["indicator"] == "info"


def test_prefetched_pain_score_fills_a_missing_answer(
    http: httpx.Client, kb: KnowledgeBase
) -> None:
    answers = {"age": 30, "sex": "male", "pain_duration_days": 2}
    pain = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}]},
        "valueInteger": 9,
    }
    card = http.post(
        SERVICE, json=_request({"intake": response_for(kb, answers), "pain": pain})
    ).json()["cards"][0]
    bundle = http.get(card["links"][0]["url"]).json()
    observation = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    )
    assert observation["valueInteger"] == 9


def test_no_intake_on_file_gives_no_cards(http: httpx.Client) -> None:
    reply = http.post(SERVICE, json=_request({"intake": None}))
    assert reply.status_code == 200
    assert reply.json() == {"cards": []}


def test_missing_prefetch_is_412(http: httpx.Client) -> None:
    """We never query the FHIR server ourselves, so absent prefetch means 412 (spec §Prefetch)."""
    assert http.post(SERVICE, json=_request(None)).status_code == 412
    assert http.post(SERVICE, json=_request({"pain": None})).status_code == 412


@pytest.mark.parametrize(
    "change",
    [
        {"hook": "order-select"},
        {"hookInstance": None},
        {"context": None},
        {"context": {"userId": "Practitioner/1"}},
        {"prefetch": {"intake": "not a resource"}},
        {"prefetch": {"intake": {"resourceType": "Patient"}}},
    ],
)
def test_malformed_requests_are_400(http: httpx.Client, change: dict[str, Any]) -> None:
    body = {**_request({"intake": None}), **change}
    reply = http.post(SERVICE, json=body)
    assert reply.status_code == 400, reply.text
    assert reply.json()["resourceType"] == "OperationOutcome"


def test_unknown_service_is_404(http: httpx.Client) -> None:
    assert http.post("/cds-services/nope", json=_request({"intake": None})).status_code == 404


def test_feedback_table(http: httpx.Client) -> None:
    good = {
        "feedback": [
            {
                "card": "9368d37b-283f-44a0-93ea-547cebab93ed",
                "outcome": "overridden",
                "overrideReason": {"userComment": "seen in clinic today"},
                "outcomeTimestamp": "2026-11-21T10:00:00Z",
            }
        ]
    }
    assert http.post(f"{SERVICE}/feedback", json=good).status_code == 200
    bad = {"feedback": [{"card": "x", "outcome": "maybe", "outcomeTimestamp": "now"}]}
    assert http.post(f"{SERVICE}/feedback", json=bad).status_code == 400


def test_every_summary_is_under_140_characters(kb: KnowledgeBase) -> None:
    names = [""] + [f"rule out {c.name}" for c in kb.conditions.values()] + ["x" * 200]
    for title in kb.meta.level_titles.values():
        for name in names:
            assert len(summary_for(title, name)) < 140


# --- reading the intake from the client's FHIR server (allowlisted) ------------------------------
@pytest.fixture()
def fhir_server(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    """A small FHIR server on loopback that records what it is asked."""
    state: dict[str, Any] = {"seen": [], "intake_status": 200}
    fake = FastAPI()

    @fake.get("/fhir/{kind}")
    def search(kind: str, request: Request) -> JSONResponse:
        state["seen"].append(
            (kind, dict(request.query_params), request.headers.get("authorization"))
        )
        if kind == "QuestionnaireResponse" and state["intake_status"] != 200:
            return JSONResponse({}, status_code=state["intake_status"])
        if kind == "Observation":
            return JSONResponse({}, status_code=500)  # the optional pain search fails
        if "intake_body" in state:
            return Response(state["intake_body"], media_type="application/fhir+json")
        intake = response_for(kb, _answers_per_level()["consultation_24"])
        bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": intake}]}
        return JSONResponse(bundle)

    with serve(fake) as base:
        state["base"] = f"{base}/fhir"
        yield state


@pytest.fixture()
def allow(app: Any) -> Iterator[Callable[[str], None]]:
    from backspasm.fhir.cds_auth import CdsPolicy
    from backspasm.fhir.routes import cds_policy

    before = app.dependency_overrides[cds_policy]

    def set_allowed(url: str) -> None:
        policy = CdsPolicy({}, allow_unsigned=True, fhir_servers=(url,))
        app.dependency_overrides[cds_policy] = lambda: policy

    yield set_allowed
    app.dependency_overrides[cds_policy] = before


def _with_server(base: str) -> dict[str, Any]:
    return {
        **_request(None),
        "fhirServer": base,
        "fhirAuthorization": {
            "access_token": "secret-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "patient/QuestionnaireResponse.read",
            "subject": "cds-service",
        },
    }


def test_intake_is_read_from_an_allowed_fhir_server(
    http: httpx.Client, fhir_server: dict[str, Any], allow: Callable[[str], None]
) -> None:
    allow(fhir_server["base"])
    reply = http.post(SERVICE, json=_with_server(fhir_server["base"]))
    assert reply.status_code == 200, reply.text
    assert reply.json()["cards"][0]["indicator"] == "warning"
    kind, query, authorization = fhir_server["seen"][0]
    assert kind == "QuestionnaireResponse"
    assert query["patient"] == "1288992" and query["_sort"] == "-authored"
    assert authorization == "Bearer secret-token"


def test_the_patient_id_cannot_add_search_parameters(
    http: httpx.Client, fhir_server: dict[str, Any], allow: Callable[[str], None]
) -> None:
    allow(fhir_server["base"])
    body = _with_server(fhir_server["base"])
    body["context"] = {**body["context"], "patientId": "1&_count=1000"}
    assert http.post(SERVICE, json=body).status_code == 200
    _, query, _ = fhir_server["seen"][0]
    assert query["patient"] == "1&_count=1000" and query["_count"] == "1"


def test_a_server_not_on_the_allowlist_is_never_called(
    http: httpx.Client, fhir_server: dict[str, Any]
) -> None:
    reply = http.post(SERVICE, json=_with_server(fhir_server["base"]))
    assert reply.status_code == 412
    assert fhir_server["seen"] == []


def test_an_unreadable_intake_is_412(
    http: httpx.Client, fhir_server: dict[str, Any], allow: Callable[[str], None]
) -> None:
    allow(fhir_server["base"])
    fhir_server["intake_status"] = 401
    reply = http.post(SERVICE, json=_with_server(fhir_server["base"]))
    assert reply.status_code == 412
    assert "401" in reply.text


def test_prefetched_intake_is_not_fetched_again(
    http: httpx.Client, kb: KnowledgeBase, fhir_server: dict[str, Any], allow: Callable[[str], None]
) -> None:
    allow(fhir_server["base"])
    body = {**_with_server(fhir_server["base"]), "prefetch": {"intake": None}}
    assert http.post(SERVICE, json=body).json() == {"cards": []}
    assert fhir_server["seen"] == []


# --- prefetch of the wrong shape: a clear 4xx, never a 500 ------------------------------------
def _qr(**change: Any) -> dict[str, Any]:
    return {"resourceType": "QuestionnaireResponse", "status": "completed", **change}


WRONG_SHAPES = {
    "item-a-string": {"intake": _qr(item="back pain")},
    "items-strings": {"intake": _qr(item=["a", "b"])},
    "item-an-object": {"intake": _qr(item={"linkId": "age"})},
    "answer-a-string": {"intake": _qr(item=[{"linkId": "age", "answer": "40"}])},
    "answers-numbers": {"intake": _qr(item=[{"linkId": "age", "answer": [40]}])},
    "nested-item-a-number": {"intake": _qr(item=[{"linkId": "g", "item": 7}])},
    "status-a-list": {"intake": _qr(status=["completed"])},
    "bundle-entry-a-string": {"intake": {"resourceType": "Bundle", "entry": "x"}},
    "bundle-of-broken-responses": {
        "intake": {"resourceType": "Bundle", "entry": [{"resource": _qr(item="x")}]}
    },
    "pain-code-a-string": {
        "intake": None,
        "pain": {"resourceType": "Observation", "code": "72514-3", "valueInteger": 5},
    },
    "pain-coding-a-string": {
        "intake": _qr(),
        "pain": {"resourceType": "Observation", "code": {"coding": "x"}, "valueInteger": 5},
    },
    "pain-bundle-entry-an-object": {
        "intake": _qr(),
        "pain": {"resourceType": "Bundle", "entry": {"resource": {}}},
    },
    "pain-quantity-a-string": {
        "intake": _qr(),
        "pain": {
            "resourceType": "Observation",
            "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}]},
            "valueQuantity": "5",
        },
    },
}


@pytest.mark.parametrize("prefetch", WRONG_SHAPES.values(), ids=list(WRONG_SHAPES))
def test_a_prefetch_of_the_wrong_shape_is_a_clear_error(
    http: httpx.Client, prefetch: dict[str, Any]
) -> None:
    reply = http.post(SERVICE, json=_request(prefetch))
    assert reply.status_code in (200, 400, 422), reply.text
    if reply.status_code != 200:
        assert reply.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    "body",
    [
        b'{"resourceType": "Bundle", "entry": "not a list"}',
        b'{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": '
        b'"QuestionnaireResponse", "status": "completed", "item": "x"}}]}',
        b"[" * 5000 + b"]" * 5000,
        b"not json",
    ],
    ids=["entry-not-a-list", "broken-response", "nested-5000-deep", "not-json"],
)
def test_a_malformed_bundle_from_an_allowed_server_is_a_clear_error(
    http: httpx.Client,
    fhir_server: dict[str, Any],
    allow: Callable[[str], None],
    body: bytes,
) -> None:
    allow(fhir_server["base"])
    fhir_server["intake_body"] = body
    reply = http.post(SERVICE, json=_with_server(fhir_server["base"]))
    assert reply.status_code in (400, 412, 422), reply.text
    assert reply.json()["resourceType"] == "OperationOutcome"
