"""The real web app under uvicorn on a free loopback port, as fixtures for the web tests.

Tests talk to it over HTTP (httpx, a real browser, schemathesis), exactly as a person or a
clinic's system would; nothing of ours is replaced.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]

# Settings the test server runs with, so tests can see that settings reach the pages.
SERVER_SETTINGS = {
    "BACKSPASM_CLINIC_NAME": "Riverside Spine Clinic",
    "BACKSPASM_EMERGENCY_NUMBER": "112",
    "BACKSPASM_URGENT_NUMBER": "111",
    "BACKSPASM_CONTACT_URL": "https://clinic.example/book",
    "BACKSPASM_EMBED_ORIGINS": "*",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """Start `uvicorn backspasm.web.app:app_from_environment` and wait until it answers."""
    port = free_port()
    database = Path(tempfile.mkdtemp(prefix="backspasm-web-")) / "web.db"
    env = {"BACKSPASM_DATABASE_URL": f"sqlite:///{database}", **env}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "backspasm.web.app:app_from_environment",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):  # up to about 20 s on a slow machine
        if process.poll() is not None:
            raise RuntimeError(f"the web app exited with {process.returncode}")
        try:
            if httpx.get(url + "/api/v1/questions", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the web app did not start")


@pytest.fixture
def port() -> int:
    """A free loopback port for a test that starts its own server."""
    return free_port()


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    process, url = start_server(SERVER_SETTINGS)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=10) as client:
        yield client


def simulated_answer(question: dict[str, Any], facts: dict[str, Any]) -> Any:
    """What a person with these facts answers: a fact if known, else no / the default."""
    name = str(question["id"])
    if name in facts:
        return facts[name]
    from tests.support.knowledge import knowledge

    finding = knowledge().findings[name]
    if finding.type == "bool":
        return False
    if finding.default is None:
        raise AssertionError(f"the facts must give {name}")
    return finding.default


@pytest.fixture(scope="session")
def simulate() -> Callable[[dict[str, Any], dict[str, Any]], Any]:
    return simulated_answer


@pytest.fixture(scope="session")
def complete(http: httpx.Client) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Run the real interview through the API for a person with these facts."""

    def run(facts: dict[str, Any]) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for _ in range(200):
            step = http.post("/api/v1/interview/next", json={"answers": answers}).json()
            if step["done"]:
                return answers
            question = step["questions"][0]
            answers[question["id"]] = simulated_answer(question, facts)
        raise AssertionError("the interview did not finish")

    return run
