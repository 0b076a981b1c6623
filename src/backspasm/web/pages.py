"""The pages a person sees: start, one screen at a time, the result, the print view.

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
from backspasm.engine.interview import question_for
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.screens import Screen, ScreenStep, next_screen
from backspasm.messages import message
from backspasm.web import description, form_state
from backspasm.web import state as app
from backspasm.web.templating import render
from backspasm.web.views import result_view, screen_view

# The interview's screens and result may be kept by the person's own browser, never by a
# shared cache ("private"), and are asked for again on a reload ("no-cache"). Without
# JavaScript each screen is the answer to a form post, which the back gesture can show again
# only from that keep; with "no-store" it shows the browser's "Confirm form resubmission" page
# instead. Nothing is kept on the server; the start page (a plain GET, holding no answers),
# the diary, the print view and the API stay "no-store".
KEPT_BY_THE_BROWSER = "private, no-cache"


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


def _kept(page: Response) -> Response:
    """A page of the interview, which the back gesture shows again from the browser's keep."""
    page.headers["Cache-Control"] = KEPT_BY_THE_BROWSER
    return page


async def first_question(request: Request) -> Response:
    return _next(request, form_state.State({}, ()), _embed_query(request))


@dataclass(frozen=True)
class _Post:
    """A posted interview form: its fields, whether it is embedded, and its state so far."""

    form: FormData
    embed: bool
    state: form_state.State | None  # None: the answers field was changed or cut short


async def _read(request: Request) -> _Post:
    form = await request.form()
    try:
        state: form_state.State | None = form_state.decode_state(
            app.knowledge(request), _text(form, "answers"), _text(form, "steps")
        )
    except AnswerError:
        state = None
    return _Post(form, _text(form, "embed") == "1", state)


async def answer(request: Request) -> Response:
    """One step of the interview: a screen's answers, "None of these", back, a description,
    or "show" (the page for a state kept in the browser, after a reload or the back gesture)."""
    kb = app.knowledge(request)
    post = await _read(request)
    form, embed, state = post.form, post.embed, post.state
    if state is None:
        return _unreadable(request, embed)
    understood = _understood(state.answers, _text(form, "understood"))
    about = _about(_text(form, "about"))
    if "fix" in form:  # a row of what was read from the text, changed or removed in place
        fixed = _fixed(kb, state, form, understood)
        return _next(request, fixed, embed, understood=understood, about=about)
    action = _text(form, "action") or "answer"
    if action == "back":
        return _next(request, state.without_last(), embed, understood=understood, about=about)
    if action == "describe":
        # The web layer, not the engine, reads the clock: "since Monday" needs today's date.
        reading = description.understood(app.reader(request), _text(form, "text"), dt.date.today())
        found = {k: v for k, v in reading.answers.items() if k not in state.answers}
        described = state.after("d", found)
        return _next(request, described, embed, understood=list(found), about=reading.about)
    step = next_screen(kb, state.answers, state.screens)
    screen = step.screen
    if screen is None or action == "show" or _text(form, "rows") != _row_ids(screen):
        # a repeated or stale post: show where we are
        return _next(request, state, embed, understood=understood, about=about)
    posted = {q.id: _text(form, form_state.ROW_PREFIX + q.id) for q in screen.questions}
    if action == "none" and screen.none_of_these:
        said = [q for q in screen.questions if posted[q.id] not in ("", "false")]
        if said:
            rows = ", ".join(q.text for q in said)
            error = message("interview", "none_conflict", rows=rows)
            return _again(
                request,
                state,
                step,
                embed,
                error,
                posted,
                {q.id for q in said},
                (understood, about),
            )
        posted = dict.fromkeys(posted, "false")
    missing = {name for name, value in posted.items() if not value.strip()}
    if missing:
        if screen.grid:
            error = message("interview", "answer_every_row")
        else:
            error = message("interview", "answer_this")
        return _again(request, state, step, embed, error, posted, missing, (understood, about))
    raw = {q.id: form_state.posted_value(q, posted[q.id]) for q in screen.questions}
    try:
        clean = validate_answers(kb, raw)
    except AnswerError as error:
        problem = error.problems[0]
        reason = problem.reason.split(", got ")[0].removeprefix("expected ")
        wrong = {item.field for item in error.problems}
        error_text = message("interview", "please_enter", what=reason)
        return _again(request, state, step, embed, error_text, posted, wrong, (understood, about))
    return _next(request, state.after("s", clean), embed, understood=understood, about=about)


