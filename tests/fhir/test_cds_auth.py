"""Who may call the CDS Hooks service (CDS Hooks 2.0, "Trusting CDS Clients"), over HTTP to
the real web app: only calls signed by a trusted EHR's key, for this service, unexpired and
not replayed. The EHR's key pair is made here; its JWKS is served on loopback."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from fhir_support import interview_answers_by_level, serve
from jwt.algorithms import ECAlgorithm

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.fhir.cds_hooks import SERVICE_ID
from backspasm.fhir.responses import response_for
from backspasm.web.app import create_app
from backspasm.web.settings import load_settings

ISSUER = "https://ehr.example/"
PUBLIC = "https://backspasm.clinic.example"
AUDIENCE = f"{PUBLIC}/cds-services/{SERVICE_ID}"
KEY = ec.generate_private_key(ec.SECP384R1())
OTHER_KEY = ec.generate_private_key(ec.SECP384R1())  # a key the EHR never published


@pytest.fixture(scope="module")
def jwks() -> Iterator[str]:
    """The EHR's public keys, served as a JWKS on loopback."""
    public = ECAlgorithm.to_jwk(KEY.public_key(), as_dict=True)
    keys = {"keys": [{**public, "kid": "ehr-1", "use": "sig", "alg": "ES384"}]}
    ehr = FastAPI()
    ehr.get("/.well-known/jwks.json")(lambda: keys)
    with serve(ehr) as base:
        yield f"{base}/.well-known/jwks.json"


@pytest.fixture(scope="module")
def service(jwks: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    database = tmp_path_factory.mktemp("cds") / "cds.db"
    settings = load_settings(
        {},
        public_url=PUBLIC,
        cds_issuers=f"{ISSUER}={jwks}",
        database_url=f"sqlite:///{database}",
    )
    with serve(create_app(settings)) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


@cache
def _body() -> dict[str, Any]:
    from tests.support.knowledge import knowledge

    kb: KnowledgeBase = knowledge()
    intake = response_for(kb, interview_answers_by_level()["consultation_24"])
    return {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/1", "patientId": "1288992"},
        "prefetch": {"intake": intake},
    }


def _token(key: Any = KEY, **change: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": now + 300,
        "iat": now,
        "jti": str(uuid.uuid4()),
        **change,
    }
    return jwt.encode(claims, key, algorithm="ES384", headers={"kid": "ehr-1"})


def _call(client: httpx.Client, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/cds-services/{SERVICE_ID}", json=_body(), headers=headers)


def test_a_call_signed_by_a_trusted_ehr_gets_its_card(service: httpx.Client) -> None:
    reply = _call(service, _token())
    assert reply.status_code == 200, reply.text
    card = reply.json()["cards"][0]
    assert card["indicator"] == "warning"
    assert card["links"][0]["url"].startswith(f"{PUBLIC}/fhir/result/")  # never the Host header


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(None, id="unsigned"),
        pytest.param("not-a-jwt", id="not-a-jwt"),
        pytest.param(_token(OTHER_KEY), id="signed-by-another-key"),
        pytest.param(_token(iss="https://attacker.example/"), id="untrusted-issuer"),
        pytest.param(_token(aud="https://other-service.example/cds"), id="another-audience"),
        pytest.param(_token(exp=int(time.time()) - 3600), id="expired"),
        pytest.param(_token(jti=None), id="no-jti"),
        pytest.param(
            jwt.encode(
                {"iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 300, "jti": "x"},
                None,
                algorithm="none",
            ),
            id="alg-none",
        ),
    ],
)
def test_unsigned_or_wrongly_signed_calls_get_401(service: httpx.Client, token: str | None) -> None:
    reply = _call(service, token)
    assert reply.status_code == 401, reply.text
    assert reply.headers["www-authenticate"] == "Bearer"
    assert "cards" not in reply.json()


def test_a_token_cannot_be_replayed(service: httpx.Client) -> None:
    token = _token()
    assert _call(service, token).status_code == 200
    assert _call(service, token).status_code == 401


def test_feedback_needs_a_signed_call_too(service: httpx.Client) -> None:
    feedback = {
        "feedback": [{"card": "x", "outcome": "accepted", "outcomeTimestamp": "2026-11-30"}]
    }
    path = f"/cds-services/{SERVICE_ID}/feedback"
    assert service.post(path, json=feedback).status_code == 401
    audience = f"{PUBLIC}{path}"
    signed = {"Authorization": f"Bearer {_token(aud=audience)}"}
    assert service.post(path, json=feedback, headers=signed).status_code == 200


def test_without_trusted_issuers_every_call_is_refused(tmp_path: Path) -> None:
    """The default settings: no issuer trusted, unsigned calls refused."""
    settings = load_settings({}, database_url=f"sqlite:///{tmp_path / 'x.db'}")
    with serve(create_app(settings)) as base:
        reply = httpx.post(f"{base}/cds-services/{SERVICE_ID}", json=_body(), timeout=30)
    assert reply.status_code == 401
