"""Web faces of the exercise programme: the library, a page per exercise, and a person's weekly
programme as a page and a printable PDF.

    GET /exercises                           every exercise, by stage of the plan
    GET /exercises/{exercise_id}             one exercise: picture, steps, doses, cautions
    GET /diary/{token}/programme             this week's programme for the diary's person
    GET /diary/{token}/programme.pdf         the same, one or two pages to print

Pictures are the packaged SVGs (web/static/exercises/), inlined as data: URLs so the pages and
the PDF need no other request. The diary page shows today's programme with `diary_programme`
and reads the exercise part of its form with `report_from_form`.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session, sessionmaker

from backspasm.engine.assessment import source_refs
from backspasm.engine.citations import SourceRef
from backspasm.engine.exercise_schema import Exercise
from backspasm.engine.exercises import stage_exercises
from backspasm.engine.knowledge_base import KnowledgeBase, load_knowledge
from backspasm.followup import episodes
from backspasm.followup.programme import Programme
from backspasm.followup.summary import render_pdf
from backspasm.store import repository as repo
from backspasm.store.database import open_engine, sessions
from backspasm.web.settings import Settings

PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
FELT = {"fine": "went fine", "too_hard": "too hard"}
NEXT_MORNING = {"settled": "had settled", "worse": "was still worse"}
WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@cache
def picture_url(exercise_id: str) -> str:
    svg = (files("backspasm.web") / "static" / "exercises" / f"{exercise_id}.svg").read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


@cache
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("backspasm.web", "templates/exercises"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _cite(refs: list[SourceRef]) -> list[dict[str, str]]:
    return [
        {
            "title": ref.title,
            "publisher": f"{ref.publisher}, {ref.year}",
            "locator": ref.locator,
            "url": ref.url,
        }
        for ref in refs
    ]


def _general(kb: KnowledgeBase) -> list[dict[str, str]]:
    return [{"title": g.title, "text": g.text} for g in kb.exercises.general]


def exercise_values(kb: KnowledgeBase, exercise: Exercise) -> dict[str, Any]:
    stages = {stage.id: stage.title for stage in kb.followup.stages}
    return {
        "id": exercise.id,
        "title": exercise.title,
        "picture": picture_url(exercise.id),
        "alt": exercise.picture.alt,
        "purpose": exercise.purpose,
        "stages": ", ".join(stages[s] for s in exercise.stages),
        "steps": exercise.steps,
        "doses": [f"Level {n}: {dose}" for n, dose in enumerate(exercise.doses, 1)],
        "easier": exercise.easier,
        "harder": exercise.harder,
        "stop_if": exercise.stop_if,
        "not_for": [c.because[:1].upper() + c.because[1:] for c in exercise.contraindicated_when],
        "general": _general(kb),
        "sources": _cite(source_refs(kb, exercise.sources)),
    }


def library_values(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "stages": [
            {
                "title": f"Step {n} of the plan: {stage.title}",
                "exercises": [
                    {
                        "id": e.id,
                        "title": e.title,
                        "picture": picture_url(e.id),
                        "alt": e.picture.alt,
                    }
                    for e in stage_exercises(kb, stage.id)
                ],
            }
            for n, stage in enumerate(kb.followup.stages, 1)
        ],
        "general": _general(kb),
    }


def diary_programme(kb: KnowledgeBase, plan: Programme, base: str) -> dict[str, Any]:
    """Today's programme as the diary page and the programme page show it."""
    return {
        "title": f"{plan.stage_title}: level {plan.step} of {plan.steps}",
        "stopped": plan.stopped,
        "tell": plan.tell,
        "exercises": [
            {
                "id": item.id,
                "title": item.title,
                "href": f"/exercises/{item.id}",
                "picture": picture_url(item.id),
                "alt": item.alt,
                "purpose": item.purpose,
                "dose": item.dose,
                "check_first": [f"Check first: {note}" for note in item.check_first],
            }
            for item in plan.items
        ],
        "left_out": [
            {"title": item.title, "because": "; ".join(item.because)} for item in plan.left_out
        ],
        "felt": [{"value": k, "label": v} for k, v in FELT.items()],
        "next_morning": [{"value": k, "label": v} for k, v in NEXT_MORNING.items()],
        "programme_href": f"{base}/programme",
        "pdf_href": f"{base}/programme.pdf",
        "general": _general(kb),
    }


def report_from_form(
    done: list[str] | None, pain: str | None, next_morning: str | None
) -> dict[str, Any] | None:
    """The diary form's exercise fields ("id:felt" per exercise done, the highest pain during
    them, the next morning) as an ExerciseReport's raw data, or None when nothing was given."""
    pairs = [value.partition(":") for value in done or [] if value]
    if not pairs and not pain and not next_morning:
        return None
    return {
        "done": [{"id": exercise, "felt": felt} for exercise, _, felt in pairs],
        "pain": pain or None,
        "next_morning": next_morning or None,
    }


def _utc_now() -> datetime:
    return datetime.now(UTC)


def exercises_router(
    session_factory: sessionmaker[Session],
    kb: KnowledgeBase | None = None,
    clock: Callable[[], datetime] = _utc_now,
) -> APIRouter:
    knowledge = kb or load_knowledge()
    router = APIRouter()

    def page(template: str, **values: Any) -> str:
        return _templates().get_template(template).render(**values)

    @router.get("/exercises", response_class=HTMLResponse)
    def library() -> HTMLResponse:
        return HTMLResponse(page("library.html", **library_values(knowledge)))

    @router.get("/exercises/{exercise_id}", response_class=HTMLResponse)
    def exercise_page(exercise_id: str) -> HTMLResponse:
        try:
            exercise = knowledge.exercises.by_id(exercise_id)
        except KeyError:
            raise HTTPException(404, "No exercise by that name.") from None
        return HTMLResponse(page("exercise.html", **exercise_values(knowledge, exercise)))

    def programme_html(token: str, printable: bool) -> str:
        today = clock().date()
        with session_factory.begin() as session:
            episode = repo.episode_by_token(session, token)
            if episode is None:
                raise HTTPException(404, "No diary at this address.", headers=PRIVATE)
            plan = episodes.programme_now(session, knowledge, episode, today)
        return page(
            "programme.html",
            **diary_programme(knowledge, plan, f"/diary/{token}"),
            **week_values(today),
            diary_href=f"/diary/{token}",
            printable=printable,
        )

    @router.get("/diary/{token}/programme", response_class=HTMLResponse)
    def programme_page(token: str) -> HTMLResponse:
        return HTMLResponse(programme_html(token, printable=False), headers=PRIVATE)

    @router.get("/diary/{token}/programme.pdf")
    def programme_pdf(token: str) -> Response:
        return Response(
            render_pdf(programme_html(token, printable=True)),
            media_type="application/pdf",
            headers={
                **PRIVATE,
                "Content-Disposition": 'inline; filename="back-exercise-programme.pdf"',
            },
        )

    return router


def week_values(today: date) -> dict[str, Any]:
    monday = today - timedelta(days=today.weekday())
    return {
        "week_of": monday.isoformat(),
        "week_days": [f"{name} {(monday + timedelta(days=n)).day}" for n, name in enumerate(WEEK)],
    }


def mounted_router(settings: Settings) -> APIRouter:
    """The exercise pages as the web app mounts them, over the diary's database."""
    return exercises_router(sessions(open_engine(settings.database_url or None)))
