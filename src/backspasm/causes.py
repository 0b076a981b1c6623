"""Likely contributors: additive evidence scores, ranked, each with its reasons for and against.

A condition's score is its prior plus the weight of every piece of evidence that holds.
Unknown evidence adds nothing, so the ranking uses only what the person actually said.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from backspasm.expressions import Scalar, findings_in
from backspasm.knowledge_base import KnowledgeBase
from backspasm.knowledge_files import Condition

TOP = 3
WARNING_SIGN_WEIGHT = 5.0
WARNING_SIGN_REASON = "a warning sign for it is present, so a clinician should rule it out"


@dataclass(frozen=True)
class RankedCause:
    id: str
    condition: Condition
    score: float
    likely_because: tuple[str, ...]
    less_likely_because: tuple[str, ...]

    @property
    def likelihood(self) -> str:
        """A qualitative word, never a probability: the scores are points, not odds."""
        if self.score >= 2:
            return "likely"
        if self.score >= 0:
            return "possible"
        return "less likely"


def rank_causes(
    kb: KnowledgeBase, values: Mapping[str, Scalar], suspected: Sequence[str] = ()
) -> list[RankedCause]:
    """Rank every condition; `suspected` lists conditions named by triage rules that hold.

    A condition a firing red-flag rule points to gains a fixed weight per rule, so the
    person is always told what the warning sign may mean.
    """
    ranked = []
    for name, condition in kb.conditions.items():
        score = condition.prior
        for_: list[str] = []
        against: list[str] = []
        hits = suspected.count(name)
        if hits:
            score += WARNING_SIGN_WEIGHT * hits
            for_.append(WARNING_SIGN_REASON)
        for evidence in condition.evidence:
            if evidence.when.evaluate(values) is True:
                score += evidence.weight
                (for_ if evidence.weight > 0 else against).append(evidence.because)
        ranked.append(RankedCause(name, condition, round(score, 2), tuple(for_), tuple(against)))
    order = {name: index for index, name in enumerate(kb.conditions)}
    ranked.sort(key=lambda cause: (-cause.score, order[cause.id]))
    return ranked


@dataclass(frozen=True)
class _Index:
    order: dict[str, int]
    by_finding: dict[str, tuple[tuple[str, int], ...]]


@cache
def _index(kb: KnowledgeBase) -> _Index:
    by_finding: dict[str, list[tuple[str, int]]] = {}
    for name, condition in kb.conditions.items():
        for position, evidence in enumerate(condition.evidence):
            for finding in findings_in(evidence.when):
                by_finding.setdefault(finding, []).append((name, position))
    return _Index(
        order={name: index for index, name in enumerate(kb.conditions)},
        by_finding={key: tuple(value) for key, value in by_finding.items()},
    )


def scores(
    kb: KnowledgeBase, values: Mapping[str, Scalar], suspected: Sequence[str] = ()
) -> dict[str, float]:
    out = {}
    for name, condition in kb.conditions.items():
        total = condition.prior + WARNING_SIGN_WEIGHT * suspected.count(name)
        for evidence in condition.evidence:
            if evidence.when.evaluate(values) is True:
                total += evidence.weight
        out[name] = total
    return out


def top_set(kb: KnowledgeBase, current: Mapping[str, float]) -> frozenset[str]:
    order = _index(kb).order
    ranked = sorted(current, key=lambda name: (-current[name], order[name]))
    return frozenset(ranked[:TOP])


def could_change_top(
    kb: KnowledgeBase, values: Mapping[str, Scalar], current: Mapping[str, float], finding: str
) -> bool:
    """Would answering this yes/no finding, either way, change which causes are in the top three?"""
    touched = _index(kb).by_finding.get(finding)
    if not touched:
        return False
    before = top_set(kb, current)
    for answer in (True, False):
        trial = dict(values)
        trial[finding] = answer
        changed = dict(current)
        for name, position in touched:
            evidence = kb.conditions[name].evidence[position]
            was = evidence.when.evaluate(values) is True
            now = evidence.when.evaluate(trial) is True
            if was != now:
                changed[name] += evidence.weight if now else -evidence.weight
        if top_set(kb, changed) != before:
            return True
    return False
