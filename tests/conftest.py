"""Shared fixtures: the real knowledge base, the repository root, and the shared spec."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backspasm.knowledge_base import KnowledgeBase, default_directory, load_knowledge

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases"


def shared_spec() -> Path:
    """The fixed interfaces live beside the repository (../shared/spec), as CI lays them out."""
    for base in (ROOT.parent, ROOT.parent.parent):
        spec = base / "shared" / "spec"
        if spec.is_dir():
            return spec
    pytest.skip("shared/spec is not beside this checkout")
    raise AssertionError  # pragma: no cover


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    """A private copy of the knowledge folder, for tests that break it on purpose."""
    target = tmp_path / "knowledge"
    shutil.copytree(default_directory(), target)
    return target


# Storage, web and durability tests (issue 5): databases on both backends.
# One Chromium for every browser test in the session.
from .chromium import browser  # noqa: E402, F401
from .db_fixtures import db_url, engine, module_db_url, session_factory  # noqa: E402, F401

# The real web app under uvicorn on a free loopback port (issue 4).
from .web_fixtures import complete, http, port, server, simulate  # noqa: E402, F401
