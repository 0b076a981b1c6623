"""Storage under concurrency: reads take no write lock, writers to one episode queue, and
processes starting together on a new database migrate it once."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.followup import episodes
from backspasm.followup.diary import DiaryInput
from backspasm.store import repository as repo
from backspasm.store.database import migrate, open_engine, reading_sessions, sessions
from backspasm.store.tables import Episode, PlanStage
from tests.support.db_fixtures import NOW, fresh_database
from tests.support.people import LIFTED_BOXES, interviewed

WRITERS = 8
ROUNDS = 6  # the race without a lock shows in about one round in three


def test_a_long_read_never_holds_up_a_write(
    engine: Engine, session_factory: sessionmaker[Session], kb: KnowledgeBase
) -> None:
    """A read transaction left open (a staff list, a replay) while a diary write commits: if
    reads took SQLite's write lock, the write would wait out the busy timeout and fail."""
    with session_factory.begin() as session:
        started = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
    reads = reading_sessions(engine)
    with reads.begin() as reading:
        assert repo.episode_by_id(reading, started.episode_id) is not None
        with session_factory.begin() as writing:
            episode = repo.episode_by_id(writing, started.episode_id)
            assert episode is not None
            entry = DiaryInput(day=NOW.date(), pain=6, function=5, spasms="some")
            episodes.add_entry(writing, kb, episode, entry, NOW)
    with reads.begin() as reading:
        assert len(repo.diary_of(reading, started.episode_id)) == 1


def test_concurrent_entries_record_a_plan_stage_change_once(
    engine: Engine, kb: KnowledgeBase
) -> None:
    """Eight entries at once, each moving the plan on (pain 7 -> 5): one stage row for it."""
    writes = sessions(engine)
    for _ in range(ROUNDS):
        with writes.begin() as session:
            started = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
        assert _race(writes, kb, started.episode_id) == []
        with writes.begin() as session:
            stages = [s.stage for s in repo.plan_stages_of(session, started.episode_id)]
        assert stages == ["relief", "mobility"]


def _race(writes: sessionmaker[Session], kb: KnowledgeBase, episode_id: int) -> list[BaseException]:
    barrier = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(offset: int) -> None:
        try:
            barrier.wait()
            with writes.begin() as session:
                episode = repo.episode_by_id(session, episode_id)
                assert episode is not None
                entry = DiaryInput(day=NOW.date(), pain=5, function=5 + offset % 3, spasms="some")
                episodes.add_entry(session, kb, episode, entry, NOW)
        except BaseException as error:  # reported by the caller, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_processes_starting_together_migrate_a_new_database_once(tmp_path: Path) -> None:
    """Four `backspasm db upgrade` (what `serve` runs first) on one new PostgreSQL database at
    once: each succeeds and the schema is there once."""
    with fresh_database("postgresql", tmp_path) as url:
        command = [sys.executable, "-m", "backspasm", "db", "upgrade", "--database", url]
        runs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for _ in range(4)
        ]
        outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
        assert [run.returncode for run in runs] == [0] * 4, outputs
        engine = open_engine(url)
        with sessions(engine).begin() as session:
            assert session.scalars(select(Episode)).all() == []
            assert session.scalars(select(PlanStage)).all() == []
            versions = session.execute(text("SELECT count(*) FROM alembic_version")).scalar()
        assert versions == 1
        engine.dispose()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    engine = open_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_id_too_big_for_the_database_finds_nothing(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as session:
        assert repo.episode_by_id(session, 99999999999999999999999) is None
        assert repo.assessment_by_id(session, -(2**70)) is None
