"""Likely contributors: additive evidence scores, ranked, each with its reasons for and against.

A condition's score is its prior plus the weight of every piece of evidence that holds.
Unknown evidence adds nothing, so the ranking uses only what the person actually said.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import Scalar
from backspasm.engine.schema import Condition

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
    kb: KnowledgeBase,
    values: Mapping[str, Scalar],
    suspected: Sequence[str] = (),
    explain: int | None = None,
) -> list[RankedCause]:
    """Rank every condition; `suspected` lists conditions named by triage rules that hold.

    A condition a firing red-flag rule points to gains a fixed weight per rule, so the
    person is always told what the warning sign may mean. With `explain`, only the first
    that many are returned (the others are scored but their reasons are not gathered).
    """
    order = kb.index.condition_order
    scored: list[tuple[float, int, str, list[tuple[float, str]]]] = []
    for name, prior, evidence in kb.index.evidence_table:
        score = prior
        held: list[tuple[float, str]] = []
        hits = suspected.count(name)
        if hits:
            score += WARNING_SIGN_WEIGHT * hits
            held.append((1.0, WARNING_SIGN_REASON))
        for holds, weight, because in evidence:
            if holds(values) is True:
                score += weight
                held.append((weight, because))
        scored.append((-round(score, 2), order[name], name, held))
    scored.sort(key=lambda entry: (entry[0], entry[1]))
    return [
        RankedCause(
            name,
            kb.conditions[name],
            -negative,
            tuple(because for weight, because in held if weight > 0),
            tuple(because for weight, because in held if weight < 0),
        )
        for negative, _, name, held in scored[:explain]
    ]


def scores(
    kb: KnowledgeBase, values: Mapping[str, Scalar], suspected: Sequence[str] = ()
) -> dict[str, float]:
    out = {}
    for name, prior, evidence in kb.index.evidence_table:
        total = prior + WARNING_SIGN_WEIGHT * suspected.count(name)
        for holds, weight, _ in evidence:
            if holds(values) is True:
                total += weight
        out[name] = total
    return out


def _out_of_reach(
    reach: Mapping[str, float], current: Mapping[str, float], ranked: Sequence[str]
) -> bool:
    """True when even the largest moves this answer allows keep every condition outside the
    top three strictly below every condition inside it: a cheap bound before the exact test."""
    inside = ranked[:TOP]
    lowest_inside = min(current[name] - reach.get(name, 0.0) for name in inside)
    highest_outside = current[ranked[TOP]]
    for name, move in reach.items():
        if name not in inside and current[name] + move > highest_outside:
            highest_outside = current[name] + move
    return highest_outside < lowest_inside


def ranked_ids(kb: KnowledgeBase, current: Mapping[str, float]) -> list[str]:
    order = kb.index.condition_order
    return sorted(current, key=lambda name: (-current[name], order[name]))


def could_change_top(
    kb: KnowledgeBase,
    values: Mapping[str, Scalar],
    current: Mapping[str, float],
    ranked: Sequence[str],
    finding: str,
) -> bool:
    """Would answering this yes/no finding, either way, change which causes are in the top three?

    `ranked` is `ranked_ids(kb, current)`. Only conditions whose evidence mentions the finding
    can move, so the new top three comes from the old top four plus those. `values` is only
    read: each answer is tried on a copy.
    """
    index = kb.index
    touched = index.touched.get(finding)
    if not touched:
        return False
    if len(ranked) > TOP and _out_of_reach(index.reach[finding], current, ranked):
        return False
    order = index.condition_order
    before = frozenset(ranked[:TOP])
    base = {name: current[name] for name in ranked[: TOP + 1]}
    for name, _, _ in touched:
        base.setdefault(name, current[name])
    was = [holds(values) is True for _, holds, _ in touched]
    trial = dict(values)
    for answer in (True, False):
        trial[finding] = answer
        changed = dict(base)
        for (name, holds, weight), held in zip(touched, was, strict=True):
            if (holds(trial) is True) != held:
                changed[name] += -weight if held else weight
        after = sorted(changed, key=lambda name: (-changed[name], order[name]))[:TOP]
        if frozenset(after) != before:
            return True
    return False
