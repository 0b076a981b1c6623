"""The interview's state in a form: answers so far travel in one hidden field, in order.

Keeping the answers in the page (not a server session) makes the interview stateless, lets
"back" be "drop the last answer", and works without JavaScript. The order matters: back
undoes the most recent answer, and the engine re-asks exactly that question.
"""

from __future__ import annotations

import json

from backspasm.engine.answers import UNSURE, AnswerError, AnswerProblem, Answers, validate_answers
from backspasm.engine.interview import Question
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.fhir.structure import MAX_DEPTH, nesting_depth

MAX_FIELD = 20_000  # far above any real interview; refuses junk before parsing it


def encode(answers: Answers) -> str:
    return json.dumps(answers, separators=(",", ":"))


def decode(kb: KnowledgeBase, field: str) -> Answers:
    """The answers carried by a form, checked again: the page is not trusted."""
    if not field.strip():
        return {}
    if len(field) > MAX_FIELD:
        raise AnswerError([AnswerProblem("answers", "is too long")])
    if nesting_depth(field) > MAX_DEPTH:
        raise AnswerError([AnswerProblem("answers", "nests too deep")])
    try:
        raw = json.loads(field)
    except (ValueError, RecursionError):
        raise AnswerError([AnswerProblem("answers", "is not valid JSON")]) from None
    if not isinstance(raw, dict):
        raise AnswerError([AnswerProblem("answers", "expected an object of answers")])
    return validate_answers(kb, raw)


def without_last(answers: Answers) -> Answers:
    """Undo: the answers minus the most recent one."""
    return dict(list(answers.items())[:-1])


def posted_value(question: Question, value: str, unsure: bool) -> object:
    """Turn the text a form posted into the value type the finding expects.

    Anything that does not parse is passed on as text, so `validate_answers` reports it
    in the same words as the API does.
    """
    if unsure:
        return UNSURE
    text = value.strip()
    if question.type == "bool":
        return {"true": True, "false": False}.get(text, text)
    if question.type in ("int", "number"):
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    return text
