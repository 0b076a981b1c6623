"""`backspasm serve`, the command behind `make run`: it prints its address and serves the app."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx


def test_serve_prints_its_address_and_answers(port: int, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BACKSPASM_DATABASE_URL"}
    process = subprocess.Popen(
        [sys.executable, "-m", "backspasm", "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(f"backspasm web app: http://127.0.0.1:{port}/")
        for _ in range(200):
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert page.status_code == 200 and "Back pain check" in page.text
        assert (tmp_path / "backspasm.db").is_file()  # diaries default to SQLite here
    finally:
        process.terminate()
        process.wait(timeout=15)
