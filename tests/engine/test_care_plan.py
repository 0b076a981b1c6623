"""The care plan's screening: a "not sure" answer never clears what a "yes" would withhold.

Answering "not sure" to a contraindication's question either withholds the item (where the
knowledge says `if_unsure: withhold`) or keeps it with that contraindication spelled out as a
check to make first; a question never asked is not a "not sure" answer.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backspasm.engine.answers import UNSURE, facts_from
from backspasm.engine.care_plan import Plan, build_plan
from backspasm.engine.logic import findings_in
from backspasm.engine.schema import DISPOSITIONS
from tests.support.knowledge import knowledge
from tests.support.strategies import answer_sets

KB = knowledge()
# every finding a contraindication asks about that can be answered "not sure"
CONTRAINDICATION_FINDINGS = sorted(
    {
        name
        for item in KB.care.items
        for contra in item.contraindicated_when
        for name in findings_in(contra.when)
        if KB.findings[name].unsure
    }
)


def _yes_answers(name: str) -> list[Any]:
    """Every definite answer to the finding: yes for a yes/no question, each option of a
    choice, the ends of a number's range."""
    finding = KB.findings[name]
    if finding.type == "bool":
        return [True]
    if finding.type == "choice":
        return list(finding.options)
    return [finding.min, finding.max]


def _plan(answers: dict[str, Any], level: str) -> Plan:
    facts = facts_from(KB, answers)
    return build_plan(KB, level, facts.values, (), facts.unsure)


def test_the_property_covers_the_contraindications_that_withhold_on_not_sure():
    assert {"pregnant", "takes_blood_thinners", "nsaid_reaction"} <= set(CONTRAINDICATION_FINDINGS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=answer_sets(KB),
    finding=st.sampled_from(CONTRAINDICATION_FINDINGS),
    level=st.sampled_from(DISPOSITIONS),
)
def test_not_sure_never_shows_unchecked_what_yes_would_withhold(answers, finding, level):
    unsure = _plan({**answers, finding: UNSURE}, level)
    for value in _yes_answers(finding):
        yes = _plan({**answers, finding: value}, level)
        withheld_by_yes = {w.item.id: set(w.because) for w in yes.withheld}
        for planned in unsure.items:
            reasons = withheld_by_yes.get(planned.item.id)
            if reasons is None:
                continue
            assert reasons & set(planned.check_first), (
                f"{planned.item.id}: {finding}={value!r} withholds it ({reasons}), "
                f"but 'not sure' shows it with only {planned.check_first}"
            )


def _pregnancy_screened(answers: dict[str, Any]) -> tuple[set[str], set[str]]:
    plan = _plan(answers, "self_care")
    return {p.item.id for p in plan.items}, {w.item.id for w in plan.withheld}


PERSON = {"age": 30, "sex": "female", "pain_duration_days": 2, "pain_severity": 5}


def test_not_sure_withholds_but_not_asked_keeps_with_the_check():
    shown, held = _pregnancy_screened({**PERSON, "pregnant": UNSURE})
    assert "anti_inflammatory" in held and "paracetamol_in_pregnancy" in shown
    shown, held = _pregnancy_screened(PERSON)  # pregnancy not asked yet: unknown, not unsure
    assert "anti_inflammatory" in shown and "anti_inflammatory" not in held
    assert "paracetamol_in_pregnancy" not in shown


def test_unsure_facts_are_the_not_sure_answers_only():
    facts = facts_from(KB, {**PERSON, "sex": "male", "takes_blood_thinners": UNSURE})
    assert facts.unsure == {"takes_blood_thinners"}  # pregnancy is ruled out, not unsure
    assert "pregnant" in facts.ruled_out_by_context
