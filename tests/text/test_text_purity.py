"""The text layer keeps no module-level cache: what reading derives from the knowledge (the
compiled lexicon, its patterns, the speller, the spaCy pipeline) is held by the `Reader` that
a face builds once per knowledge base."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import backspasm.text
from backspasm.engine.knowledge_base import default_directory, read_knowledge
from backspasm.text.reading import Reader, parse_text
from tests.support.knowledge import reader
from tests.support.purity import cache_problems

TEXT = Path(backspasm.text.__file__).parent
# A property computed once per object (the reader's speller and pipeline) is no module state.
MODULE_MEMOS = frozenset({"cache", "lru_cache"})


def test_no_text_module_keeps_a_module_level_cache() -> None:
    problems = [
        problem
        for path in sorted(TEXT.glob("*.py"))
        for problem in cache_problems(path.read_text(), path.name, MODULE_MEMOS)
    ]
    assert problems == []


def test_two_readers_over_two_loads_read_alike() -> None:
    text = "my husband is 70, his back went yesterday, he cant feel his bum, no fevr"
    day = dt.date(2026, 11, 21)
    other = Reader(read_knowledge(default_directory()))
    assert other.kb is not reader().kb
    assert parse_text(text, day, other) == parse_text(text, day, reader())
