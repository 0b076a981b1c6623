"""Fuzzing every way in, over HTTP to the real app: no input may cause a server error (5xx).

- schemathesis generates requests from a contract written here for the routes the published
  OpenAPI schema leaves out (the diary's JSON API, FHIR, CDS Hooks, staff); /api/v1 has its
  own schemathesis suite (test_web_schemathesis.py).
- hypothesis fills the HTML forms (interview, print, diary, delete) and JSON bodies with what
  an attacker sends: JSON nested far too deep, bodies over the limit, lone surrogates, numbers
  no database holds, and values of the wrong shape.

Bounded: a fixed number of examples per test (derandomized, so every run is the same), about
a minute in all on two cores.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.web_fixtures import start_server

EXAMPLES = 80
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
LIMIT = 200_000


@pytest.fixture(scope="module")
def target() -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="backspasm-fuzz-"))
    env = {
        "BACKSPASM_DATABASE_URL": f"sqlite:///{folder / 'fuzz.db'}",
        "BACKSPASM_MAX_BODY_BYTES": str(LIMIT),
        "BACKSPASM_RATE_LIMIT": "1000000/minute",  # fuzz the handlers, not the limiter
        "BACKSPASM_CDS_ALLOW_UNSIGNED": "yes",  # reach the CDS Hooks handler's parsing
    }
    process, url = start_server(env)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def http(target: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=target, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def diary_token(http: httpx.Client) -> str:
    reply = http.post("/api/episodes", json={"answers": {}})
    assert reply.status_code == 201
    return str(reply.json()["token"])


# --- what attackers send -------------------------------------------------------------------------
surrogates = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
odd_text = st.one_of(st.text(max_size=30), surrogates, st.sampled_from(["", "\x00", "[/x]"]))
big_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([2**63, -(2**63) - 1, 10**400]),
    st.floats(allow_nan=False, allow_infinity=False),
)
scalars = st.one_of(st.none(), st.booleans(), big_numbers, odd_text)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(odd_text, inner, max_size=4)
    ),
    max_leaves=12,
)


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def encoded(value: Any) -> str:
    """JSON text; lone surrogates travel as \\u escapes, as a hostile client writes them."""
    return json.dumps(value, ensure_ascii=True)


json_texts = st.one_of(
    json_values.map(encoded),
    st.integers(50, 5000).map(deep),
    st.integers(50, 2000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.sampled_from(["", "{", "nul", '{"age": 1e999}', '{"age": NaN}', '"\\udc80"']),
    st.builds(lambda key: encoded({key: 1}), surrogates),
)


def _no_server_error(reply: httpx.Response) -> None:
    assert reply.status_code < 500, (reply.request.method, reply.request.url, reply.text[:300])


# --- the HTML forms ------------------------------------------------------------------------------
@FUZZ
@given(
    path=st.sampled_from(["/interview", "/print", "/diary"]),
    answers=json_texts,
    action=st.sampled_from(["answer", "back", "describe", "unsure", "", "x" * 300]),
    value=odd_text,
    question=odd_text,
)
def test_interview_print_and_diary_forms_never_fail(
    http: httpx.Client, path: str, answers: str, action: str, value: str, question: str
) -> None:
    form = {"answers": answers, "action": action, "value": value, "question": question}
    _no_server_error(http.post(path, data=_form_safe(form)))


@FUZZ
@given(
    pain=st.one_of(big_numbers.map(str), odd_text),
    function=st.one_of(big_numbers.map(str), odd_text),
    spasms=odd_text,
    day=st.one_of(st.dates().map(str), odd_text),
    tried=st.lists(odd_text, max_size=3),
    symptom=st.lists(odd_text, max_size=3),
    confirm=odd_text,
)
def test_diary_entry_and_delete_forms_never_fail(
    http: httpx.Client,
    diary_token: str,
    pain: str,
    function: str,
    spasms: str,
    day: str,
    tried: list[str],
    symptom: list[str],
    confirm: str,
) -> None:
    form: dict[str, Any] = {
        "pain": pain,
        "function": function,
        "spasms": spasms,
        "day": day,
        "tried": tried,
        "symptom": symptom,
    }
    _no_server_error(http.post(f"/diary/{diary_token}", data=_form_safe(form)))
    if confirm != "yes":
        delete = http.post(f"/diary/{diary_token}/delete", data=_form_safe({"confirm": confirm}))
        _no_server_error(delete)


def _form_safe(form: dict[str, Any]) -> dict[str, Any]:
    """Form fields as bytes a browser could send (a lone surrogate cannot be UTF-8 encoded, so
    it goes as the replacement a browser would make)."""

    def clean(text: str) -> str:
        return text.encode("utf-8", "replace").decode("utf-8")

    return {
        k: [clean(v) for v in value] if isinstance(value, list) else clean(value)
        for k, value in form.items()
    }


# --- JSON bodies ---------------------------------------------------------------------------------
answer_sets = st.dictionaries(
    st.one_of(odd_text, st.sampled_from(["age", "pain_severity"])), json_values, max_size=4
)
items = st.one_of(
    json_values,
    st.lists(
        st.fixed_dictionaries(
            {"linkId": st.one_of(odd_text, st.just("age"))},
            optional={"answer": json_values, "item": json_values},
        ),
        max_size=3,
    ),
)
responses = st.builds(
    lambda item, status: {"resourceType": "QuestionnaireResponse", "status": status, "item": item},
    items,
    st.one_of(st.just("completed"), json_values),
)
bundles = st.builds(
    lambda entry: {"resourceType": "Bundle", "entry": entry},
    st.one_of(json_values, st.lists(st.builds(lambda r: {"resource": r}, responses), max_size=2)),
)
cds_calls = st.builds(
    lambda intake, pain: {
        "hook": "patient-view",
        "hookInstance": "x",
        "context": {"userId": "u", "patientId": "p"},
        "prefetch": {"intake": intake, "pain": pain},
    },
    st.one_of(responses, bundles, json_values),
    st.one_of(bundles, json_values),
)
BODIES = {
    "/api/episodes": answer_sets.map(lambda a: {"answers": a}),
    "/api/v1/assessments": answer_sets.map(lambda a: {"answers": a}),
    "/api/v1/interview/next": answer_sets.map(lambda a: {"answers": a}),
    "/fhir/QuestionnaireResponse": responses,
    "/fhir/Questionnaire/$next-question": responses,
    "/cds-services/backspasm-patient-view": cds_calls,
    "/cds-services/backspasm-patient-view/feedback": json_values.map(lambda v: {"feedback": v}),
}
JSON_ROUTES = list(BODIES)


@pytest.mark.parametrize("path", JSON_ROUTES)
def test_json_routes_never_fail(http: httpx.Client, path: str) -> None:
    @settings(
        max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(
        body=st.one_of(BODIES[path].map(encoded), json_texts),
        kind=st.sampled_from(["application/json", "application/fhir+json", "text/plain"]),
    )
    def post(body: str, kind: str) -> None:
        _no_server_error(http.post(path, content=body.encode(), headers={"Content-Type": kind}))

    post()


@pytest.mark.parametrize("path", [*JSON_ROUTES, "/interview", "/diary"])
def test_bodies_over_the_limit_never_fail(http: httpx.Client, path: str) -> None:
    huge = b'{"answers": {"age": "' + b"9" * (LIMIT * 2) + b'"}}'
    reply = http.post(path, content=huge, headers={"Content-Type": "application/json"})
    assert reply.status_code == 413


# --- schemathesis over the routes outside the published schema -----------------------------------
ANY = {"default": {"description": "any reply but a server error"}}


def _path_string(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _json_body(schema: dict[str, Any], kind: str = "application/json") -> dict[str, Any]:
    return {"required": True, "content": {kind: {"schema": schema}}}


def _object(required: tuple[str, ...] = (), **properties: Any) -> dict[str, Any]:
    return (
        {"type": "object", "properties": properties, "required": list(required)}
        if required
        else {"type": "object", "properties": properties}
    )


CONTRACT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "backspasm routes outside /api/v1", "version": "1"},
    "paths": {
        "/api/episodes": {
            "post": {
                "requestBody": _json_body(_object(answers={"type": "object"})),
                "responses": ANY,
            }
        },
        "/api/episodes/{token}": {"get": {"parameters": [_path_string("token")], "responses": ANY}},
        "/api/episodes/{token}/diary": {
            "post": {
                "parameters": [_path_string("token")],
                "requestBody": _json_body(
                    _object(
                        day={"type": "string"},
                        pain={"type": "integer"},
                        function={"type": "integer"},
                        spasms={"type": "string"},
                        tried={"type": "array"},
                        new_symptoms={"type": "array"},
                    )
                ),
                "responses": ANY,
            }
        },
        "/api/staff/episodes/{episode_id}/summary": {
            "get": {
                "parameters": [
                    {
                        "name": "episode_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {"name": "Authorization", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": ANY,
            }
        },
        "/fhir/result/{token}": {"get": {"parameters": [_path_string("token")], "responses": ANY}},
        "/fhir/QuestionnaireResponse": {
            "post": {
                "requestBody": _json_body(
                    _object(
                        ("resourceType",),
                        resourceType={"enum": ["QuestionnaireResponse"]},
                        status={"type": "string"},
                        item={},
                    ),
                    "application/fhir+json",
                ),
                "responses": ANY,
            }
        },
        "/cds-services/backspasm-patient-view": {
            "post": {
                "requestBody": _json_body(
                    _object(
                        ("hook", "hookInstance", "context"),
                        hook={"enum": ["patient-view"]},
                        hookInstance={"type": "string"},
                        context=_object(userId={"type": "string"}, patientId={"type": "string"}),
                        prefetch={"type": "object"},
                    )
                ),
                "responses": ANY,
            }
        },
    },
}
contract = schemathesis.openapi.from_dict(CONTRACT)


@contract.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_routes_outside_the_schema_never_fail(case: schemathesis.Case, target: str) -> None:
    _no_server_error_st(case.call(base_url=target))


def _no_server_error_st(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
