"""Fixtures for the FHIR / SDC / CDS Hooks tests: the knowledge, a real HTTP server on
loopback running our router, the npm packages the validators and the browser test use, and
golden-file comparison.

Golden files live in tests/golden/. After a deliberate change to an export, regenerate them
with `BACKSPASM_UPDATE_GOLDEN=1 .venv/bin/pytest tests/fhir` and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from backspasm.knowledge_base import KnowledgeBase, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
JS_DEPS = ROOT / ".js-deps"
FIXED_NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
UPDATE_GOLDEN = os.environ.get("BACKSPASM_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def js_deps() -> Path:
    """lforms and the R4 definitions, unpacked by the same idempotent script `make test` runs."""
    subprocess.run([str(ROOT / "scripts" / "ensure-js-deps.sh")], check=True)
    return JS_DEPS


@pytest.fixture(scope="session")
def validate(js_deps: Path) -> Any:
    """all_layers(resource) -> {layer: problems}; see fhir_validation."""
    import fhir_validation

    return fhir_validation.all_layers


@pytest.fixture(scope="session")
def server(js_deps: Path) -> Iterator[str]:
    """Our router in a bare FastAPI app, served by uvicorn on a loopback port.

    The test app also serves the LHC-Forms files and a page that loads them, so the browser
    test reaches the form and our API from one origin.
    """
    import uvicorn
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from backspasm.fhir.routes import clock, router

    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[clock] = lambda: FIXED_NOW
    app.mount("/lforms", StaticFiles(directory=js_deps / "lforms"), name="lforms")
    app.mount(
        "/lhc", StaticFiles(directory=Path(__file__).parent / "lhc_page", html=True), name="lhc"
    )
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = uv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def golden() -> Any:
    return assert_golden


def assert_golden(name: str, data: Any) -> None:
    """Compare with tests/golden/<name>; write it instead when BACKSPASM_UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if UPDATE_GOLDEN or not path.exists():
        if not UPDATE_GOLDEN:
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
