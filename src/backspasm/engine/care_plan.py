"""The personal care plan: advice for this care level, screened against contraindications.

An item whose contraindication holds is withheld, with the reason. A contraindication that
could not be checked (not asked, or "not sure") keeps the item but spells out the check,
so nothing unsafe is ever presented as cleared; where the knowledge says so (`if_unsure:
withhold`), a "not sure" answer withholds the item instead, with its own reason. A question
that was never asked, or that context ruled out, is not a "not sure" answer.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import Expr, Scalar, open_findings
from backspasm.engine.schema import (
    URGENCY,
    CareCitation,
    CareItem,
    Contraindication,
    Review,
    SafetyNet,
)

STAGES = ("now", "next_48h", "next_weeks", "prevention", "clinician")


@dataclass(frozen=True)
class PlannedItem:
    item: CareItem
    check_first: tuple[str, ...]  # contraindications not yet ruled out
    sources: tuple[CareCitation, ...]  # the citations that concern this person


@dataclass(frozen=True)
class WithheldItem:
    item: CareItem
    because: tuple[str, ...]


@dataclass(frozen=True)
class PlannedSign:
    sign: SafetyNet
    first_action: str  # the sign's own words for what to do, or "" for the level's own


@dataclass(frozen=True)
class Plan:
    items: tuple[PlannedItem, ...]
    withheld: tuple[WithheldItem, ...]
    safety_net: tuple[PlannedSign, ...]
    review: Review


def build_plan(
    kb: KnowledgeBase,
    disposition: str,
    values: Mapping[str, Scalar],
    level_rules: Collection[str],
    unsure: Collection[str] = frozenset(),
) -> Plan:
    """The plan for this level. `level_rules` are the rules that set the level (held or not
    ruled out): a first action applies only when it is for every one of them. `unsure` are
    the findings answered "not sure" (absent from `values`, as every unknown is)."""
    items: list[PlannedItem] = []
    withheld: list[WithheldItem] = []
    for item in kb.care.items:
        if disposition not in item.levels:
            continue
        if not _applies(item, values, unsure):
            continue
        if item.first_action and not set(level_rules) <= set(item.first_action_for):
            continue
        holds, unknown = _screen(item.contraindicated_when, values, unsure)
        if holds:
            withheld.append(WithheldItem(item, holds))
        else:
            items.append(PlannedItem(item, unknown, _concerning(item, values)))
    replaced = {name for planned in items for name in planned.item.replaces}
    items = [planned for planned in items if planned.item.id not in replaced]
    # the level's first action, where one applies, leads its stage
    items.sort(key=lambda p: (STAGES.index(p.item.stage), not p.item.first_action))
    urgency = URGENCY[disposition]
    safety_net = tuple(
        PlannedSign(sign, _sign_action(sign, values))
        for sign in kb.care.safety_net
        if URGENCY[sign.action] > urgency
        and (sign.applies_when is None or sign.applies_when.evaluate(values) is not False)
    )
    review = next(review for review in kb.care.reviews if review.level == disposition)
    return Plan(tuple(items), tuple(withheld), safety_net, review)


def _left_open_by_unsure(expr: Expr, values: Mapping[str, Scalar], unsure: Collection[str]) -> bool:
    """True when `expr` is unknown and a "not sure" answer is among what could still decide
    it; false when it is decided, or open only on questions nobody answered."""
    return any(name in unsure for name in open_findings(expr, values, frozenset()))


def _applies(item: CareItem, values: Mapping[str, Scalar], unsure: Collection[str]) -> bool:
    if item.applies_when is None:
        return True
    truth = item.applies_when.evaluate(values)
    if truth is None and item.applies_if_unsure:
        return _left_open_by_unsure(item.applies_when, values, unsure)
    return truth is True


def _screen(
    contraindications: Collection[Contraindication],
    values: Mapping[str, Scalar],
    unsure: Collection[str],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The reasons to withhold an item, and the checks to make first where it is kept."""
    holds: list[str] = []
    unknown: list[str] = []
    for contra in contraindications:
        truth = contra.when.evaluate(values)
        if truth is True:
            holds.append(contra.because)
        elif truth is None:
            if contra.if_unsure == "withhold" and _left_open_by_unsure(contra.when, values, unsure):
                holds.append(contra.because_unsure)
            else:
                unknown.append(contra.because)
    return tuple(holds), tuple(unknown)


def _sign_action(sign: SafetyNet, values: Mapping[str, Scalar]) -> str:
    """The sign's own first action: the first whose `when` holds, else its fallback, else ""
    (the level's own instruction stands)."""
    for action in sign.first_action:
        if action.when is None or action.when.evaluate(values) is True:
            return action.text
    return ""


def _concerning(item: CareItem, values: Mapping[str, Scalar]) -> tuple[CareCitation, ...]:
    """The item's citations except those about someone else: the geriatric Beers criteria are
    not a source of what a 34-year-old is told, nor pregnancy advice of what a man is told."""
    return tuple(
        citation
        for citation in item.sources
        if citation.when is None or citation.when.evaluate(values) is not False
    )
