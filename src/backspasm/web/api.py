"""The JSON API: the same engine as the pages and the CLI, answers in, JSON out.

Handlers return ready JSON (`Response`) so the result is serialised once, by the engine's own
models; `response_model` on each route documents the shape in OpenAPI.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from backspasm.engine.answers import AnswerError, Answers, validate_answers
from backspasm.engine.assessment import KnowledgeStamp, assess, with_numbers
from backspasm.engine.interview import Question, next_questions, question_for
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.numbers import Numbers
from backspasm.engine.screens import Screen, ScreenStep, next_screen
from backspasm.web import state
from backspasm.web.api_models import (
    AssessmentRequest,
    CatalogueQuestion,
    InterviewNext,
    InterviewRequest,
    Option,
    QuestionOut,
    Questions,
    ScreenAnswered,
    ScreenOut,
    ScreenRequest,
)

JSON = "application/json"


def _numbers(request: Request) -> Numbers:
    """The deployment's phone numbers, filled into the result's texts."""
    return state.settings(request).numbers()


def _fields(question: Question) -> dict[str, Any]:
    """The engine's question as the API's QuestionFields (options become objects)."""
    fields = {k: v for k, v in asdict(question).items() if k not in ("stage", "options")}
    return {**fields, "options": [Option(value=o.value, label=o.label) for o in question.options]}


async def questions(request: Request) -> Response:
    """Every question the knowledge base can ask, with its type, range and options."""
    kb = state.knowledge(request)
    items = []
    for name, finding in kb.findings.items():
        question = question_for(kb, name, stage="")
        items.append(
            CatalogueQuestion(
                **_fields(question),
                group=finding.group,
                red_flag=finding.red_flag,
                required=finding.required,
            )
        )
    body = Questions(
        knowledge=KnowledgeStamp(version=kb.version, hash=kb.content_hash), questions=items
    )
    return Response(body.model_dump_json(), media_type=JSON)


async def interview_next(request: Request, body: InterviewRequest) -> Response:
    """The next screen and question(s) for the answers so far, or done with the full result."""
    kb = state.knowledge(request)
    answers = validate_answers(kb, body.answers)
    out = _next(kb, answers, body.screens_answered, _numbers(request), body.limit)
    return Response(out.model_dump_json(), media_type=JSON)


def _next(
    kb: KnowledgeBase, answers: Answers, screens: int, numbers: Numbers, limit: int = 1
) -> InterviewNext:
    step = next_questions(kb, answers, limit=limit)
    screen_step = next_screen(kb, answers, screens)
    return InterviewNext(
        done=step.done,
        reason=step.reason,
        asked=step.asked,
        remaining_estimate=step.remaining_estimate,
        questions=[QuestionOut(**_fields(q), stage=q.stage) for q in step.questions],
        screen=_screen_out(screen_step),
        result=with_numbers(assess(kb, answers), numbers) if step.done else None,
    )


def _screen_out(step: ScreenStep) -> ScreenOut | None:
    screen = step.screen
    if screen is None:
        return None
    return ScreenOut(
        id=screen.id,
        heading=screen.heading,
        why=screen.why,
        none_of_these=screen.none_of_these,
        number=step.number,
        estimate=step.estimate,
        questions=[QuestionOut(**_fields(q), stage=q.stage) for q in screen.questions],
    )


async def interview_screen(request: Request, body: ScreenRequest) -> Response:
    """Answer one screen: every row its own value (or "None of these" where allowed); returns
    the next screen, or done with the full result, and the answers to send next time."""
    kb = state.knowledge(request)
    answers = validate_answers(kb, body.answers)
    screen = next_screen(kb, answers, body.screens_answered).screen
    problems = _screen_problems(screen, body)
    if not problems and screen is not None:
        rows = {q.id: False for q in screen.questions} if body.none_of_these else body.rows
        try:
            clean = validate_answers(kb, rows)
        except AnswerError as error:
            problems = [(["body", "rows", p.field], p.reason) for p in error.problems]
    if problems or screen is None:
        detail = [{"loc": loc, "msg": msg, "type": "screen"} for loc, msg in problems]
        return JSONResponse({"detail": detail}, status_code=409)
    merged = {**answers, **clean}
    screens = body.screens_answered + 1
    following = _next(kb, merged, screens, _numbers(request))
    out = ScreenAnswered(**following.model_dump(), answers=merged, screens_answered=screens)
    return Response(out.model_dump_json(), media_type=JSON)


def _screen_problems(screen: Screen | None, body: ScreenRequest) -> list[tuple[list[str], str]]:
    """Why this screen answer cannot be taken: each problem with the field it concerns."""
    if screen is None:
        return [(["body", "screen_id"], "the interview is finished: there is no screen to answer")]
    if body.screen_id != screen.id:
        return [(["body", "screen_id"], f"these answers lead to screen {screen.id!r}")]
    rows = [question.id for question in screen.questions]
    if body.none_of_these:
        if not screen.none_of_these:
            return [(["body", "none_of_these"], "not offered on this screen: answer every row")]
        said = [name for name, value in body.rows.items() if value is not False]
        return [(["body", "rows", name], "contradicts 'None of these'") for name in said]
    problems = [
        (["body", "rows", name], "is not a row of this screen")
        for name in body.rows
        if name not in rows
    ]
    problems += [
        (["body", "rows", name], "is not answered: every row needs its own answer")
        for name in rows
        if name not in body.rows
    ]
    return problems


async def assessments(request: Request, body: AssessmentRequest) -> Response:
    """The full assessment for a set of answers: the content of `backspasm assess --json`."""
    kb = state.knowledge(request)
    result = assess(kb, validate_answers(kb, body.answers))
    return Response(with_numbers(result, _numbers(request)).model_dump_json(), media_type=JSON)
