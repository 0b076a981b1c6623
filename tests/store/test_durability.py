"""Kill the server with SIGKILL while several clients write diary entries; after a restart
every acknowledged entry is there and the database is consistent. Both backends."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from backspasm.engine.knowledge_base import KnowledgeBase
from tests.support.people import LIFTED_BOXES, interviewed
from tests.support.server import start

TODAY = date(2026, 11, 7)
CLIENTS = 4
KILL_AFTER = 100  # acknowledged entries before the kill; the clients keep writing through it
PER_CLIENT_LIMIT = 400  # a bound on each client's loop, whatever happens


def writer(
    base: str,
    token: str,
    acknowledged: list[int],
    lock: threading.Lock,
    enough: threading.Event,
    number: int,
) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        for attempt in range(PER_CLIENT_LIMIT):
            entry = {
                "day": TODAY.isoformat(),
                "pain": (number + attempt) % 11,
                "function": attempt % 11,
                "spasms": "some",
            }
            try:
                reply = client.post(f"/api/episodes/{token}/diary", json=entry)
            except httpx.TransportError:
                return  # the server is gone
            if reply.status_code == 201:
                with lock:
                    acknowledged.append(reply.json()["id"])
                    if len(acknowledged) >= KILL_AFTER:
                        enough.set()


def check_consistency(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        return
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        indexes = connection.execute(
            text(
                "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
            )
        ).scalars()
        for oid in indexes:  # every B-tree index agrees with its table
            connection.execute(text("SELECT bt_index_parent_check(:oid, true)"), {"oid": oid})
        unvalidated = (
            connection.execute(text("SELECT conname FROM pg_constraint WHERE NOT convalidated"))
            .scalars()
            .all()
        )
        assert unvalidated == []
        orphans = connection.execute(
            text(
                "SELECT count(*) FROM diary_entries d LEFT JOIN episodes e ON e.id = d.episode_id "
                "WHERE e.id IS NULL"
            )
        ).scalar()
        assert orphans == 0
    engine.dispose()


def test_acknowledged_entries_survive_sigkill(
    db_url: str, kb: KnowledgeBase, tmp_path: Path
) -> None:
    server = start(db_url, tmp_path, today=TODAY.isoformat())
    answers = interviewed(kb, LIFTED_BOXES)
    with server.client() as client:
        reply = client.post("/api/episodes", json={"answers": answers})
        assert reply.status_code == 201
        token = reply.json()["token"]
    acknowledged: list[int] = []
    lock, enough = threading.Lock(), threading.Event()
    threads = [
        threading.Thread(target=writer, args=(server.base, token, acknowledged, lock, enough, n))
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    enough.wait(timeout=300)  # a bound on waiting, not a measurement
    assert enough.is_set(), f"only {len(acknowledged)} entries acknowledged"
    server.kill()
    for thread in threads:
        thread.join()
    with lock:
        acked = set(acknowledged)

    check_consistency(db_url)
    restarted = start(db_url, tmp_path, today=TODAY.isoformat())
    try:
        with restarted.client() as client:
            stored = client.get(f"/api/episodes/{token}/export").json()
            # a new write works after the crash
            after = client.post(
                f"/api/episodes/{token}/diary",
                json={"day": TODAY.isoformat(), "pain": 1, "function": 9, "spasms": "none"},
            )
            assert after.status_code == 201
    finally:
        restarted.stop()
    found = {entry["id"] for entry in stored["diary"]}
    print(
        f"\n[{db_url.split(':')[0]}] acknowledged {len(acked)}, found {len(found)}, "
        f"acknowledged but missing {len(acked - found)}"
    )
    assert acked <= found, f"lost acknowledged entries: {sorted(acked - found)}"
    assert len(acked) >= KILL_AFTER
    # each entry and its re-assessment were written in one transaction: none half-written
    rechecks = [a for a in stored["assessments"] if a["reason"] == "diary"]
    assert len(rechecks) == len(found)


def test_consistency_check_catches_a_broken_file(tmp_path: Path) -> None:
    """The SQLite check is not vacuous: a damaged database file fails it."""
    path = tmp_path / "broken.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.execute("CREATE INDEX t_x ON t (x)")
        connection.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(2000)])
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 5 + 100 : page * 5 + 4000] = b"\x07" * 3900  # scribble over a table page
    path.write_bytes(bytes(data))
    with pytest.raises((AssertionError, sqlite3.DatabaseError)):
        check_consistency(f"sqlite:///{path}")
