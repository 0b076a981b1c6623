"""Several instances on one PostgreSQL behind a reverse proxy, as docs/deploy.md describes:
two `backspasm serve` processes behind Debian's nginx on loopback, a mixed workload of new
episodes, diary entries, diary pages and staff lists through the proxy, and one instance
killed (SIGKILL) mid-run. Every write the client saw acknowledged is stored exactly once.

Bounded: about 15 seconds of workload.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.support.db_fixtures import fresh_database
from tests.support.web_fixtures import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WORKLOAD_SECONDS = 15
KILL_AFTER_SECONDS = 5
THREADS = 6
ENTRIES_PER_EPISODE = 10  # pain and function pairs stay distinct

pytestmark = pytest.mark.skipif(
    not os.path.exists(NGINX) and os.environ.get("BACKSPASM_REQUIRE_POSTGRES") != "1",
    reason="nginx is not installed (make test-deps installs it)",
)

# The proxy's part of docs/deploy.md: limits at the edge, and no retry of a POST.
NGINX_CONF = """
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 1m;
    client_header_timeout 10s;
    client_body_timeout 10s;
    send_timeout 30s;
    upstream backspasm {{
        server 127.0.0.1:{first} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{second} max_fails=1 fail_timeout=30s;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://backspasm;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


@dataclass
class Deployment:
    base: str
    database: str
    instances: list[subprocess.Popen[bytes]]
    staff_token: str


@dataclass
class Ledger:
    """What the client saw acknowledged, and what went wrong, across the workload's threads."""

    episodes: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1


def _wait_for(url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    for _ in range(600):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    with fresh_database("postgresql", tmp_path) as database:
        port, first, second = free_port(), free_port(), free_port()
        env = {
            **os.environ,
            "BACKSPASM_DATABASE_URL": database,
            "BACKSPASM_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "BACKSPASM_RATE_LIMIT": "100000/minute",
        }
        instances = [  # started together: their migrations must not race
            subprocess.Popen(
                [sys.executable, "-m", "backspasm", "serve", "--port", str(own)],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
            )
            for own in (first, second)
        ]
        conf = tmp_path / "nginx.conf"
        conf.write_text(NGINX_CONF.format(folder=tmp_path, port=port, first=first, second=second))
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf.write_text(user + conf.read_text())
        proxy = subprocess.Popen(
            [NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
            stderr=subprocess.DEVNULL,
        )
        try:
            for own, process in zip((first, second), instances, strict=True):
                _wait_for(f"http://127.0.0.1:{own}/", process)
            _wait_for(f"http://127.0.0.1:{port}/")
            token = subprocess.run(
                [sys.executable, "-m", "backspasm", "staff", "add-token", "clinic"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            yield Deployment(f"http://127.0.0.1:{port}", database, instances, token)
        finally:
            proxy.send_signal(signal.SIGQUIT)
            proxy.wait(timeout=10)
            for process in instances:
                if process.poll() is None:
                    process.terminate()
                    process.wait(timeout=15)


def _person(deployment: Deployment, ledger: Ledger, stop: threading.Event, seed: int) -> None:
    """One person after another: start an episode, write entries (each with its own pain and
    function pair, so a duplicate would show), read the diary page; now and then a staff list."""
    today = datetime.now(UTC).date().isoformat()
    staff = {"Authorization": f"Bearer {deployment.staff_token}"}
    with httpx.Client(base_url=deployment.base, timeout=30) as client:
        turn = 0
        while not stop.is_set():
            turn += 1
            try:
                made = client.post("/api/episodes", json={"answers": {"age": 30 + seed}})
            except httpx.TransportError:
                continue
            ledger.count(made.status_code)
            if made.status_code != 201:
                continue
            token = made.json()["token"]
            with ledger.lock:
                ledger.episodes[token] = []
            for number in range(ENTRIES_PER_EPISODE):
                if stop.is_set():
                    break
                pain, function = number % 11, (number + seed) % 11
                entry = {"day": today, "pain": pain, "function": function, "spasms": "some"}
                try:
                    reply = client.post(f"/api/episodes/{token}/diary", json=entry)
                except httpx.TransportError:
                    continue
                ledger.count(reply.status_code)
                if reply.status_code == 201:
                    with ledger.lock:
                        ledger.episodes[token].append((reply.json()["id"], pain, function))
            for path, headers in ((f"/diary/{token}", {}), ("/api/staff/episodes", staff)):
                if path.startswith("/api/staff") and turn % 3:
                    continue
                with contextlib.suppress(httpx.TransportError):
                    ledger.count(client.get(path, headers=headers).status_code)


def test_two_instances_lose_and_duplicate_no_acknowledged_write(
    deployment: Deployment,
) -> None:
    ledger = Ledger()
    stop = threading.Event()
    people = [
        threading.Thread(target=_person, args=(deployment, ledger, stop, seed))
        for seed in range(THREADS)
    ]
    for person in people:
        person.start()
    time.sleep(KILL_AFTER_SECONDS)
    deployment.instances[0].send_signal(signal.SIGKILL)  # one instance dies mid-run
    deployment.instances[0].wait()
    time.sleep(WORKLOAD_SECONDS - KILL_AFTER_SECONDS)
    stop.set()
    for person in people:
        person.join(timeout=60)

    acknowledged = sum(len(entries) for entries in ledger.episodes.values())
    assert len(ledger.episodes) >= THREADS and acknowledged >= 50, ledger.statuses
    server_errors = {s: n for s, n in ledger.statuses.items() if s >= 500}
    assert sum(server_errors.values()) <= THREADS, server_errors  # only requests cut by the kill
    with httpx.Client(base_url=deployment.base, timeout=30) as client:
        for token, entries in ledger.episodes.items():
            stored = client.get(f"/api/episodes/{token}/export").json()
            ids = [entry["id"] for entry in stored["diary"]]
            pairs = Counter((entry["pain"], entry["function"]) for entry in stored["diary"])
            for entry_id, pain, function in entries:
                assert entry_id in ids, f"acknowledged entry {entry_id} was lost"
                assert pairs[(pain, function)] == 1, f"entry {entry_id} was stored twice"
            stages = [stage["stage"] for stage in stored["plan_stages"]]
            assert all(a != b for a, b in itertools.pairwise(stages)), stages
