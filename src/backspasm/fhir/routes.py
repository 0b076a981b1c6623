"""The integration route table: FHIR R4 / SDC endpoints and CDS Hooks, as one APIRouter.

Mount it with `app.include_router(router)`. Every handler reads the raw body itself, so
malformed input is answered with an OperationOutcome (400 unreadable, 422 does not fit),
never with FastAPI's own error shape or a 500.

    GET  /fhir/Questionnaire/backspasm-intake    the intake form (SDC Questionnaire)
    POST /fhir/QuestionnaireResponse             answers -> Bundle (RiskAssessment, CarePlan, ...)
    POST /fhir/Questionnaire/$next-question      SDC adaptive form, one question at a time
    GET  /fhir/result/{token}                    the Bundle for answers packed in a card link
    GET  /cds-services                           CDS Hooks discovery
    POST /cds-services/backspasm-patient-view    patient-view cards
    POST /cds-services/backspasm-patient-view/feedback
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from backspasm.engine.answers import AnswerError, Answers, validate_answers
from backspasm.engine.assessment import assess, with_numbers
from backspasm.engine.knowledge_base import KnowledgeBase, load_knowledge
from backspasm.engine.numbers import Numbers
from backspasm.fhir import names
from backspasm.fhir.cds_auth import CdsPolicy
from backspasm.fhir.outcome import FhirInputError, Issue, invalid, operation_outcome

FHIR_JSON = "application/fhir+json"
MAX_BODY = 1_000_000  # bytes; an intake is a few kilobytes

router = APIRouter()


def knowledge(request: Request) -> KnowledgeBase:
    """The app's knowledge (`app.state.kb`), loaded once by the app that mounts the router."""
    kb: KnowledgeBase = request.app.state.kb
    return kb


def clock(request: Request) -> datetime:
    """The app's clock (`app.state.clock`, set by the web app), else the real one."""
    now: Callable[[], datetime] = getattr(request.app.state, "clock", lambda: datetime.now(UTC))
    return now().replace(microsecond=0)


Kb = Annotated[KnowledgeBase, Depends(knowledge)]
Now = Annotated[datetime, Depends(clock)]


@router.get("/fhir/Questionnaire/{questionnaire_id}")
def get_questionnaire(questionnaire_id: str, kb: Kb) -> JSONResponse:
    from backspasm.fhir.questionnaire import build_questionnaire

    if questionnaire_id != names.INTAKE_ID:
        return _outcome(404, Issue("not-found", f"no Questionnaire {questionnaire_id!r}"))
    return _fhir(build_questionnaire(kb))


@router.post("/fhir/QuestionnaireResponse")
async def post_response(request: Request, kb: Kb, now: Now) -> JSONResponse:
    from backspasm.fhir.responses import answers_from_response
    from backspasm.fhir.results import assessment_bundle
    from backspasm.fhir.structure import require_resource

    async def run() -> dict[str, Any]:
        response = require_resource(await _body(request), ("QuestionnaireResponse",))
        answers = answers_from_response(kb, response)
        result = with_numbers(assess(kb, answers), numbers(request))
        return assessment_bundle(kb, result, response, now)

    return await _answer(run)


@router.post("/fhir/Questionnaire/$next-question")
async def post_next_question(request: Request, kb: Kb) -> JSONResponse:
    from backspasm.fhir.next_question import next_question, unwrap
    from backspasm.fhir.structure import require_resource

    async def run() -> dict[str, Any]:
        body = require_resource(await _body(request), ("QuestionnaireResponse", "Parameters"))
        return next_question(kb, unwrap(body), numbers(request))

    return await _answer(run)


@router.get("/fhir/result/{token}")
async def get_result(token: str, request: Request, kb: Kb, now: Now) -> JSONResponse:
    from backspasm.fhir.responses import response_for
    from backspasm.fhir.results import assessment_bundle

    async def run() -> dict[str, Any]:
        answers = unpack_answers(kb, token)
        response = response_for(kb, answers)
        result = with_numbers(assess(kb, answers), numbers(request))
        return assessment_bundle(kb, result, response, now)

    return await _answer(run)


@router.get("/cds-services")
def cds_discovery() -> JSONResponse:
    from backspasm.fhir.cds_hooks import discovery

    return JSONResponse(discovery())


def numbers(request: Request) -> Numbers:
    """The deployment's phone numbers for the knowledge's texts; the UK's without settings."""
    settings = getattr(request.app.state, "settings", None)
    return Numbers() if settings is None else settings.numbers()


def cds_policy(request: Request) -> CdsPolicy:
    """The deployment's CDS Hooks settings (the web app's `Settings`); none trusts no one."""
    settings = getattr(request.app.state, "settings", None)
    if settings is None:
        return CdsPolicy(issuers={})
    return CdsPolicy(
        issuers=settings.issuer_keys,
        allow_unsigned=settings.cds_allow_unsigned == "yes",
        fhir_servers=settings.allowed_fhir_servers,
        public_url=settings.public_url,
    )


Policy = Annotated[CdsPolicy, Depends(cds_policy)]


