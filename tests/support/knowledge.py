"""Knowledge fixtures: the real knowledge base, and a small fixture knowledge base to break.

The engine keeps no copy of the knowledge base; the test run holds one as a command does, with
the command line's accessors: `knowledge()` loads the packaged one once, `reader()` builds the
one text reader over it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backspasm.cli.knowledge import knowledge, reader
from backspasm.engine.knowledge_base import (
    KnowledgeBase,
    KnowledgeError,
    read_knowledge,
)

__all__ = ["FIXTURE_KB", "broken", "kb", "knowledge", "reader", "small_kb"]
FIXTURE_KB = Path(__file__).resolve().parents[1] / "knowledge" / "fixture_kb"


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
