"""Start and stop the test server as a real process; readiness is its port file appearing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

SCRIPT = Path(__file__).with_name("followup_server.py")
START_DEADLINE_S = 60  # generous: only how long we wait for start-up, never an assertion


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=30)

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flush; what was committed is all that is left."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait()


def start(database: str, folder: Path, today: str | None = None) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    port_file = folder / f"port-{time.monotonic_ns()}"
    log = port_file.with_suffix(".log")
    command = [sys.executable, str(SCRIPT), database, str(port_file)]
    if today:
        command += ["--today", today]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_DEADLINE_S
    while not port_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"test server did not start:\n{log.read_text()}")
        time.sleep(0.05)
    return Server(process, f"http://127.0.0.1:{port_file.read_text()}", log)
