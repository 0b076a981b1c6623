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


def test_serve_drops_clients_that_send_too_slowly(port: int, tmp_path: Path) -> None:
    """A client that sends half its headers, or half its body, and waits, loses the connection
    after `header_timeout` seconds instead of holding it for ever."""
    import socket

    env = {k: v for k, v in os.environ.items() if k != "BACKSPASM_DATABASE_URL"}
    env["BACKSPASM_HEADER_TIMEOUT"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "backspasm", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        cwd=tmp_path,
        env=env,
    )
    try:
        for _ in range(200):
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with socket.create_connection(("127.0.0.1", port), timeout=20) as slow_headers:
            slow_headers.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            assert slow_headers.recv(4096) == b""  # closed, nothing answered
        with socket.create_connection(("127.0.0.1", port), timeout=20) as slow_body:
            slow_body.sendall(
                b"POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: 20\r\n\r\n{"
            )
            assert slow_body.recv(4096).startswith(b"HTTP/1.1 408")
    finally:
        process.terminate()
        process.wait(timeout=15)
