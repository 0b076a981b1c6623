"""A person's answers: validation against the findings, and the values the engine reasons with.

Answers map finding id to a value, or to "unsure" where the question offers "I'm not sure".
An unsure or missing answer is *unknown* to the engine. A yes/no question whose context rules
it out (its `ask_when` is false, e.g. pregnancy for a man) counts as "no".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backspasm.engine.knowledge_base import KnowledgeBase, value_problem
from backspasm.engine.logic import Scalar

UNSURE = "unsure"
AnswerValue = bool | int | float | str
Answers = dict[str, AnswerValue]


@dataclass(frozen=True)
class AnswerProblem:
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class AnswerError(ValueError):
    """One or more answers do not fit the findings; each problem names its field."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def validate_answers(kb: KnowledgeBase, raw: Mapping[str, object]) -> Answers:
    """Check every answer against its finding; return clean values or raise AnswerError."""
    clean: Answers = {}
    problems: list[AnswerProblem] = []
    for name, value in raw.items():
        finding = kb.findings.get(name)
        if finding is None:
            problems.append(AnswerProblem(name, "is not a finding this knowledge base knows"))
            continue
        if value == UNSURE:
            if finding.unsure:
                clean[name] = UNSURE
            else:
                problems.append(AnswerProblem(name, "cannot be answered 'unsure'"))
            continue
        problem = value_problem(finding, value)
        if problem:
            problems.append(AnswerProblem(name, f"{problem}, got {value!r}"))
            continue
        assert isinstance(value, bool | int | float | str)
        if finding.type == "int" and isinstance(value, float):
            value = int(value)
        clean[name] = value
    if problems:
        raise AnswerError(problems)
    return clean


@dataclass(frozen=True)
class Facts:
    """What the engine reasons with: usable values, and which findings need no more asking."""

    values: dict[str, Scalar]
    settled: frozenset[str]
    ruled_out_by_context: frozenset[str]

    @property
    def unsure(self) -> frozenset[str]:
        """The findings answered "not sure": settled, yet without a value. A question never
        asked is not among them, nor one its context rules out (that counts as "no")."""
        return self.settled - self.values.keys()


def facts_from(kb: KnowledgeBase, answers: Mapping[str, AnswerValue]) -> Facts:
    values: dict[str, Scalar] = {k: v for k, v in answers.items() if v != UNSURE}
    ruled_out: set[str] = set()
    for name, gate in kb.index.gated:
        if name not in answers and gate(values) is False:
            values[name] = False
            ruled_out.add(name)
    return Facts(values, frozenset(answers) | ruled_out, frozenset(ruled_out))
