"""The pages a person sees: start, one question at a time, the result, the print view.

Every page works as a plain form post; htmx, when present, swaps just the <main> element. The
answers so far travel in the form (see `form_state`), so any server can answer any request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date

from fastapi import Request, Response
from starlette.datastructures import FormData

from backspasm.engine.answers import AnswerError, Answers, validate_answers
from backspasm.engine.assessment import assess
from backspasm.engine.interview import next_questions
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.messages import message
from backspasm.web import description, form_state
from backspasm.web.settings import Settings
from backspasm.web.templating import render
from backspasm.web.views import question_view, result_view


def _kb(request: Request) -> KnowledgeBase:
    kb: KnowledgeBase = request.app.state.kb
    return kb


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _embed_query(request: Request) -> bool:
    return request.query_params.get("embed") == "1"


def _text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


async def start(request: Request) -> Response:
    """The first page: what this is, what it is not, and a way in."""
    return _start(request, _embed_query(request))


async def embed(request: Request) -> Response:
    """The start page without the site's chrome, for a clinic's iframe."""
    return _start(request, True)


def _start(request: Request, embed: bool) -> Response:
    return render(
        request,
        "start.html",
        message("interview", "start_title"),
        embed=embed,
        max_text=description.MAX_TEXT,
    )


async def first_question(request: Request) -> Response:
    return _next(request, {}, _embed_query(request))


@dataclass(frozen=True)
class _Post:
    """A posted interview form: its fields, whether it is embedded, and its answers so far."""

    form: FormData
    embed: bool
    answers: Answers | None  # None: the answers field was changed or cut short


async def _read(request: Request) -> _Post:
    form = await request.form()
    try:
        answers: Answers | None = form_state.decode(_kb(request), _text(form, "answers"))
    except AnswerError:
        answers = None
    return _Post(form, _text(form, "embed") == "1", answers)


async def answer(request: Request) -> Response:
    """One step of the interview: an answer, "I'm not sure", back, or a description."""
    kb = _kb(request)
    post = await _read(request)
    form, embed, answers = post.form, post.embed, post.answers
    if answers is None:
        return _unreadable(request, embed)
    action = _text(form, "action") or "answer"
    if action == "back":
        return _next(request, form_state.without_last(answers), embed)
    if action == "describe":
        # The web layer, not the engine, reads the clock: "since Monday" needs today's date.
        found = description.understood(kb, _text(form, "text"), dt.date.today())
        found = {k: v for k, v in found.items() if k not in answers}
        return _next(request, {**answers, **found}, embed, understood=found)
    step = next_questions(kb, answers)
    if step.done or _text(form, "question") != step.questions[0].id:
        return _next(request, answers, embed)  # a repeated or stale post: show where we are
    question = step.questions[0]
    raw = form_state.posted_value(question, _text(form, "value"), action == "unsure")
    try:
        clean = validate_answers(kb, {question.id: raw})
    except AnswerError as error:
        reason = error.problems[0].reason.split(", got ")[0].removeprefix("expected ")
        view = question_view(
            kb,
            step,
            form_state.encode(answers),
            error=message("interview", "please_enter", what=reason),
            value=_text(form, "value"),
        )
        return render(request, "question.html", view.text, embed=embed, status_code=422, q=view)
    return _next(request, {**answers, **clean}, embed)


def _next(
    request: Request, answers: Answers, embed: bool, understood: Answers | None = None
) -> Response:
    kb = _kb(request)
    step = next_questions(kb, answers)
    encoded = form_state.encode(answers)
    if step.done:
        # The web layer, not the engine, reads the clock: the check-in is given as a date.
        view = result_view(kb, assess(kb, answers), _settings(request), encoded, date.today())
        return render(request, "result.html", view.level_title, embed=embed, r=view, open_folds="")
    q = question_view(kb, step, encoded, understood=understood)
    return render(request, "question.html", q.text, embed=embed, q=q)


def _unreadable(request: Request, embed: bool) -> Response:
    """The answers in the form were changed or cut short; nothing is kept, so start over."""
    return render(
        request,
        "error.html",
        message("interview", "start_again"),
        embed=embed,
        status_code=422,
        heading=message("interview", "start_again"),
        message=message("interview", "unreadable"),
    )


async def print_view(request: Request) -> Response:
    """The result on plain paper: no buttons, every source written out, the answers listed."""
    kb = _kb(request)
    post = await _read(request)
    if post.answers is None:
        return _unreadable(request, post.embed)
    encoded = form_state.encode(post.answers)
    view = result_view(kb, assess(kb, post.answers), _settings(request), encoded, date.today())
    return render(
        request,
        "print.html",
        message("result", "print_title"),
        embed=post.embed,
        r=view,
        open_folds="open",
        printed=date.today().strftime("%d %B %Y").lstrip("0"),
    )


async def theme(request: Request) -> Response:
    """The deployment's colours as CSS variables, so no page needs an inline style."""
    settings = _settings(request)
    css = (
        f":root {{ --accent: {settings.accent_colour}; "
        f"--emergency: {settings.emergency_colour}; }}\n"
    )
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=300"})
