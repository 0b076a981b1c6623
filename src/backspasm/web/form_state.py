"""The interview's state in a form: answers so far and the steps they came in, in hidden fields.

Keeping the answers in the page (not a server session) makes the interview stateless, lets
"back" be "drop the last step", and works without JavaScript. `answers` holds the answers in
the order given; `steps` says how they were given, one entry per step: `d3` for a description
that gave 3 answers, `s4` for a screen of 4 rows. Back undoes the most recent step whole, and
the engine shows exactly that screen again. The count of screens gives "Step 3 of about 9".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from backspasm.engine.answers import UNSURE, AnswerError, AnswerProblem, Answers, validate_answers
from backspasm.engine.interview import Question
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.fhir.structure import MAX_DEPTH, nesting_depth

MAX_FIELD = 20_000  # far above any real interview; refuses junk before parsing it
ROW_PREFIX = "a."  # a screen's row `fever` posts its answer as the field `a.fever`
_STEP = re.compile(r"^([ds])([0-9]{1,3})$")


@dataclass(frozen=True)
class Step:
    kind: str  # "d": the description; "s": a screen
    size: int  # how many answers it gave


@dataclass(frozen=True)
class State:
    answers: Answers
    steps: tuple[Step, ...]

    @property
    def screens(self) -> int:
        """Screens answered so far (the description is not a screen)."""
        return sum(step.kind == "s" for step in self.steps)

    def after(self, kind: str, added: Answers) -> State:
        """This state with one more step that gave `added` (answers not given before)."""
        fresh = {name: value for name, value in added.items() if name not in self.answers}
        if not fresh:
            return self
        return State({**self.answers, **fresh}, (*self.steps, Step(kind, len(fresh))))

    def without_last(self) -> State:
        """Back: the state before the most recent step."""
        if not self.steps:
            return self
        kept = len(self.answers) - self.steps[-1].size
        return State(dict(list(self.answers.items())[:kept]), self.steps[:-1])


def encode(answers: Answers) -> str:
    return json.dumps(answers, separators=(",", ":"))


def encode_steps(steps: tuple[Step, ...]) -> str:
    return " ".join(f"{step.kind}{step.size}" for step in steps)


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


def decode_state(kb: KnowledgeBase, answers_field: str, steps_field: str) -> State:
    """Answers and steps from a form. Steps that do not add up to the answers (a form from
    before steps were kept, or one cut short) count each answer as a screen of its own."""
    answers = decode(kb, answers_field)
    steps: list[Step] = []
    for part in steps_field.split()[: len(answers) + 1]:
        found = _STEP.match(part)
        if found is None:
            steps = []
            break
        steps.append(Step(found.group(1), int(found.group(2))))
    if sum(step.size for step in steps) != len(answers) or any(s.size < 1 for s in steps):
        steps = [Step("s", 1) for _ in answers]
    return State(answers, tuple(steps))


def posted_value(question: Question, value: str, unsure: bool = False) -> object:
    """Turn the text a form posted into the value type the finding expects.

    Anything that does not parse is passed on as text, so `validate_answers` reports it
    in the same words as the API does.
    """
    text = value.strip()
    if unsure or (text == UNSURE and question.unsure_allowed):
        return UNSURE
    if question.type == "bool":
        return {"true": True, "false": False}.get(text, text)
    if question.type in ("int", "number"):
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    return text
