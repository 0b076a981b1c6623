"""Shortcuts `assess` takes for speed must give exactly what the long way gives."""

from __future__ import annotations

from pathlib import Path

from backspasm.engine.answers import facts_from
from backspasm.engine.assessment import assess
from backspasm.engine.contributors import rank_causes
from backspasm.engine.triage import suspected_by
from backspasm.evaluation import load_cases
from tests.support.knowledge import knowledge

CASES = Path(__file__).resolve().parents[2] / "cases"


def test_contributors_match_ranking_with_suspected_by() -> None:
    kb = knowledge()
    boosted = 0
    for case in load_cases(kb, [CASES]):
        facts = facts_from(kb, case.facts)
        suspected = suspected_by(kb, facts)
        long_way = rank_causes(kb, facts.values, suspected)
        got = assess(kb, case.facts).causes
        assert [(c.id, c.score) for c in got] == [(c.id, c.score) for c in long_way[: len(got)]]
        boosted += bool(suspected)
    assert boosted > 10  # many cases had warning-sign boosts, so the order was exercised
