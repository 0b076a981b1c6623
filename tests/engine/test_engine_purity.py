"""The engine is pure in fact: no module-level caches, and callers' data is only read.

Indexes derived from the knowledge live on the loaded knowledge base (`kb.index`); memos kept
for speed live in an object made per call or per interview session. Not even the knowledge
base is kept: `load_knowledge` reads it on every call, and the faces hold what they load.
"""

from __future__ import annotations

import copy
from pathlib import Path
from types import MappingProxyType

from hypothesis import given, settings

import backspasm.engine
from backspasm.engine.answers import facts_from
from backspasm.engine.assessment import assess
from backspasm.engine.contributors import could_change_top, ranked_ids, scores
from backspasm.engine.interview import next_questions
from backspasm.engine.triage import suspected_by
from tests.support.knowledge import knowledge
from tests.support.purity import cache_problems
from tests.support.strategies import answer_sets

KB = knowledge()
ENGINE = Path(backspasm.engine.__file__).parent


def test_no_engine_module_keeps_a_module_level_cache() -> None:
    problems = [
        problem
        for path in sorted(ENGINE.glob("*.py"))
        for problem in cache_problems(path.read_text(), path.name)
    ]
    assert problems == []


def test_the_cache_scan_finds_each_kind_of_memo() -> None:
    examples = {
        "from functools import cache\n@cache\ndef f(kb): return 1\n": "decorated with cache",
        "import functools\n@functools.lru_cache(maxsize=8)\ndef f(kb): ...\n": "lru_cache",
        "class K:\n    @cached_property\n    def x(self): ...\n": "cached_property",
        "_memo = {}\ndef f(k):\n    _memo[k] = 1\n": "writes module-level _memo",
        "_memo: dict = dict()\ndef f(k):\n    _memo.setdefault(k, 1)\n": "writes module-level",
        "_seen = None\ndef f():\n    global _seen\n": "rebinds module state",
    }
    for source, expected in examples.items():
        found = cache_problems(source, "example.py")
        assert any(expected in problem for problem in found), source
    table = "ORDER = {'a': 1}\ndef f(k):\n    return ORDER[k]\n"
    assert cache_problems(table, "example.py") == []  # a constant table only read is fine


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets(KB, required=False))
def test_the_contributor_check_only_reads_the_callers_facts(answers) -> None:
    facts = facts_from(KB, answers)
    before = copy.deepcopy(facts.values)
    current = scores(KB, facts.values, suspected_by(KB, facts))
    ranked = ranked_ids(KB, current)
    read_only = MappingProxyType(facts.values)  # writing to it raises TypeError
    for name in KB.index.contributor_candidates:
        if name not in facts.settled:
            could_change_top(KB, read_only, current, ranked, name)
    assert facts.values == before


@settings(max_examples=100, deadline=None)
@given(answers=answer_sets(KB, required=False))
def test_the_interview_and_assessment_only_read_the_answers(answers) -> None:
    before = copy.deepcopy(answers)
    read_only = MappingProxyType(answers)
    next_questions(KB, read_only, limit=4)
    assess(KB, read_only)
    assert answers == before


def test_the_indexes_are_held_by_the_loaded_knowledge_base() -> None:
    index = KB.index
    assert index.red_flags == KB.red_flags
    assert set(index.rule_findings) == {rule.id for rule in KB.rules}
    assert set(index.contributor_candidates) <= set(index.touched)
    assert list(index.condition_order) == list(KB.conditions)
