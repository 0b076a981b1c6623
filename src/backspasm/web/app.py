"""create_app(settings) -> FastAPI: the one route table, and how other parts plug in.

Read ROUTES to see everything the app answers. Other parts of backspasm (FHIR and CDS Hooks,
the diary) bring their own `APIRouter`; list it in ROUTERS as "module:attribute" so it is
mounted in every app, or pass routers to `create_app` for a one-off (tests, benchmarks).
Page routers can render with `backspasm.web.templating.render` to share the frame and headers.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from backspasm.engine.answers import AnswerError
from backspasm.engine.assessment import Assessment
from backspasm.engine.knowledge_base import load_knowledge
from backspasm.version import __version__
from backspasm.web import api, api_models, openapi, pages, problems
from backspasm.web.settings import Settings, load_settings
from backspasm.web.templating import environment


@dataclass(frozen=True)
class Route:
    path: str
    method: str
    endpoint: Callable[..., Any]
    name: str
    response_model: Any = None  # for the API: the documented JSON shape
    responses: dict[int | str, dict[str, Any]] | None = None  # other documented statuses


ROUTES: tuple[Route, ...] = (
    # pages: plain HTML forms, enhanced by htmx when JavaScript runs
    Route("/", "GET", pages.start, "start"),
    Route("/embed", "GET", pages.embed, "embed"),
    Route("/interview", "GET", pages.first_question, "interview"),
    Route("/interview", "POST", pages.answer, "answer"),
    Route("/print", "POST", pages.print_view, "print"),
    Route("/theme.css", "GET", pages.theme, "theme"),
    # JSON API, described at /openapi.json and /docs
    Route("/api/v1/questions", "GET", api.questions, "api-questions", api_models.Questions),
    Route(
        "/api/v1/interview/next",
        "POST",
        api.interview_next,
        "api-interview-next",
        api_models.InterviewNext,
    ),
    Route(
        "/api/v1/interview/screen",
        "POST",
        api.interview_screen,
        "api-interview-screen",
        api_models.ScreenAnswered,
        {409: {"model": api_models.Conflict, "description": api_models.CONFLICT}},
    ),
    Route("/api/v1/assessments", "POST", api.assessments, "api-assessments", Assessment),
)

# Routers from other parts of backspasm, mounted in every app: "module:attribute", naming an
# APIRouter or a function that builds one from the settings. The OpenAPI schema describes the
# /api/v1 contract; a mounted router documents its own routes (README) and is tested by its own
# suite, so it stays out of the schema.
ROUTERS: tuple[str, ...] = (
    "backspasm.web.diary:mounted_router",
    "backspasm.fhir.routes:router",
)


def create_app(settings: Settings | None = None, routers: Iterable[APIRouter] = ()) -> FastAPI:
    settings = settings or load_settings()
    kb = load_knowledge()
    app = FastAPI(
        title="backspasm",
        version=__version__,
        description="Triage, likely contributors and a cited care plan for back pain and "
        "spasm. This is not a diagnosis.",
    )
    app.state.settings = settings
    app.state.kb = kb
    for route in ROUTES:
        is_api = route.path.startswith("/api/")
        app.add_api_route(
            route.path,
            route.endpoint,
            methods=[route.method],
            name=route.name,
            response_model=route.response_model,
            responses=route.responses,
            include_in_schema=is_api,
            tags=["api"] if is_api else None,
        )
    app.mount(
        "/static", StaticFiles(directory=str(files("backspasm.web") / "static")), name="static"
    )
    for spec in ROUTERS:
        app.include_router(_load_router(spec, settings), include_in_schema=False)
    for router in routers:
        app.include_router(router)
    app.add_exception_handler(AnswerError, problems.answer_error)
    app.add_exception_handler(RequestValidationError, problems.validation_error)
    app.add_exception_handler(HTTPException, problems.http_error)
    openapi.install(app, kb)
    environment()  # load the templates now, not on a person's first request
    gc.collect()
    gc.freeze()  # the app's long-lived objects need no more GC scans; requests stay fast
    return app


def _load_router(spec: str, settings: Settings) -> APIRouter:
    module, _, attribute = spec.partition(":")
    found = getattr(importlib.import_module(module), attribute)
    router: APIRouter = found if isinstance(found, APIRouter) else found(settings)
    return router


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory`: settings from BACKSPASM_* variables."""
    return create_app(load_settings())