@router.post("/cds-services/{service_id}")
async def cds_service(service_id: str, request: Request, kb: Kb, policy: Policy) -> JSONResponse:
    from backspasm.fhir import cds_fetch
    from backspasm.fhir.cds_hooks import (
        PrefetchMissingError,
        check_request,
        missing_queries,
        patient_view,
    )

    base, refused = await _admitted(service_id, request, policy)
    if refused is not None:
        return refused

    def link(answers: Answers) -> str:
        return f"{base}/fhir/result/{pack_answers(answers)}"

    async def run() -> dict[str, Any]:
        body = await _body(request)
        if not isinstance(body, dict):
            invalid(400, "the body must be a JSON object")
        check_request(body)
        try:
            body = await cds_fetch.complete_prefetch(
                body, missing_queries(body), policy.fhir_servers
            )
        except cds_fetch.FetchError as error:
            raise PrefetchMissingError(str(error)) from error
        return patient_view(kb, body, link, numbers(request))

    try:
        return await _answer(run, plain=True)
    except PrefetchMissingError as error:
        return _outcome(412, Issue("required", str(error), "prefetch.intake"), plain=True)


@router.post("/cds-services/{service_id}/feedback")
async def cds_feedback(service_id: str, request: Request, policy: Policy) -> JSONResponse:
    from backspasm.fhir.cds_hooks import check_feedback

    _, refused = await _admitted(service_id, request, policy)
    if refused is not None:
        return refused

    async def run() -> dict[str, Any]:
        check_feedback(await _body(request))
        return {}

    return await _answer(run, plain=True)


async def _admitted(
    service_id: str, request: Request, policy: CdsPolicy
) -> tuple[str, JSONResponse | None]:
    """The service's public base URL, and the reply refusing the call (no such service: 404;
    not signed by a trusted EHR: 401), or None when it may go on."""
    from backspasm.fhir.cds_hooks import SERVICE_ID

    if service_id != SERVICE_ID:
        return "", _outcome(404, Issue("not-found", f"no CDS service {service_id!r}"), plain=True)
    base = _public_base(request, policy)
    return base, await _unauthorised(request, policy, base)


def _public_base(request: Request, policy: CdsPolicy) -> str:
    """The service's public base URL: the setting, else (development) the request's own."""
    return policy.public_url.rstrip("/") or str(request.base_url).rstrip("/")


async def _unauthorised(request: Request, policy: CdsPolicy, base: str) -> JSONResponse | None:
    """401 unless the call carries a valid JWT from a trusted EHR (or unsigned calls are
    allowed); `aud` must be this service's URL."""
    from starlette.concurrency import run_in_threadpool

    from backspasm.fhir.cds_auth import CdsAuthError, verify

    authorization = request.headers.get("authorization")
    try:
        await run_in_threadpool(verify, authorization, policy, f"{base}{request.url.path}")
    except CdsAuthError as error:
        return JSONResponse(
            operation_outcome([Issue("login", str(error))]),
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return None


# --- the answers packed into a card's link -------------------------------------------------------
def pack_answers(answers: Answers) -> str:
    raw = json.dumps(answers, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unpack_answers(kb: KnowledgeBase, token: str) -> Answers:
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, RecursionError):
        invalid(400, "the result token is not valid", "token")
    if not isinstance(raw, dict):
        invalid(400, "the result token is not valid", "token")
    try:
        return validate_answers(kb, raw)
    except AnswerError as error:
        raise FhirInputError(422, [Issue("value", str(p)) for p in error.problems]) from error


# --- plumbing ------------------------------------------------------------------------------------
async def _body(request: Request) -> object:
    """The JSON body, read up to MAX_BODY bytes (a longer one is refused as it arrives)."""
    from backspasm.fhir.structure import MAX_DEPTH, nesting_depth

    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            invalid(413, f"the body is larger than {MAX_BODY} bytes", code="too-costly")
    if nesting_depth(bytes(raw)) > MAX_DEPTH:
        invalid(400, f"the body nests deeper than {MAX_DEPTH} levels", code="too-costly")
    try:
        return json.loads(raw, parse_float=_finite, parse_constant=_not_a_number)
    except (ValueError, RecursionError) as error:
        invalid(400, f"the body is not valid JSON: {str(error)[:200]}")


def _finite(text: str) -> float:
    """A JSON number as a float; 1e999 is not one JSON can carry back (nor is NaN)."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"number {text[:20]!r} is out of range")
    return number


def _not_a_number(text: str) -> float:
    raise ValueError(f"{text} is not a JSON number")


async def _answer(run: Callable[[], Any], plain: bool = False) -> JSONResponse:
    try:
        result = await run()
    except FhirInputError as error:
        return JSONResponse(
            operation_outcome(error.issues),
            status_code=error.status,
            media_type="application/json" if plain else FHIR_JSON,
        )
    return JSONResponse(result) if plain else _fhir(result)


def _fhir(resource: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(resource, status_code=status, media_type=FHIR_JSON)


def _outcome(status: int, issue: Issue, plain: bool = False) -> JSONResponse:
    return JSONResponse(
        operation_outcome([issue]),
        status_code=status,
        media_type="application/json" if plain else FHIR_JSON,
    )


def integration_app() -> Any:
    """Only these routes, for trying integrations alone:
    `uvicorn --factory backspasm.fhir.routes:integration_app`. The web app mounts `router`.
    Without the web app's settings no EHR is trusted, so CDS Hooks calls get 401 here."""
    from fastapi import FastAPI

    app = FastAPI(title="backspasm integration endpoints")
    app.state.kb = load_knowledge()
    app.include_router(router)
    return app
