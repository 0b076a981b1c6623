"""A whole interview leaves no answer in the server's log: answers travel in form bodies (and,
with JavaScript, in the browser's own history), never in an address the access log records."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.web_fixtures import ROOT, SERVER_SETTINGS, free_port


def _field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found is not None
    return html.unescape(found.group(1))


def test_a_screen_journey_leaves_no_answer_in_the_access_log(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, **SERVER_SETTINGS}
    env["BACKSPASM_DATABASE_URL"] = f"sqlite:///{tmp_path / 'web.db'}"
    command = [sys.executable, "-m", "uvicorn", "backspasm.web.app:app_from_environment"]
    command += ["--factory", "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=10) as http:
            page = http.post(
                "/interview",
                data={"action": "describe", "text": "I'm 47 and my back went into spasm lifting"},
            ).text
            for _ in range(30):
                if 'name="rows"' not in page:
                    break
                rows = _field(page, "rows").split()
                data = {
                    "answers": _field(page, "answers"),
                    "steps": _field(page, "steps"),
                    "rows": " ".join(rows),
                    **{f"a.{name}": _reply(name) for name in rows},
                }
                page = http.post("/interview", data=data).text
            assert "Look after it at home" in page or "appointment" in page.lower()
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = log.read_text()
    assert "POST /interview" in text  # the access log was on, and saw every screen
    for secret in ("spasm", "lifting", "saddle_numbness", "chest_pain", "answers", "a.age"):
        assert secret not in text, f"{secret!r} reached the server log"


def _reply(name: str) -> str:
    numbers = {"age": "47", "pain_duration_days": "2", "pain_severity": "5"}
    choices = {"sex": "male", "pain_course": "improving", "pain_region": "lower_back"}
    return numbers.get(name) or choices.get(name) or json.dumps(False)
