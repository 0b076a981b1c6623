"""Web faces of the exercise programme: the library, a page per exercise, and a person's weekly
programme as a page and a printable PDF.

    GET /exercises                           every exercise, by stage of the plan
    GET /exercises/{exercise_id}             one exercise: picture, steps, doses, cautions
    GET /diary/{token}/programme             this week's programme for the diary's person
    GET /diary/{token}/programme.pdf         the same, one or two pages to print

Pictures are the packaged SVGs (web/static/exercises/), inlined as data: URLs so the pages and
the PDF need no other request. The handlers are plain functions in the app's route table
(web/app.py) and read the knowledge, database and clock from `app.state`. The diary page shows
today's programme with `diary_programme` and reads the exercise part of its form with
`report_from_form`.
"""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta
from functools import cache
from importlib.resources import files
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.orm import Session, sessionmaker

from backspasm.engine.assessment import source_refs
from backspasm.engine.citations import SourceRef
from backspasm.engine.exercise_schema import Exercise
from backspasm.engine.exercises import stage_exercises
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.followup import episodes
from backspasm.followup.programme import Programme
from backspasm.followup.summary import render_pdf
from backspasm.messages import message, messages
from backspasm.store import repository as repo
from backspasm.web import state
from backspasm.web.templating import html_page

PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


@cache
def picture_url(exercise_id: str) -> str:
    svg = (files("backspasm.web") / "static" / "exercises" / f"{exercise_id}.svg").read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


@cache
def _templates() -> Environment:
    templates = Environment(
        loader=PackageLoader("backspasm.web", "templates/exercises"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.globals["message"] = message  # every word the pages show (messages.yaml)
    return templates


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
                "title": message("exercise_pages", "plan_step", number=n, title=stage.title),
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
                "check_first": [message("result", "check_first", what=n) for n in item.check_first],
            }
            for item in plan.items
        ],
        "left_out": [
            {"title": item.title, "because": "; ".join(item.because)} for item in plan.left_out
        ],
        "felt": [{"value": k, "label": v} for k, v in messages("exercise_felt").items()],
        "next_morning": [
            {"value": k, "label": v} for k, v in messages("exercise_next_morning").items()
        ],
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


def _state(request: Request) -> tuple[KnowledgeBase, sessionmaker[Session], datetime]:
    """The knowledge, the database and "now", as create_app put them on the app."""
    return state.knowledge(request), state.sessions(request), state.now(request)


def _page(template: str, **values: Any) -> str:
    return _templates().get_template(template).render(**values)


def library(request: Request) -> Response:
    kb, _, _ = _state(request)
    base = _base(request)
    return html_page(
        request, _page("library.html", **library_values(kb), **_style(base), base=base)
    )


def exercise_page(request: Request, exercise_id: str) -> Response:
    kb, _, _ = _state(request)
    try:
        exercise = kb.exercises.by_id(exercise_id)
    except KeyError:
        raise HTTPException(404, message("errors", "no_exercise")) from None
    base = _base(request)
    values = exercise_values(kb, exercise)
    return html_page(request, _page("exercise.html", **values, **_style(base), base=base))


def programme_page(request: Request, token: str) -> Response:
    base = _base(request)
    response = html_page(request, _programme_html(request, token, _style(base)))
    response.headers.update(PRIVATE)
    return response


def programme_pdf(request: Request, token: str) -> Response:
    html = _programme_html(
        request, token, {"stylesheet": Markup(stylesheet()), "stylesheet_href": ""}
    )
    return Response(
        render_pdf(html),
        media_type="application/pdf",
        headers={
            **PRIVATE,
            "Content-Disposition": 'inline; filename="back-exercise-programme.pdf"',
        },
    )


def _programme_html(request: Request, token: str, style: dict[str, str]) -> str:
    kb, sessions, now = _state(request)
    with sessions.begin() as session:
        episode = repo.episode_by_token(session, token)
        if episode is None:
            raise HTTPException(404, message("errors", "no_diary"), headers=PRIVATE)
        plan = episodes.programme_now(session, kb, episode, now.date())
    base = _base(request)
    return _page(
        "programme.html",
        **diary_programme(kb, plan, f"{base}/diary/{token}"),
        **week_values(now.date()),
        **style,
        base=base,
        diary_href=f"{base}/diary/{token}",
    )


def _base(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _style(base: str) -> dict[str, str]:
    return {"stylesheet": "", "stylesheet_href": f"{base}/static/exercises.css"}


@cache
def stylesheet() -> str:
    """The pages' stylesheet, inlined into the PDF (the web pages link it)."""
    return (files("backspasm.web") / "static" / "exercises.css").read_text()


def week_values(today: date) -> dict[str, Any]:
    monday = today - timedelta(days=today.weekday())
    return {
        "week_of": monday.isoformat(),
        "week_days": [
            f"{name} {(monday + timedelta(days=n)).day}"
            for n, name in enumerate(messages("week_days").values())
        ],
    }
