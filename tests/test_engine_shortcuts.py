"""Shortcuts `assess` takes for speed must give exactly what the long way gives."""

from __future__ import annotations

from pathlib import Path

from backspasm.answers import facts_from
from backspasm.assessment import assess
from backspasm.causes import rank_causes
from backspasm.evaluation import load_cases
from backspasm.knowledge_base import load_knowledge
from backspasm.triage import suspected_by

CASES = Path(__file__).resolve().parent.parent / "cases"


def test_contributors_match_ranking_with_suspected_by() -> None:
    kb = load_knowledge()
    boosted = 0
    for case in load_cases(kb, [CASES]):
        facts = facts_from(kb, case.facts)
        suspected = suspected_by(kb, facts)
        long_way = rank_causes(kb, facts.values, suspected)
        got = assess(kb, case.facts).causes
        assert [(c.id, c.score) for c in got] == [(c.id, c.score) for c in long_way[: len(got)]]
        boosted += bool(suspected)
    assert boosted > 10  # many cases had warning-sign boosts, so the order was exercised
