"""Knowledge fixtures: the real knowledge base, and a small fixture knowledge base to break.

The engine keeps no copy of the knowledge base; like the faces, the test run loads the packaged
one once (`knowledge()`) and builds one text reader over it (`reader()`).
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest

from backspasm.engine.knowledge_base import (
    KnowledgeBase,
    KnowledgeError,
    load_knowledge,
    read_knowledge,
)
from backspasm.text.reading import Reader

FIXTURE_KB = Path(__file__).resolve().parents[1] / "knowledge" / "fixture_kb"


@cache
def knowledge() -> KnowledgeBase:
    """The packaged knowledge base, read once for the whole test run."""
    return load_knowledge()


@cache
def reader() -> Reader:
    """The one text reader over `knowledge()` (its spaCy pipeline is built once)."""
    return Reader(knowledge())


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return knowledge()


@pytest.fixture()
def small_kb(tmp_path: Path) -> Path:
    """A private copy of the small fixture knowledge base (tests/knowledge/fixture_kb), for
    tests that break it on purpose; the production YAML is never copied or edited."""
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURE_KB, target)
    return target


def broken(folder: Path, file: str, old: str, new: str) -> list[str]:
    """Replace `old` by `new` once in a knowledge file of `folder`, and return the problems the
    strict loader then reports (the test fails if it reports none)."""
    path = folder / file
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(KnowledgeError) as caught:
        read_knowledge(folder)
    return caught.value.problems
