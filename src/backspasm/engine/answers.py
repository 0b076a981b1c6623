"""A person's answers: validation against the findings, and the values the engine reasons with.

Answers map finding id to a value, or to "unsure" where the question offers "I'm not sure".
An unsure or missing answer is *unknown* to the engine. A yes/no question whose context rules
it out (its `ask_when` is false, e.g. pregnancy for a man) counts as "no".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from backspasm.engine.knowledge_base import KnowledgeBase, value_problem
from backspasm.engine.logic import Expr, Scalar, findings_in

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


def facts_from(kb: KnowledgeBase, answers: Mapping[str, AnswerValue]) -> Facts:
    values: dict[str, Scalar] = {k: v for k, v in answers.items() if v != UNSURE}
    ruled_out: set[str] = set()
    for name, gate in _gated(kb):
        if name not in answers and gate.evaluate(values) is False:
            values[name] = False
            ruled_out.add(name)
    return Facts(values, frozenset(answers) | ruled_out, frozenset(ruled_out))


def facts_after(
    kb: KnowledgeBase, facts: Facts, answers: Mapping[str, AnswerValue], name: str
) -> tuple[Facts, frozenset[str]]:
    """`facts_from(kb, answers)` when `answers` only adds `name` to the answers `facts` came
    from, with the findings whose value changed. Only gates that read a changed finding are
    looked at again; a gate once false stays false as answers are added, so this reaches what
    the full pass reaches. A caller replacing an answer, or answering a finding its context
    had ruled out, must use `facts_from`: that can undo what followed from the old value.
    """
    values = dict(facts.values)
    value = answers[name]
    if value == UNSURE:
        values.pop(name, None)
    else:
        values[name] = value
    ruled_out = set(facts.ruled_out_by_context)
    changed = {name}
    pending = [name]
    readers = _gates_reading(kb)
    while pending:
        for gated, gate in readers.get(pending.pop(), ()):
            if gated in answers or gated in ruled_out:
                continue
            if gate.evaluate(values) is False:
                values[gated] = False
                ruled_out.add(gated)
                changed.add(gated)
                pending.append(gated)
    settled = facts.settled | changed
    return Facts(values, settled, frozenset(ruled_out)), frozenset(changed)


@cache
def gates_are_acyclic(kb: KnowledgeBase) -> bool:
    """No gate depends on itself through others, so `facts_after` and `facts_from` agree:
    in `_gated` order, every gate then reads only gated findings placed before it."""
    placed: set[str] = set()
    gated = {name for name, _ in _gated(kb)}
    for name, gate in _gated(kb):
        if any(needed in gated and needed not in placed for needed in findings_in(gate)):
            return False
        placed.add(name)
    return True


@cache
def _gates_reading(kb: KnowledgeBase) -> dict[str, tuple[tuple[str, Expr], ...]]:
    """finding -> the yes/no findings whose context gate reads it, with that gate."""
    readers: dict[str, list[tuple[str, Expr]]] = {}
    for gated, gate in _gated(kb):
        for name in findings_in(gate):
            readers.setdefault(name, []).append((gated, gate))
    return {name: tuple(items) for name, items in readers.items()}


@cache
def _gated(kb: KnowledgeBase) -> tuple[tuple[str, Expr], ...]:
    """Yes/no findings with a context gate, each after the gated findings its gate reads.

    In that order one pass settles them all. (A cycle of gates would leave some unsettled,
    which is safe: an unsettled question is asked.)
    """
    gates = {
        name: finding.ask_when
        for name, finding in kb.findings.items()
        if finding.type == "bool" and finding.ask_when is not None
    }
    ordered: list[str] = []

    def visit(name: str, path: frozenset[str]) -> None:
        if name in ordered or name in path:
            return
        for needed in findings_in(gates[name]):
            if needed in gates:
                visit(needed, path | {name})
        ordered.append(name)

    for name in gates:
        visit(name, frozenset())
    return tuple((name, gates[name]) for name in ordered)
