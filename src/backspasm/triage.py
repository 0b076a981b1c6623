"""Triage: which rules hold, and the care level they set.

The most urgent rule that holds wins. A rule that can be neither confirmed nor ruled out
counts at its `if_uncertain` level, so an unknown red flag raises caution rather than
being read as "no". Rules use red flags only positively (the loader enforces it), so a new
red flag can only add rules that hold: urgency never falls.
"""

from __future__ import annotations

from dataclasses import dataclass

from backspasm.answers import Facts
from backspasm.expressions import open_findings
from backspasm.knowledge_base import KnowledgeBase
from backspasm.knowledge_files import DISPOSITIONS, URGENCY, Rule


@dataclass(frozen=True)
class RuleOutcome:
    rule: Rule
    confirmed: bool  # False: uncertain (could hold; a red flag was unknown)
    level: str

    @property
    def urgency(self) -> int:
        return URGENCY[self.level]


@dataclass(frozen=True)
class Triage:
    disposition: str
    outcomes: tuple[RuleOutcome, ...]  # the rules that hold or may hold, most urgent first

    @property
    def urgency(self) -> int:
        return URGENCY[self.disposition]


def uncertain_level(rule: Rule) -> str:
    if rule.if_uncertain is not None:
        return rule.if_uncertain
    return DISPOSITIONS[max(URGENCY[rule.disposition] - 1, 0)]


def triage(kb: KnowledgeBase, facts: Facts) -> Triage:
    outcomes: list[RuleOutcome] = []
    for rule in kb.rules:
        result = rule.when.evaluate(facts.values)
        if result is True:
            outcomes.append(RuleOutcome(rule, True, rule.disposition))
        elif result is None:
            outcomes.append(RuleOutcome(rule, False, uncertain_level(rule)))
    outcomes.sort(key=lambda outcome: (-outcome.urgency, not outcome.confirmed))
    level = max((outcome.urgency for outcome in outcomes), default=0)
    return Triage(DISPOSITIONS[level], tuple(outcomes))


@dataclass(frozen=True)
class OpenRule:
    rule: Rule
    findings: list[str]  # unsettled findings that could still decide it, in written order


def settled_level_and_open_rules(kb: KnowledgeBase, facts: Facts) -> tuple[int, list[OpenRule]]:
    """The urgency already certain, and the undecided rules that could still raise it.

    An undecided rule whose every deciding finding has been asked (answered "not sure")
    is settled at its uncertain level; one with unasked findings is open.
    """
    level = 0
    undecided: list[OpenRule] = []
    for rule in kb.rules:
        result = rule.when.evaluate(facts.values)
        if result is True:
            level = max(level, URGENCY[rule.disposition])
        elif result is None:
            remaining = open_findings(rule.when, facts.values, facts.settled)
            if remaining:
                undecided.append(OpenRule(rule, remaining))
            else:
                level = max(level, URGENCY[uncertain_level(rule)])
    still_open = [item for item in undecided if URGENCY[item.rule.disposition] > level]
    still_open.sort(key=lambda item: -URGENCY[item.rule.disposition])
    return level, still_open


def suspected_by(kb: KnowledgeBase, facts: Facts) -> list[str]:
    """Conditions named by rules that certainly hold, one entry per rule, most urgent first."""
    fired = [rule for rule in kb.rules if rule.when.evaluate(facts.values) is True]
    fired.sort(key=lambda rule: -URGENCY[rule.disposition])
    return [condition for rule in fired for condition in rule.suspects]
