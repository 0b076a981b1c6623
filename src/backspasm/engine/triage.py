"""Triage: which rules hold, and the care level they set.

The most urgent rule that holds wins. A rule that can be neither confirmed nor ruled out
counts at its `if_uncertain` level, so an unknown red flag raises caution rather than
being read as "no". Rules use red flags only positively (the loader enforces it), so a new
red flag can only add rules that hold: urgency never falls.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from backspasm.engine.answers import Facts
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import open_findings
from backspasm.engine.schema import DISPOSITIONS, URGENCY, Rule


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


def undecided_level(kb: KnowledgeBase, rule: Rule, facts: Facts) -> str:
    """The level of a rule these facts neither confirm nor rule out."""
    if _holds_for_a_withheld_choice(kb, rule, facts):
        return rule.disposition
    return uncertain_level(rule)


def triage(kb: KnowledgeBase, facts: Facts) -> Triage:
    outcomes: list[RuleOutcome] = []
    for rule in kb.rules:
        result = rule.when.evaluate(facts.values)
        if result is True:
            outcomes.append(RuleOutcome(rule, True, rule.disposition))
        elif result is None:
            outcomes.append(RuleOutcome(rule, False, undecided_level(kb, rule, facts)))
    outcomes.sort(key=lambda outcome: (-outcome.urgency, not outcome.confirmed))
    level = max((outcome.urgency for outcome in outcomes), default=0)
    return Triage(DISPOSITIONS[level], tuple(outcomes))


@dataclass(frozen=True)
class OpenRule:
    rule: Rule
    findings: list[str]  # unsettled findings that could still decide it, in written order


class Settled(NamedTuple):
    level: int  # the urgency already certain (a lower bound when `first` stopped the search)
    open_rules: list[OpenRule]
    held: list[Rule]  # rules that certainly hold, in file order


def settled_level_and_open_rules(
    kb: KnowledgeBase,
    facts: Facts,
    first: int | None = None,
) -> Settled:
    """The urgency already certain, the undecided rules that could still raise it, and the
    rules that hold (read off the same pass, so callers need not evaluate them again).

    An undecided rule whose every deciding finding has been asked (answered "not sure")
    is settled at its uncertain level; one with unasked findings is open. Rules are visited
    from the most urgent down, so the first open rules found stay open whatever the later
    ones hold: with `first`, stop after that many (the level is then only a lower bound).
    """
    level = 0
    undecided: set[str] = set()
    held: list[Rule] = []
    values = facts.values
    for rule, test, urgency in kb.index.rule_tests:
        result = test(values)
        if result is True:
            if urgency > level:
                level = urgency
            held.append(rule)
        elif result is None:
            undecided.add(rule.id)
    still_open: list[OpenRule] = []
    for rule in _most_urgent_first(kb, undecided, facts):
        if URGENCY[rule.disposition] <= level:
            break  # neither this rule nor any after it can raise the level
        remaining = open_findings(rule.when, facts.values, facts.settled)
        if remaining:
            still_open.append(OpenRule(rule, remaining))
            if first is not None and len(still_open) >= first:
                break
        else:
            level = max(level, URGENCY[undecided_level(kb, rule, facts)])
    return Settled(
        level, [item for item in still_open if URGENCY[item.rule.disposition] > level], held
    )


def _most_urgent_first(kb: KnowledgeBase, undecided: set[str], facts: Facts) -> Iterator[Rule]:
    """The undecided rules, most urgent first; within a level, rules the answers already partly
    meet come first, so a "yes" is followed up at once (fever -> infection risks); file order
    otherwise.

    Lazy, level by level: the caller usually stops within the first level or two, so the
    "partly met" test is not run on rules that are never reached.
    """
    for _, group in kb.index.rules_by_urgency:
        members = [rule for rule in group if rule.id in undecided]
        met = [rule for rule in members if _partly_met(kb, rule, facts)]
        yield from met
        met_ids = {rule.id for rule in met}
        yield from (rule for rule in members if rule.id not in met_ids)


def _partly_met(kb: KnowledgeBase, rule: Rule, facts: Facts) -> bool:
    """Has the person said "yes" to something this rule asks about?"""
    values = facts.values
    return any(values.get(name) is True for name in kb.index.rule_yes_findings[rule.id])


def suspected_by(kb: KnowledgeBase, facts: Facts) -> list[str]:
    """Conditions named by rules that certainly hold, one entry per rule, most urgent first."""
    return suspects_of([rule for rule in kb.rules if rule.when.evaluate(facts.values) is True])


def suspects_of(held: list[Rule]) -> list[str]:
    """The conditions these holding rules name, one entry per rule, most urgent rule first."""
    fired = sorted(held, key=lambda rule: -URGENCY[rule.disposition])
    return [condition for rule in fired for condition in rule.suspects]


def _holds_for_a_withheld_choice(kb: KnowledgeBase, rule: Rule, facts: Facts) -> bool:
    """A choice the person did not give ("prefer not to say" for sex) stands for each of its
    options in turn: a rule that would hold for one of them counts at its full level, so not
    saying never makes the advice less cautious than saying would have."""
    withheld = facts.unsure
    for name in sorted(withheld):
        finding = kb.findings[name]
        if finding.type != "choice":
            continue
        for option in finding.options:
            if rule.when.evaluate({**facts.values, name: option}) is True:
                return True
    return False
