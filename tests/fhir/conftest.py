"""Fixtures for the FHIR / SDC / CDS Hooks tests: the knowledge, a real HTTP server on
loopback running our router, the npm packages the validators and the browser test use, and
golden-file comparison (see fhir_support for how to regenerate golden files).
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fhir_support import FIXED_NOW, JS_DEPS, ROOT, assert_golden

from backspasm.knowledge_base import KnowledgeBase, load_knowledge


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
