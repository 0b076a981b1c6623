"""Shared constants and the golden-file comparison for the FHIR tests.

Golden files live in tests/golden/. After a deliberate change to an export, regenerate them
with `BACKSPASM_UPDATE_GOLDEN=1 .venv/bin/pytest tests/fhir` and review the diff.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
JS_DEPS = ROOT / ".js-deps"
FIXED_NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
UPDATE_GOLDEN = os.environ.get("BACKSPASM_UPDATE_GOLDEN") == "1"


def assert_golden(
    name: str, data: Any, directory: Path = GOLDEN, update: bool = UPDATE_GOLDEN
) -> None:
    """Compare with tests/golden/<name>; write it instead when BACKSPASM_UPDATE_GOLDEN=1."""
    path = directory / name
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if update or not path.exists():
        if not update:
            pytest.fail(
                f"{path} is missing; create it with BACKSPASM_UPDATE_GOLDEN=1 and review it"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return
    expected = json.loads(path.read_text())
    if expected != data:
        import difflib

        diff = "\n".join(
            difflib.unified_diff(
                path.read_text().splitlines(), text.splitlines(), "golden", "now", lineterm="", n=2
            )
        )
        pytest.fail(
            f"{name} differs from its golden file (if intended, regenerate with "
            f"BACKSPASM_UPDATE_GOLDEN=1 and review):\n{diff[:6000]}"
        )


def interview_answers_by_level() -> dict[str, dict[str, Any]]:
    """For each care level, the answers of the first evaluation case whose full interview
    (with the evaluation's simulated patient) ends at that level."""
    from backspasm.evaluation import load_cases, run_case
    from tests.support.knowledge import knowledge

    kb = knowledge()
    out: dict[str, dict[str, Any]] = {}
    for case in load_cases(kb, [ROOT / "cases"]):
        result = run_case(kb, case)
        out.setdefault(result.got, dict(result.assessment.answers))
    return out


@contextmanager
def serve(application: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a free loopback port; yield its base URL."""
    import uvicorn

    config = uvicorn.Config(
        application, host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = uv.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
