"""An interview answered one question at a time, carrying what each step learnt to the next.

`next_questions` works everything out from the answers on every call, which is right for the
web app (each request brings all answers). The evaluation and the benchmark ask hundreds of
questions in a row; a session updates only the context gates and rules that read the new
answer. It gives exactly the steps `next_questions` gives (tests/test_interview_session.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from backspasm.engine.answers import AnswerValue, Facts, facts_after, facts_from, gates_are_acyclic
from backspasm.engine.interview import InterviewStep, step_for
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import Truth
from backspasm.engine.triage import rule_truths


class InterviewSession:
    _facts: Facts
    _truths: list[Truth]

    def __init__(self, kb: KnowledgeBase, answers: Mapping[str, AnswerValue] | None = None) -> None:
        self.kb = kb
        self.answers: dict[str, AnswerValue] = dict(answers or {})
        self._restart()

    @property
    def facts(self) -> Facts:
        return self._facts

    def next(self, limit: int = 1) -> InterviewStep:
        return step_for(self.kb, self._facts, self._truths, len(self.answers), limit)

    def answer(self, name: str, value: AnswerValue) -> None:
        """Record one (validated) answer."""
        kb = self.kb
        incremental = (
            name not in self.answers
            and name not in self._facts.ruled_out_by_context
            and gates_are_acyclic(kb)
        )
        self.answers[name] = value
        if not incremental:  # a changed answer can undo what followed from the old one
            self._restart()
            return
        self._facts, changed = facts_after(kb, self._facts, self.answers, name)
        readers = _rules_reading(kb)
        for finding in changed:
            for position in readers.get(finding, ()):
                self._truths[position] = kb.rules[position].when.evaluate(self._facts.values)

    def _restart(self) -> None:
        self._facts = facts_from(self.kb, self.answers)
        self._truths = list(rule_truths(self.kb, self._facts))


@cache
def _rules_reading(kb: KnowledgeBase) -> dict[str, tuple[int, ...]]:
    """finding -> positions in `kb.rules` of the rules that read it."""
    readers: dict[str, list[int]] = {}
    for position, rule in enumerate(kb.rules):
        for finding in kb.rule_findings[rule.id]:
            readers.setdefault(finding, []).append(position)
    return {name: tuple(items) for name, items in readers.items()}
