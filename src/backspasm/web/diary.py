"""Web faces of follow-up: the diary page, its JSON API, the clinician summary, reminders,
export and delete for the person; summaries for clinic staff.

Routes (a person's routes are reachable only with their episode's link token):

    GET  /diary/{token}                  diary page: what to do now, quick entry form, trend
    POST /diary/{token}                  add an entry from the form, then back to the page
    GET  /diary/{token}/summary          clinician summary (HTML; .pdf for PDF)
    GET  /diary/{token}/checkins.ics     check-in reminders for a calendar
    GET  /diary/{token}/export.json      everything stored, as JSON
    POST /diary/{token}/delete           delete everything (asks to confirm)
    POST /api/episodes                   {answers} -> a new episode and its token
    GET  /api/episodes/{token}           follow-up now and the diary
    POST /api/episodes/{token}/diary     add an entry (JSON)
    GET  /api/episodes/{token}/export    everything stored, as JSON
    DELETE /api/episodes/{token}         delete everything
    GET  /api/staff/episodes             staff (Bearer token): every episode and its level
    GET  /api/staff/episodes/{id}/summary[.pdf]   staff: one clinician summary

Each handler opens and commits its own transaction before it answers, so a 2xx reply means
the write is on disk. Nothing here logs; `redact_access_log` keeps tokens and client
addresses out of the server's access log.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Header, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session, sessionmaker

from backspasm.engine.answers import AnswerError
from backspasm.engine.knowledge_base import KnowledgeBase, load_knowledge
from backspasm.followup import episodes
from backspasm.followup.calendar import calendar
from backspasm.followup.chart import Point, marks, trend_svg
from backspasm.followup.diary import DiaryError, DiaryInput
from backspasm.followup.rules import FollowUp, History
from backspasm.followup.summary import render_html, render_pdf
from backspasm.store import repository as repo
from backspasm.store.database import migrate, open_engine, sessions
from backspasm.store.tables import Episode
from backspasm.web.settings import Settings
from backspasm.web.views import WORDS, in_words, tel_href

PRIVATE = {  # a token page must not be cached, indexed, or leak its URL as a referrer
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
TOKEN_IN_PATH = re.compile(r"/(diary|api/episodes)/[^/?\s]+")
SPASMS = {"none": "None", "some": "Some", "many": "Many"}
HELPED = {"yes": "helped", "no": "didn't help", "unsure": "not sure"}


class NewEpisode(BaseModel):
    answers: dict[str, Any]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def followup_router(
    session_factory: sessionmaker[Session],
    kb: KnowledgeBase | None = None,
    clock: Callable[[], datetime] = _utc_now,
    emergency_number: str = "999",
) -> APIRouter:
    """The routes above, over one database; `clock` is the only place "now" comes from."""
    knowledge = kb or load_knowledge()
    templates = Environment(
        loader=PackageLoader("backspasm.web", "templates/diary"),
        autoescape=select_autoescape(default=True),
    )
    router = APIRouter()

    @contextmanager
    def person(token: str) -> Iterator[tuple[Session, Episode]]:
        with session_factory.begin() as session:
            episode = repo.episode_by_token(session, token)
            if episode is None:
                raise HTTPException(404, "No diary at this address.", headers=PRIVATE)
            yield session, episode

    def page(
        session: Session, episode: Episode, token: str, error: str = "", status: int = 200
    ) -> HTMLResponse:
        now = clock()
        follow = episodes.current(session, knowledge, episode, now.date())
        entries = episodes.diary_inputs(session, episode)
        html = templates.get_template("diary.html").render(
            **diary_values(knowledge, episode, token, follow, entries, now, error),
            **emergency_values(follow.level, emergency_number),
        )
        return HTMLResponse(html, status_code=status, headers=PRIVATE)

    @router.get("/diary/{token}", response_class=HTMLResponse)
    def diary_page(token: str) -> HTMLResponse:
        with session_factory.begin() as session:
            episode = repo.episode_by_token(session, token)
            if episode is None:  # a mistyped, cut-short or deleted link: say so in words
                html = templates.get_template("missing.html").render(number=emergency_number)
                return HTMLResponse(html, status_code=404, headers=PRIVATE)
            return page(session, episode, token)

    @router.post("/diary/{token}", response_class=HTMLResponse, response_model=None)
    def diary_form(
        token: str,
        pain: Annotated[int, Form()],
        function: Annotated[int, Form()],
        spasms: Annotated[str, Form()],
        day: Annotated[str, Form()],
        tried: Annotated[list[str] | None, Form()] = None,
        symptom: Annotated[list[str] | None, Form()] = None,
    ) -> Response:
        pairs = [value.partition(":") for value in tried or [] if value]
        raw = {
            "day": day,
            "pain": pain,
            "function": function,
            "spasms": spasms,
            "tried": [{"item": item, "helped": helped} for item, _, helped in pairs],
            "new_symptoms": symptom or [],
        }
        with person(token) as (session, episode):
            try:
                entry = DiaryInput.model_validate(raw)
                episodes.add_entry(session, knowledge, episode, entry, clock())
            except (ValidationError, DiaryError) as error:  # raised before anything is written
                return page(session, episode, token, _problem(error), 422)
        return RedirectResponse(f"/diary/{token}#now", status_code=303, headers=PRIVATE)

    @router.get("/diary/{token}/summary", response_class=HTMLResponse)
    def summary_page(token: str) -> HTMLResponse:
        with person(token) as (session, episode):
            values = episodes.summary_values(session, knowledge, episode, clock().date())
        return HTMLResponse(render_html(values), headers=PRIVATE)

    @router.get("/diary/{token}/summary.pdf")
    def summary_pdf(token: str) -> Response:
        with person(token) as (session, episode):
            values = episodes.summary_values(session, knowledge, episode, clock().date())
        return _pdf(render_html(values), PRIVATE)

    @router.get("/diary/{token}/checkins.ics")
    def checkins(token: str, request: Request) -> Response:
        now = clock()
        with person(token) as (_, episode):
            reminders = episodes.reminders(knowledge, episode, now.date())
        link = str(request.url_for("diary_page", token=token))
        return Response(
            calendar(reminders, now, link),
            media_type="text/calendar; charset=utf-8",
            headers={**PRIVATE, "Content-Disposition": 'attachment; filename="checkins.ics"'},
        )

    @router.get("/diary/{token}/export.json")
    def export_download(token: str) -> JSONResponse:
        with person(token) as (session, episode):
            data = episodes.export(session, episode)
        return JSONResponse(
            data,
            headers={
                **PRIVATE,
                "Content-Disposition": 'attachment; filename="backspasm-diary.json"',
            },
        )

    @router.post("/diary/{token}/delete", response_class=HTMLResponse)
    def delete_page(token: str, confirm: Annotated[str, Form()] = "") -> HTMLResponse:
        with person(token) as (session, episode):
            if confirm != "yes":
                return page(
                    session,
                    episode,
                    token,
                    "Tick the box to confirm you want everything deleted.",
                    422,
                )
            repo.delete_episode(session, episode.id)
        html = templates.get_template("deleted.html").render()
        return HTMLResponse(html, headers=PRIVATE)

    @router.post("/diary", response_class=HTMLResponse, response_model=None)
    def diary_start(request: Request, answers: Annotated[str, Form()]) -> Response:
        """From a result page: keep a diary of this episode, then go to its private page."""
        try:
            raw = json.loads(answers)
            if not isinstance(raw, dict):
                raise ValueError
        except ValueError:
            raise HTTPException(422, "The answers could not be read.") from None
        try:
            with session_factory.begin() as session:
                started = episodes.start(session, knowledge, raw, clock())
        except AnswerError as error:
            raise HTTPException(422, _problem(error)) from None
        page = request.url_for("diary_page", token=started.token)
        return RedirectResponse(str(page), status_code=303, headers=PRIVATE)

    @router.post("/api/episodes", status_code=201)
    def api_start(body: NewEpisode, request: Request) -> JSONResponse:
        try:
            with session_factory.begin() as session:
                started = episodes.start(session, knowledge, body.answers, clock())
        except AnswerError as error:
            detail = [{"field": p.field, "reason": p.reason} for p in error.problems]
            raise HTTPException(422, detail) from None
        return JSONResponse(
            {
                "token": started.token,
                "diary_url": str(request.url_for("diary_page", token=started.token)),
                "assessment_id": started.assessment_id,
                "result": started.result.model_dump(mode="json"),
            },
            status_code=201,
            headers=PRIVATE,
        )

    @router.get("/api/episodes/{token}")
    def api_episode(token: str) -> JSONResponse:
        with person(token) as (session, episode):
            follow = episodes.current(session, knowledge, episode, clock().date())
            entries = episodes.diary_inputs(session, episode)
        return JSONResponse(
            {
                "follow_up": follow.model_dump(mode="json"),
                "diary": [entry.model_dump(mode="json") for entry in entries],
            },
            headers=PRIVATE,
        )

    @router.post("/api/episodes/{token}/diary", status_code=201)
    def api_add(token: str, entry: DiaryInput) -> JSONResponse:
        with person(token) as (session, episode):
            try:
                entry_id, follow = episodes.add_entry(session, knowledge, episode, entry, clock())
            except DiaryError as error:
                raise HTTPException(422, str(error), headers=PRIVATE) from None
        return JSONResponse(
            {"id": entry_id, "follow_up": follow.model_dump(mode="json")},
            status_code=201,
            headers=PRIVATE,
        )

    @router.get("/api/episodes/{token}/export")
    def api_export(token: str) -> JSONResponse:
        with person(token) as (session, episode):
            return JSONResponse(episodes.export(session, episode), headers=PRIVATE)

    @router.delete("/api/episodes/{token}", status_code=204)
    def api_delete(token: str) -> Response:
        with person(token) as (session, episode):
            repo.delete_episode(session, episode.id)
        return Response(status_code=204, headers=PRIVATE)

    def staff(authorization: str | None) -> None:
        scheme, _, token = (authorization or "").partition(" ")
        with session_factory.begin() as session:
            if scheme.lower() != "bearer" or not repo.staff_token_valid(session, token.strip()):
                raise HTTPException(
                    401, "A valid staff token is needed.", headers={"WWW-Authenticate": "Bearer"}
                )

    @router.get("/api/staff/episodes")
    def staff_episodes(authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
        staff(authorization)
        today = clock().date()
        with session_factory.begin() as session:
            rows = []
            for episode in repo.all_episodes(session):
                follow = episodes.current(session, knowledge, episode, today)
                rows.append(
                    {
                        "id": episode.id,
                        "started_on": episode.started_on.isoformat(),
                        "level": follow.level,
                        "rules": [a.rule for a in follow.advice],
                        "days_since_entry": follow.days_since_entry,
                    }
                )
        return JSONResponse(rows, headers=PRIVATE)

    @router.get("/api/staff/episodes/{episode_id}/summary", response_class=HTMLResponse)
    def staff_summary(
        episode_id: int, authorization: Annotated[str | None, Header()] = None
    ) -> HTMLResponse:
        staff(authorization)
        return HTMLResponse(render_html(staff_values(episode_id)), headers=PRIVATE)

    @router.get("/api/staff/episodes/{episode_id}/summary.pdf")
    def staff_summary_pdf(
        episode_id: int, authorization: Annotated[str | None, Header()] = None
    ) -> Response:
        staff(authorization)
        return _pdf(render_html(staff_values(episode_id)), PRIVATE)

    def staff_values(episode_id: int) -> dict[str, Any]:
        with session_factory.begin() as session:
            episode = repo.episode_by_id(session, episode_id)
            if episode is None:
                raise HTTPException(404, "No such episode.")
            return episodes.summary_values(session, knowledge, episode, clock().date())

    return router


def diary_values(
    kb: KnowledgeBase,
    episode: Episode,
    token: str,
    follow: FollowUp,
    entries: list[DiaryInput],
    now: datetime,
    error: str,
) -> dict[str, Any]:
    """Everything the diary page shows, decided here so the template only lays it out.

    One deadline at a time: the most urgent advice (advice is sorted most urgent first), so a
    calmer deadline never sits under an urgent one. Its own words say why; a re-assessment adds
    the reasons the triage gave. The entry form starts empty every day.
    """
    history = History(episode.started_on, episode.answers)
    points = [Point(e.day, e.pain, e.function) for e in entries]
    first = follow.advice[0] if follow.advice else None
    return {
        "base": f"/diary/{token}",
        "today": now.date().isoformat(),
        "error": error,
        "level_text": follow.level_text,
        "urgent": follow.level not in ("self_care", "consultation"),
        "advice": []
        if first is None
        else [
            {
                "tell": first.tell,
                "due": in_words(first.due),
                "why": "; ".join(b.rstrip(".") for b in first.because if b)
                if first.action == "retriage"
                else "",
            }
        ],
        "stage": follow.stage,
        "entered_today": follow.days_since_entry == 0,
        "pain_choices": [{"value": n, "checked": False} for n in range(11)],
        "function_choices": [{"value": n, "checked": False} for n in range(11)],
        "spasm_choices": [{"value": k, "label": v, "checked": False} for k, v in SPASMS.items()],
        "tried": [
            {
                "item": item,
                "label": label,
                "options": [{"value": f"{item}:{k}", "label": v} for k, v in HELPED.items()],
            }
            for item, label in kb.followup.diary.tried.items()
        ],
        "symptoms": list(kb.followup.diary.symptoms.items()),
        "chart": Markup(trend_svg(points, episode.started_on, now.date(), marks(kb, history))),
        "entries": [
            {"day": in_words(e.day), "pain": e.pain, "function": e.function}
            for e in reversed(entries[-7:])
        ],
    }


def emergency_values(level: str, number: str) -> dict[str, Any]:
    """The diary's emergency panel: the same call link and "do not drive" as the result."""
    emergency = level in ("emergency_ambulance", "emergency")
    drive = WORDS["emergency_do_not_drive"].get(level, "") if emergency else ""
    return {
        "emergency": emergency,
        "number": number,
        "call_label": str(WORDS["call"]).format(number=number) if number else "",
        "tel_href": tel_href(number) if number else "",
        "do_not_drive": str(drive).format(number=number or "an ambulance"),
    }


def _problem(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
    return str(error)


def _pdf(html: str, headers: dict[str, str]) -> Response:
    return Response(
        render_pdf(html),
        media_type="application/pdf",
        headers={**headers, "Content-Disposition": 'inline; filename="back-pain-summary.pdf"'},
    )


class _RedactAccess(logging.Filter):
    """Uvicorn's access line is (client, method, path, version, status): hide the client and
    any link token in the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) == 5:
            _client, method, path, version, status = record.args
            record.args = (
                "-",
                method,
                TOKEN_IN_PATH.sub(r"/\1/<token>", str(path)),
                version,
                status,
            )
        return True


def redact_access_log() -> None:
    """Call once where the server starts (create_app, or the test server)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _RedactAccess) for f in access.filters):
        access.addFilter(_RedactAccess())


def mounted_router(settings: Settings) -> APIRouter:
    """The diary as the web app mounts it: the database from the `database_url` setting (or the
    default SQLite file), migrated on start, and an access log without tokens or addresses."""
    engine = open_engine(settings.database_url or None)
    migrate(engine)
    redact_access_log()
    return followup_router(sessions(engine), emergency_number=settings.emergency_number)
