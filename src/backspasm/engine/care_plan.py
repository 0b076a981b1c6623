"""The personal care plan: advice for this care level, screened against contraindications.

An item whose contraindication holds is withheld, with the reason. A contraindication that
could not be checked (not asked, or "not sure") keeps the item but spells out the check,
so nothing unsafe is ever presented as cleared.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import Scalar
from backspasm.engine.schema import URGENCY, CareCitation, CareItem, Review, SafetyNet

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
class Plan:
    items: tuple[PlannedItem, ...]
    withheld: tuple[WithheldItem, ...]
    safety_net: tuple[SafetyNet, ...]
    review: Review


def build_plan(
    kb: KnowledgeBase,
    disposition: str,
    values: Mapping[str, Scalar],
    level_rules: Collection[str],
) -> Plan:
    """The plan for this level. `level_rules` are the rules that set the level (held or not
    ruled out): a first action applies only when it is for every one of them."""
    items: list[PlannedItem] = []
    withheld: list[WithheldItem] = []
    for item in kb.care.items:
        if disposition not in item.levels:
            continue
        if item.applies_when is not None and item.applies_when.evaluate(values) is not True:
            continue
        if item.first_action and not set(level_rules) <= set(item.first_action_for):
            continue
        truths = [(c.because, c.when.evaluate(values)) for c in item.contraindicated_when]
        holds = [because for because, truth in truths if truth is True]
        unknown = [because for because, truth in truths if truth is None]
        if holds:
            withheld.append(WithheldItem(item, tuple(holds)))
        else:
            items.append(PlannedItem(item, tuple(unknown), _concerning(item, values)))
    replaced = {name for planned in items for name in planned.item.replaces}
    items = [planned for planned in items if planned.item.id not in replaced]
    # the level's first action, where one applies, leads its stage
    items.sort(key=lambda p: (STAGES.index(p.item.stage), not p.item.first_action))
    urgency = URGENCY[disposition]
    safety_net = tuple(
        sign
        for sign in kb.care.safety_net
        if URGENCY[sign.action] > urgency
        and (sign.applies_when is None or sign.applies_when.evaluate(values) is not False)
    )
    review = next(review for review in kb.care.reviews if review.level == disposition)
    return Plan(tuple(items), tuple(withheld), safety_net, review)


def _concerning(item: CareItem, values: Mapping[str, Scalar]) -> tuple[CareCitation, ...]:
    """The item's citations except those about someone else: the geriatric Beers criteria are
    not a source of what a 34-year-old is told, nor pregnancy advice of what a man is told."""
    return tuple(
        citation
        for citation in item.sources
        if citation.when is None or citation.when.evaluate(values) is not False
    )
