"""Where things are: the repository root, the public cases, and the shared spec beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"


def shared_spec() -> Path:
    """The fixed interfaces live beside the repository (../shared/spec), as CI lays them out."""
    for base in (ROOT.parent, ROOT.parent.parent):
        spec = base / "shared" / "spec"
        if spec.is_dir():
            return spec
    pytest.skip("shared/spec is not beside this checkout")
    raise AssertionError  # pragma: no cover
