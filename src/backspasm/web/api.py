"""The JSON API: the same engine as the pages and the CLI, answers in, JSON out.

Handlers return ready JSON (`Response`) so the result is serialised once, by the engine's own
models; `response_model` on each route documents the shape in OpenAPI.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import Request, Response

from backspasm.engine.answers import validate_answers
from backspasm.engine.assessment import KnowledgeStamp, assess
from backspasm.engine.interview import Question, next_questions, question_for
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.web.api_models import (
    AssessmentRequest,
    CatalogueQuestion,
    InterviewNext,
    InterviewRequest,
    Option,
    QuestionOut,
    Questions,
)

JSON = "application/json"


def _kb(request: Request) -> KnowledgeBase:
    kb: KnowledgeBase = request.app.state.kb
    return kb


def _fields(question: Question) -> dict[str, Any]:
    """The engine's question as the API's QuestionFields (options become objects)."""
    fields = {k: v for k, v in asdict(question).items() if k not in ("stage", "options")}
    return {**fields, "options": [Option(value=o.value, label=o.label) for o in question.options]}


async def questions(request: Request) -> Response:
    """Every question the knowledge base can ask, with its type, range and options."""
    kb = _kb(request)
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
    """The next question(s) for the answers so far, or done with the full result."""
    kb = _kb(request)
    answers = validate_answers(kb, body.answers)
    step = next_questions(kb, answers, limit=body.limit)
    out = InterviewNext(
        done=step.done,
        reason=step.reason,
        asked=step.asked,
        remaining_estimate=step.remaining_estimate,
        questions=[QuestionOut(**_fields(q), stage=q.stage) for q in step.questions],
        result=assess(kb, answers) if step.done else None,
    )
    return Response(out.model_dump_json(), media_type=JSON)


async def assessments(request: Request, body: AssessmentRequest) -> Response:
    """The full assessment for a set of answers: the content of `backspasm assess --json`."""
    kb = _kb(request)
    result = assess(kb, validate_answers(kb, body.answers))
    return Response(result.model_dump_json(), media_type=JSON)
