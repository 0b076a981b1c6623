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
    GET  /api/episodes/{token}           follow-up now, the diary and the exercise programme
    POST /api/episodes/{token}/diary     add an entry (JSON)
    GET  /api/episodes/{token}/export    everything stored, as JSON
    DELETE /api/episodes/{token}         delete everything
    GET  /api/staff/episodes             staff (Bearer token): every episode and its level
    GET  /api/staff/episodes/{id}/summary[.pdf]   staff: one clinician summary

The handlers are plain functions listed in the app's one route table (web/app.py); they read
the database, the knowledge and the clock from the app (`app.state.sessions`, `.kb`,
`.clock`) through FastAPI dependencies, and every HTML page goes out through
`templating.render` / `html_page`, with the same security headers as every other page.
Each handler opens and commits its own transaction before it answers, so a 2xx reply means
the write is on disk. Nothing here logs; `redact_access_log` keeps tokens and client
addresses out of the server's access log.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Form, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from markupsafe import Markup
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session, sessionmaker

from backspasm.engine.answers import AnswerError
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.numbers import Numbers, fill_all
from backspasm.fhir.structure import MAX_DEPTH, nesting_depth
from backspasm.followup import episodes
from backspasm.followup.calendar import calendar
from backspasm.followup.chart import Point, marks, trend_svg
from backspasm.followup.diary import DiaryError, DiaryInput
from backspasm.followup.rules import FollowUp, History
from backspasm.followup.summary import render_html, render_pdf, stylesheet
from backspasm.messages import message, messages
from backspasm.store import repository as repo
from backspasm.store.tables import Episode
from backspasm.web import state
from backspasm.web.exercises import diary_programme, report_from_form
from backspasm.web.templating import html_page, render
from backspasm.web.views import do_not_drive_text, in_words, tel_href

