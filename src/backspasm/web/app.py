"""create_app(settings) -> FastAPI: the one route table.

Read ROUTES to see everything the app answers: the pages, the JSON API and the diary, each a
plain function. The FHIR R4 / CDS Hooks endpoints are one router of their own (they are also
served alone, see `backspasm.fhir.routes.integration_app`) and are included explicitly below.
Handlers read what they need from `app.state`: `settings`, `kb` (the knowledge, loaded once
here: the engine keeps no copy), `reader` (for a person's own words, over `kb`), `sessions`
and `reads` (the database, for writing and for reading only) and `clock` (the only source of
"now", so tests can fix it). Every HTML page renders through `backspasm.web.templating`, which
sets the security headers; `guard.Guard` checks every request before any route.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from backspasm.engine.answers import AnswerError
from backspasm.engine.assessment import Assessment
from backspasm.engine.knowledge_base import load_knowledge
from backspasm.fhir import routes as fhir_routes
from backspasm.store.database import migrate, open_engine, reading_sessions, sessions
from backspasm.text.reading import Reader
from backspasm.version import __version__
from backspasm.web import api, api_models, diary, exercises, openapi, pages, problems
from backspasm.web.guard import Guard
from backspasm.web.settings import Settings, load_settings
from backspasm.web.templating import environment


@dataclass(frozen=True)
class Route:
    path: str
    method: str
    endpoint: Callable[..., Any]
    name: str
    response_model: Any = None  # for the API: the documented JSON shape
    status_code: int | None = None
    documented: bool = False  # part of the /api/v1 contract in /openapi.json
    responses: dict[int | str, dict[str, Any]] | None = None  # other documented statuses


ROUTES: tuple[Route, ...] = (
    # pages: plain HTML forms, enhanced by htmx when JavaScript runs
    Route("/", "GET", pages.start, "start"),
    Route("/embed", "GET", pages.embed, "embed"),
    Route("/interview", "GET", pages.first_question, "interview"),
    Route("/interview", "POST", pages.answer, "answer"),
    Route("/print", "POST", pages.print_view, "print"),
    Route("/theme.css", "GET", pages.theme, "theme"),
    Route("/summary.css", "GET", diary.summary_css, "summary_css"),
    # JSON API, described at /openapi.json
    Route(
        "/api/v1/questions",
        "GET",
        api.questions,
        "api-questions",
        api_models.Questions,
        documented=True,
    ),
    Route(
        "/api/v1/interview/next",
        "POST",
        api.interview_next,
        "api-interview-next",
        api_models.InterviewNext,
        documented=True,
    ),
    Route(
        "/api/v1/interview/screen",
        "POST",
        api.interview_screen,
        "api-interview-screen",
        api_models.ScreenAnswered,
        documented=True,
        responses={409: {"model": api_models.Conflict, "description": api_models.CONFLICT}},
    ),
    Route(
        "/api/v1/assessments",
        "POST",
        api.assessments,
        "api-assessments",
        Assessment,
        documented=True,
    ),
    # the diary: a person's pages, reachable only with their episode's link token
    Route("/diary", "POST", diary.diary_start, "diary_start"),
    Route("/diary/{token}", "GET", diary.diary_page, "diary_page"),
    Route("/diary/{token}", "POST", diary.diary_form, "diary_form"),
    Route("/diary/{token}/summary", "GET", diary.summary_page, "summary_page"),
    Route("/diary/{token}/summary.pdf", "GET", diary.summary_pdf, "summary_pdf"),
    Route("/diary/{token}/checkins.ics", "GET", diary.checkins, "checkins"),
    Route("/diary/{token}/export.json", "GET", diary.export_download, "export_download"),
    Route("/diary/{token}/delete", "POST", diary.delete_page, "delete_page"),
    # the exercise programme: the library and its pages for anyone, a person's week by token
    Route("/exercises", "GET", exercises.library, "exercise_library"),
    Route("/exercises/{exercise_id}", "GET", exercises.exercise_page, "exercise_page"),
    Route("/diary/{token}/programme", "GET", exercises.programme_page, "programme_page"),
    Route("/diary/{token}/programme.pdf", "GET", exercises.programme_pdf, "programme_pdf"),
    # the diary for programs, and for clinic staff (Bearer token)
    Route("/api/episodes", "POST", diary.api_start, "api_start", status_code=201),
    Route("/api/episodes/{token}", "GET", diary.api_episode, "api_episode"),
    Route("/api/episodes/{token}/diary", "POST", diary.api_add, "api_add", status_code=201),
    Route("/api/episodes/{token}/export", "GET", diary.api_export, "api_export"),
    Route("/api/episodes/{token}", "DELETE", diary.api_delete, "api_delete", status_code=204),
    Route("/api/staff/episodes", "GET", diary.staff_episodes, "staff_episodes"),
    Route("/api/staff/episodes/{episode_id}/summary", "GET", diary.staff_summary, "staff_summary"),
    Route(
        "/api/staff/episodes/{episode_id}/summary.pdf",
        "GET",
        diary.staff_summary_pdf,
        "staff_summary_pdf",
    ),
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings | None = None,
    routers: Iterable[APIRouter] = (),
    clock: Callable[[], datetime] = _utc_now,
) -> FastAPI:
    """The web app. `routers` adds routes for one app (benchmarks); `clock` fixes "now"."""
    settings = settings or load_settings()
    kb = load_knowledge()
    app = FastAPI(
        title="backspasm",
        version=__version__,
        description="Triage, likely contributors and a cited care plan for back pain and "
        "spasm. This is not a diagnosis.",
        docs_url=None,  # FastAPI's viewers load scripts from a CDN; /openapi.json is the contract
        redoc_url=None,
    )
    database = open_engine(settings.database_url or None)
    migrate(database)
    app.state.settings = settings
    app.state.kb = kb
    app.state.reader = Reader(kb)
    app.state.sessions = sessions(database)
    app.state.reads = reading_sessions(database)  # for handlers that only read
    app.state.clock = clock
    for route in ROUTES:
        app.add_api_route(
            route.path,
            route.endpoint,
            methods=[route.method],
            name=route.name,
            response_model=route.response_model,
            status_code=route.status_code,
            responses=route.responses,
            include_in_schema=route.documented,
            tags=["api"] if route.documented else None,
        )
    app.mount(
        "/static", StaticFiles(directory=str(files("backspasm.web") / "static")), name="static"
    )
    # FHIR R4 / SDC and CDS Hooks: their own contract (FHIR and CDS Hooks specs), documented
    # in the README, so kept out of the /api/v1 OpenAPI schema.
    app.include_router(fhir_routes.router, include_in_schema=False)
    for router in routers:
        app.include_router(router)
    app.add_exception_handler(AnswerError, problems.answer_error)
    app.add_exception_handler(RequestValidationError, problems.validation_error)
    app.add_exception_handler(HTTPException, problems.http_error)
    app.add_middleware(Guard, settings=settings)  # limits, cross-site refusal, headers
    openapi.install(app, kb)
    diary.redact_access_log()
    environment()  # load the templates now, not on a person's first request
    gc.collect()
    gc.freeze()  # the app's long-lived objects need no more GC scans; requests stay fast
    return app


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory`: settings from BACKSPASM_* variables."""
    return create_app(load_settings())
