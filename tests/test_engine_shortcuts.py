"""Shortcuts the engine takes for speed must give exactly what the long way gives."""

from __future__ import annotations

from pathlib import Path

from backspasm.answers import facts_from
from backspasm.evaluation import load_cases
from backspasm.knowledge_base import load_knowledge
from backspasm.triage import suspected_by, suspected_from, triage

CASES = Path(__file__).resolve().parent.parent / "cases"


def test_suspected_from_triage_equals_suspected_by() -> None:
    kb = load_knowledge()
    checked = 0
    for case in load_cases(kb, [CASES]):
        facts = facts_from(kb, case.facts)
        assert suspected_from(triage(kb, facts)) == suspected_by(kb, facts), case.id
        checked += bool(suspected_by(kb, facts))
    assert checked > 10  # the comparison saw many cases where rules fired
