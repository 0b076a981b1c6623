"""Knowledge fixtures: the real knowledge base, and a small fixture knowledge base to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backspasm.engine.knowledge_base import KnowledgeBase, load_knowledge

FIXTURE_KB = Path(__file__).resolve().parents[1] / "knowledge" / "fixture_kb"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture()
def small_kb(tmp_path: Path) -> Path:
    """A private copy of the small fixture knowledge base (tests/knowledge/fixture_kb), for
    tests that break it on purpose; the production YAML is never copied or edited."""
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURE_KB, target)
    return target