PRIVATE = {  # a token page must not be cached, indexed, or leak its URL as a referrer
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
TOKEN_IN_PATH = re.compile(r"/(diary|api/episodes|fhir/result)/[^/?\s]+")


class NewEpisode(BaseModel):
    answers: dict[str, Any]


# --- what every handler reads from the app (set by create_app) ---------------------------------
Sessions = Annotated[sessionmaker[Session], Depends(state.sessions)]
Reads = Annotated[sessionmaker[Session], Depends(state.reads)]
Kb = Annotated[KnowledgeBase, Depends(state.knowledge)]
Now = Annotated[datetime, Depends(state.now)]


@contextmanager
def _person(sessions: sessionmaker[Session], token: str) -> Iterator[tuple[Session, Episode]]:
    with sessions.begin() as session:
        episode = repo.episode_by_token(session, token)
        if episode is None:
            raise HTTPException(404, message("diary", "not_found"), headers=PRIVATE)
        yield session, episode


def _private(response: Response) -> Response:
    response.headers.update(PRIVATE)
    return response


def _page(
    request: Request,
    kb: KnowledgeBase,
    now: datetime,
    session: Session,
    episode: Episode,
    token: str,
    error: str = "",
    status: int = 200,
) -> Response:
    follow = episodes.current(session, kb, episode, now.date())
    entries = episodes.diary_inputs(session, episode)
    settings = state.settings(request)
    values = diary_values(kb, episode, token, follow, entries, now, error, settings.numbers())
    values |= emergency_values(follow.level, settings.emergency_number)
    first = follow.retriage.first_action if follow.level == follow.retriage.disposition.id else None
    if values["emergency"] and first is not None:  # the level's one first action, as the result
        first_words = settings.numbers()
        values |= {
            "level_title": first.title,
            "level_text": first_words.fill(first.text),
            "do_not_drive": "",
            "call_class": "call call-secondary",
        }
    plan = episodes.programme_now(session, kb, episode, now.date())
    values["programme"] = diary_programme(kb, plan, f"/diary/{token}")
    title = message("diary", "title")
    page = render(request, "diary/diary.html", title, status_code=status, heading=title, **values)
    return _private(page)


def _summary_page(request: Request, values: dict[str, Any]) -> Response:
    settings = state.settings(request)
    base = str(request.scope.get("root_path", "")).rstrip("/")
    html = render_html(values, f"{base}/summary.css", settings.language)
    return _private(html_page(request, html))


# --- a person's pages, reachable only with their episode's link token --------------------------
def diary_page(request: Request, token: str, sessions: Reads, kb: Kb, now: Now) -> Response:
    with _person(sessions, token) as (session, episode):
        return _page(request, kb, now, session, episode, token)


def diary_form(
    request: Request,
    token: str,
    sessions: Sessions,
    kb: Kb,
    now: Now,
    pain: Annotated[int, Form()],
    function: Annotated[int, Form()],
    spasms: Annotated[str, Form()],
    day: Annotated[str, Form()],
    tried: Annotated[list[str] | None, Form()] = None,
    symptom: Annotated[list[str] | None, Form()] = None,
    exercise_done: Annotated[list[str] | None, Form()] = None,
    exercise_pain: Annotated[str | None, Form()] = None,
    exercise_next_morning: Annotated[str | None, Form()] = None,
) -> Response:
    pairs = [value.partition(":") for value in tried or [] if value]
    raw = {
        "day": day,
        "pain": pain,
        "function": function,
        "spasms": spasms,
        "tried": [{"item": item, "helped": helped} for item, _, helped in pairs],
        "new_symptoms": symptom or [],
        "exercise": report_from_form(exercise_done, exercise_pain, exercise_next_morning),
    }
    with _person(sessions, token) as (session, episode):
        try:
            entry = DiaryInput.model_validate(raw)
            episodes.add_entry(session, kb, episode, entry, now)
        except (ValidationError, DiaryError) as error:  # raised before anything is written
            return _page(request, kb, now, session, episode, token, _problem(error), 422)
    return RedirectResponse(f"/diary/{token}#now", status_code=303, headers=PRIVATE)


def summary_page(request: Request, token: str, sessions: Reads, kb: Kb, now: Now) -> Response:
    with _person(sessions, token) as (session, episode):
        values = episodes.summary_values(session, kb, episode, now.date())
    return _summary_page(request, values)


def summary_pdf(token: str, sessions: Reads, kb: Kb, now: Now) -> Response:
    with _person(sessions, token) as (session, episode):
        values = episodes.summary_values(session, kb, episode, now.date())
    return _pdf(render_html(values), PRIVATE)


def summary_css() -> Response:
    """The clinician summary's stylesheet (the summary page links it; the PDF inlines it)."""
    return Response(stylesheet(), media_type="text/css; charset=utf-8")


def checkins(request: Request, token: str, sessions: Reads, kb: Kb, now: Now) -> Response:
    with _person(sessions, token) as (_, episode):
        reminders = episodes.reminders(kb, episode, now.date())
    # built from `public_url`, never from the request's Host header
    link = state.settings(request).link(f"/diary/{token}")
    return Response(
        calendar(reminders, now, link),
        media_type="text/calendar; charset=utf-8",
        headers={**PRIVATE, "Content-Disposition": 'attachment; filename="checkins.ics"'},
    )


def export_download(token: str, sessions: Reads) -> JSONResponse:
    with _person(sessions, token) as (session, episode):
        data = episodes.export(session, episode)
    return JSONResponse(
        data,
        headers={**PRIVATE, "Content-Disposition": 'attachment; filename="backspasm-diary.json"'},
    )


def delete_page(
    request: Request,
    token: str,
    sessions: Sessions,
    kb: Kb,
    now: Now,
    confirm: Annotated[str, Form()] = "",
) -> Response:
    with _person(sessions, token) as (session, episode):
        if confirm != "yes":
            problem = message("diary", "confirm_delete")
            return _page(request, kb, now, session, episode, token, problem, 422)
        repo.delete_episode(session, episode.id)
    page = render(
        request,
        "diary/deleted.html",
        message("diary", "deleted_title"),
        heading=message("diary", "deleted_heading"),
        text=message("diary", "deleted_text"),
    )
    return _private(page)


def diary_start(
    request: Request, sessions: Sessions, kb: Kb, now: Now, answers: Annotated[str, Form()]
) -> Response:
    """From a result page: keep a diary of this episode, then go to its private page."""
    try:
        if nesting_depth(answers) > MAX_DEPTH:
            raise ValueError
        raw = json.loads(answers)
        if not isinstance(raw, dict):
            raise ValueError
    except (ValueError, RecursionError):
        raise HTTPException(422, message("diary", "unreadable_answers")) from None
    try:
        with sessions.begin() as session:
            started = episodes.start(session, kb, raw, now)
    except AnswerError as error:
        raise HTTPException(422, _problem(error)) from None
    return RedirectResponse(
        state.settings(request).link(f"/diary/{started.token}"), status_code=303, headers=PRIVATE
    )


# --- the same for programs (JSON) ----------------------------------------------------------------
def api_start(
    body: NewEpisode, request: Request, sessions: Sessions, kb: Kb, now: Now
) -> JSONResponse:
    try:
        with sessions.begin() as session:
            started = episodes.start(session, kb, body.answers, now)
    except AnswerError as error:
        detail = [{"field": p.field, "reason": p.reason} for p in error.problems]
        raise HTTPException(422, detail) from None
    return JSONResponse(
        {
            "token": started.token,
            "diary_url": state.settings(request).link(f"/diary/{started.token}"),
            "assessment_id": started.assessment_id,
            "result": fill_all(started.result.model_dump(mode="json"), _numbers(request)),
        },
        status_code=201,
        headers=PRIVATE,
    )


def api_episode(token: str, request: Request, sessions: Reads, kb: Kb, now: Now) -> JSONResponse:
    with _person(sessions, token) as (session, episode):
        follow = episodes.current(session, kb, episode, now.date())
        entries = episodes.diary_inputs(session, episode)
        plan = episodes.programme_now(session, kb, episode, now.date())
    return JSONResponse(
        {
            "follow_up": fill_all(follow.model_dump(mode="json"), _numbers(request)),
            "diary": [entry.model_dump(mode="json") for entry in entries],
            "programme": plan.model_dump(mode="json"),
        },
        headers=PRIVATE,
    )


def api_add(
    token: str, entry: DiaryInput, request: Request, sessions: Sessions, kb: Kb, now: Now
) -> JSONResponse:
    with _person(sessions, token) as (session, episode):
        try:
            entry_id, follow = episodes.add_entry(session, kb, episode, entry, now)
        except DiaryError as error:
            raise HTTPException(422, str(error), headers=PRIVATE) from None
    return JSONResponse(
        {"id": entry_id, "follow_up": fill_all(follow.model_dump(mode="json"), _numbers(request))},
        status_code=201,
        headers=PRIVATE,
    )


def _numbers(request: Request) -> Numbers:
    """The deployment's phone numbers, for the texts of a result or follow-up sent to a program
    (the stored record, and its export, keep the knowledge's placeholders)."""
    return state.settings(request).numbers()


def api_export(token: str, sessions: Reads) -> JSONResponse:
    with _person(sessions, token) as (session, episode):
        return JSONResponse(episodes.export(session, episode), headers=PRIVATE)


def api_delete(token: str, sessions: Sessions) -> Response:
    with _person(sessions, token) as (session, episode):
        repo.delete_episode(session, episode.id)
    return Response(status_code=204, headers=PRIVATE)


# --- clinic staff (Bearer token) -----------------------------------------------------------------
def _staff(sessions: Reads, authorization: Annotated[str | None, Header()] = None) -> None:
    scheme, _, token = (authorization or "").partition(" ")
    with sessions.begin() as session:
        if scheme.lower() != "bearer" or not repo.staff_token_valid(session, token.strip()):
            raise HTTPException(
                401, "A valid staff token is needed.", headers={"WWW-Authenticate": "Bearer"}
            )


StaffOnly = Annotated[None, Depends(_staff)]


def staff_episodes(_: StaffOnly, sessions: Reads, kb: Kb, now: Now) -> JSONResponse:
    today = now.date()
    with sessions.begin() as session:
        ids = repo.all_episode_ids(session)
    rows = []
    for episode_id in ids:  # one short read each, so no transaction spans the whole list
        with sessions.begin() as session:
            episode = repo.episode_by_id(session, episode_id)
            if episode is None:  # deleted meanwhile
                continue
            follow = episodes.current(session, kb, episode, today)
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


def staff_summary(
    _: StaffOnly, request: Request, episode_id: int, sessions: Reads, kb: Kb, now: Now
) -> Response:
    return _summary_page(request, _staff_values(sessions, kb, now, episode_id))


def staff_summary_pdf(_: StaffOnly, episode_id: int, sessions: Reads, kb: Kb, now: Now) -> Response:
    return _pdf(render_html(_staff_values(sessions, kb, now, episode_id)), PRIVATE)


def _staff_values(
    sessions: sessionmaker[Session], kb: KnowledgeBase, now: datetime, episode_id: int
) -> dict[str, Any]:
    with sessions.begin() as session:
        episode = repo.episode_by_id(session, episode_id)
        if episode is None:
            raise HTTPException(404, "No such episode.")
        return episodes.summary_values(session, kb, episode, now.date())


def diary_values(
    kb: KnowledgeBase,
    episode: Episode,
    token: str,
    follow: FollowUp,
    entries: list[DiaryInput],
    now: datetime,
    error: str,
    numbers: Numbers,
) -> dict[str, Any]:
    """Everything the diary page shows, decided here so the template only lays it out.

    One deadline at a time: the most urgent advice (advice is sorted most urgent first), so a
    calmer deadline never sits under an urgent one. Its own words say why; a re-assessment adds
    the reasons the triage gave. The entry form starts empty every day.
    """
    history = History(episode.started_on, episode.answers)
    helped = messages("helped")
    points = [Point(e.day, e.pain, e.function) for e in entries]
    first = follow.advice[0] if follow.advice else None
    return {
        "base": f"/diary/{token}",
        "today": now.date().isoformat(),
        "error": error,
        "level_title": kb.meta.level_title(follow.level),
        "level_text": follow.level_text,
        "urgent": follow.level not in ("self_care", "consultation"),
        "advice": []
        if first is None
        else [
            {
                "tell": numbers.fill(first.tell),
                "due": in_words(first.due),
                "why": numbers.fill("; ".join(b.rstrip(".") for b in first.because if b))
                if first.action == "retriage"
                else "",
            }
        ],
        "stage": follow.stage,
        "entered_today": follow.days_since_entry == 0,
        "pain_choices": [{"value": n} for n in range(11)],
        "function_choices": [{"value": n} for n in range(11)],
        "spasm_choices": [{"value": k, "label": v} for k, v in messages("spasms").items()],
        "tried": [
            {
                "item": item,
                "label": label,
                "options": [{"value": f"{item}:{k}", "label": v} for k, v in helped.items()],
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
    return {
        "emergency": level in ("emergency_ambulance", "emergency"),
        "call_class": "call",
        "call_label": message("result", "call", number=number) if number else "",
        "tel_href": tel_href(number) if number else "",
        "do_not_drive": do_not_drive_text(level, number),
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
    """Call once where the server starts (create_app does)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _RedactAccess) for f in access.filters):
        access.addFilter(_RedactAccess())
