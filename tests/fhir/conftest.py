"""Fixtures for the FHIR / SDC / CDS Hooks tests: the knowledge, a real HTTP server on
loopback running our router, the npm packages the validators and the browser test use, and
golden-file comparison (see fhir_support for how to regenerate golden files).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fhir_support import FIXED_NOW, JS_DEPS, ROOT, assert_golden, serve

from backspasm.engine.knowledge_base import KnowledgeBase
from tests.support.knowledge import knowledge


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return knowledge()


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
def app(js_deps: Path) -> Any:
    """Our router in a bare FastAPI app, with the clock fixed.

    The test app also serves the LHC-Forms files and a page that loads them, so the browser
    test reaches the form and our API from one origin.
    """
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from backspasm.fhir.cds_auth import CdsPolicy
    from backspasm.fhir.routes import cds_policy, clock, router

    application = FastAPI()
    application.state.kb = knowledge()  # an app that mounts the router holds the knowledge
    application.include_router(router)
    application.dependency_overrides[clock] = lambda: FIXED_NOW
    # The contract tests call as an EHR in development would: unsigned (tests/fhir/
    # test_cds_auth.py checks the signed calls production needs).
    application.dependency_overrides[cds_policy] = lambda: CdsPolicy({}, allow_unsigned=True)
    application.mount("/lforms", StaticFiles(directory=js_deps / "lforms"), name="lforms")
    page = Path(__file__).parent / "lhc_page"
    application.mount("/lhc", StaticFiles(directory=page, html=True), name="lhc")
    return application


@pytest.fixture(scope="session")
def server(app: Any) -> Iterator[str]:
    """The test app served by uvicorn on a loopback port (real HTTP)."""
    with serve(app) as base:
        yield base


@pytest.fixture(scope="session")
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def golden() -> Any:
    return assert_golden
