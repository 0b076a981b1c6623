"""Which "not sure" answers leave a triage rule undecided.

A rule can be undecided for two reasons: the person said "not sure" to something it reads, or
the interview never asked something it reads (because the answer could not change the level).
Only the first is worth telling the person: the second would name questions they never saw.
"""

from __future__ import annotations

from collections.abc import Mapping

from backspasm.engine.answers import UNSURE, AnswerValue, facts_from
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import open_findings


def not_sure_behind(
    kb: KnowledgeBase, rule_id: str, answers: Mapping[str, AnswerValue]
) -> tuple[str, ...]:
    """The findings answered "not sure" that leave this rule undecided, in written order.

    Empty when a finding the interview did not ask could still decide the rule: then the rule
    is undecided because it was not asked about, not because of anything the person said.
    """
    facts = facts_from(kb, answers)
    rule = next(rule for rule, _, _ in kb.index.rule_tests if rule.id == rule_id)
    if open_findings(rule.when, facts.values, facts.settled):
        return ()
    return tuple(name for name in kb.index.rule_findings[rule_id] if answers.get(name) == UNSURE)
