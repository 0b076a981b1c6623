"""Knowledge fixtures: the real knowledge base, and a private copy to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backspasm.engine.knowledge_base import KnowledgeBase, default_directory, load_knowledge


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    """A private copy of the knowledge folder, for tests that break it on purpose."""
    target = tmp_path / "knowledge"
    shutil.copytree(default_directory(), target)
    return target