def _about(field: str) -> str:
    """Whom the questions are about: "" (the person answering), "he", "she" or "they"."""
    return field if field in ("he", "she", "they") else ""


def _understood(answers: Answers, field: str) -> list[str]:
    """The answers that were read from the text (not typed), still standing."""
    return [name for name in field.split(",") if name in answers]


def _fixed(
    kb: KnowledgeBase, state: form_state.State, form: FormData, understood: list[str]
) -> form_state.State:
    """A row of what was read, changed ("fever=false", or "age" with the row's field) or
    removed ("fever="); an empty field leaves the row as it was. Only rows read from the
    text can be fixed here; an answer given on a screen is changed with Back."""
    name, given, value = _text(form, "fix").partition("=")
    if name not in understood:
        return state
    if not given:  # "age": saved from the row's own field
        value = _text(form, f"edit-{name}")
    if given and not value:  # removed: the interview asks it on its screen
        return state.without(name)
    if not value:
        return state
    raw = form_state.posted_value(question_for(kb, name, "about_you"), value, unsure=False)
    try:
        return state.amended(name, validate_answers(kb, {name: raw})[name])
    except AnswerError:
        return state  # a value that does not fit leaves the row as it was


def _row_ids(screen: Screen) -> str:
    return " ".join(question.id for question in screen.questions)


def _again(
    request: Request,
    state: form_state.State,
    step: ScreenStep,
    embed: bool,
    error: str,
    posted: dict[str, str],
    missing: set[str],
    reader: tuple[list[str], str],
) -> Response:
    """The same screen again, with what the person chose kept and the rows to fix marked;
    `reader` is what was read from the text and whom the questions are about."""
    understood, about = reader
    view = screen_view(
        app.knowledge(request),
        step,
        form_state.encode(state.answers),
        form_state.encode_steps(state.steps),
        error=error,
        posted=posted,
        missing=missing,
        understood={name: state.answers[name] for name in understood},
        about=about,
    )
    page = render(request, "question.html", view.text, embed=embed, status_code=422, q=view)
    return _kept(page)


def _next(
    request: Request,
    state: form_state.State,
    embed: bool,
    understood: list[str] | None = None,
    about: str = "",
) -> Response:
    kb = app.knowledge(request)
    step = next_screen(kb, state.answers, state.screens)
    encoded = form_state.encode(state.answers)
    steps = form_state.encode_steps(state.steps)
    if step.screen is None:
        # The web layer, not the engine, reads the clock: the check-in is given as a date.
        view = result_view(
            kb, assess(kb, state.answers), app.settings(request), encoded, date.today()
        )
        result = render(
            request,
            "result.html",
            view.level_title,
            embed=embed,
            r=view,
            steps=steps,
            open_folds="",
        )
        return _kept(result)
    read = {name: state.answers[name] for name in understood or [] if name in state.answers}
    q = screen_view(kb, step, encoded, steps, understood=read, about=about)
    return _kept(render(request, "question.html", q.text, embed=embed, q=q))


def _unreadable(request: Request, embed: bool) -> Response:
    """The answers in the form were changed or cut short; nothing is kept, so start over."""
    return render(
        request,
        "error.html",
        message("interview", "start_again"),
        embed=embed,
        status_code=422,
        heading=message("interview", "start_again"),
        text=message("interview", "unreadable"),
    )


async def print_view(request: Request) -> Response:
    """The result on plain paper: no buttons, every source written out, the answers listed."""
    kb = app.knowledge(request)
    post = await _read(request)
    if post.state is None:
        return _unreadable(request, post.embed)
    encoded = form_state.encode(post.state.answers)
    view = result_view(
        kb, assess(kb, post.state.answers), app.settings(request), encoded, date.today()
    )
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
    settings = app.settings(request)
    css = (
        f":root {{ --accent: {settings.accent_colour}; "
        f"--emergency: {settings.emergency_colour}; }}\n"
    )
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=300"})
