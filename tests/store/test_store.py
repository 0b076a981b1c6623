"""Storage on both backends: schema, round trips, constraints, cascade delete, tokens."""

from __future__ import annotations

from datetime import date, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from backspasm.engine.assessment import Assessment
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.followup import episodes
from backspasm.followup.diary import DiaryError, DiaryInput
from backspasm.store import repository as repo
from backspasm.store.database import migrate, open_engine
from backspasm.store.tables import Base
from tests.support.db_fixtures import NOW
from tests.support.people import LIFTED_BOXES, interviewed

TODAY = NOW.date()


def entry(day: date = TODAY, pain: int = 5, **extra: object) -> DiaryInput:
    return DiaryInput.model_validate(
        {"day": day, "pain": pain, "function": 6, "spasms": "some", **extra}
    )


def test_migrations_build_exactly_the_tables_the_code_uses(engine: Engine) -> None:
    migrate(engine)  # a second run is a no-op
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert set(inspect(engine).get_table_names()) >= {
        "episodes",
        "assessments",
        "diary_entries",
        "plan_stages",
        "staff_tokens",
    }


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    migrate(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_episode_is_found_by_its_token_only(
    session_factory: sessionmaker[Session], kb: KnowledgeBase, engine: Engine
) -> None:
    with session_factory.begin() as session:
        started = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
    with session_factory.begin() as session:
        episode = repo.episode_by_token(session, started.token)
        assert episode is not None and episode.id == started.episode_id
        assert repo.episode_by_token(session, started.token[:-1] + "x") is None
        assert episode.created_at == NOW and episode.started_on == TODAY
    with engine.connect() as connection:  # only a hash of the token is stored
        stored = connection.execute(text("SELECT token_hash FROM episodes")).scalar_one()
    assert started.token not in stored and len(stored) == 64


def test_assessment_keeps_inputs_result_and_knowledge(
    session_factory: sessionmaker[Session], kb: KnowledgeBase
) -> None:
    answers = interviewed(kb, LIFTED_BOXES)
    with session_factory.begin() as session:
        started = episodes.start(session, kb, answers, NOW)
    with session_factory.begin() as session:
        row = repo.assessment_by_id(session, started.assessment_id)
        assert row is not None
        assert row.answers == answers and row.reason == "first" and row.created_at == NOW
        assert (row.knowledge_version, row.knowledge_hash) == (kb.version, kb.content_hash)
        assert Assessment.model_validate(row.result) == started.result


def test_diary_entry_reassesses_and_records_plan_progress(
    session_factory: sessionmaker[Session], kb: KnowledgeBase
) -> None:
    with session_factory.begin() as session:
        started = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
    later = NOW + timedelta(days=1)
    with session_factory.begin() as session:
        episode = repo.episode_by_id(session, started.episode_id)
        assert episode is not None
        tried = [{"item": "heat", "helped": "yes"}]
        entry_id, result = episodes.add_entry(
            session, kb, episode, entry(later.date(), 5, tried=tried), later
        )
        assert result.stage.id == "mobility"
    with session_factory.begin() as session:
        stored = repo.diary_of(session, started.episode_id)
        assert [(e.id, e.pain, e.tried, e.recorded_at) for e in stored] == [
            (entry_id, 5, tried, later)
        ]
        reasons = [row.reason for row in repo.assessments_of(session, started.episode_id)]
        assert reasons == ["first", "diary"]
        stages = [(s.stage, s.entered_on) for s in repo.plan_stages_of(session, started.episode_id)]
        assert stages == [("relief", TODAY), ("mobility", later.date())]


def test_diary_refuses_what_it_does_not_offer(
    session_factory: sessionmaker[Session], kb: KnowledgeBase
) -> None:
    with session_factory.begin() as session:
        started = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
        episode = repo.episode_by_id(session, started.episode_id)
        assert episode is not None
        for bad in (
            entry(TODAY + timedelta(days=1)),
            entry(TODAY - timedelta(days=1)),
            entry(new_symptoms=["age"]),
            entry(tried=[{"item": "x", "helped": "yes"}]),
        ):
            with pytest.raises(DiaryError):
                episodes.add_entry(session, kb, episode, bad, NOW)


@pytest.mark.parametrize(("column", "value"), [("pain", 11), ("function", -1), ("spasms", "lots")])
def test_database_refuses_out_of_range_values(
    session_factory: sessionmaker[Session], kb: KnowledgeBase, column: str, value: object
) -> None:
    with session_factory.begin() as session:
        started = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
    fields: dict[str, object] = {
        "day": TODAY,
        "pain": 5,
        "function": 5,
        "spasms": "none",
        "tried": [],
        "new_symptoms": [],
        column: value,
    }
    with pytest.raises(IntegrityError), session_factory.begin() as session:
        repo.add_diary_entry(session, started.episode_id, NOW, **fields)


def test_naive_datetimes_are_refused(
    session_factory: sessionmaker[Session], kb: KnowledgeBase
) -> None:
    with pytest.raises(StatementError), session_factory.begin() as session:
        episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW.replace(tzinfo=None))


def test_times_come_back_in_utc(session_factory: sessionmaker[Session], kb: KnowledgeBase) -> None:
    local = NOW.astimezone(timezone(timedelta(hours=5)))
    with session_factory.begin() as session:
        started = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), local)
    with session_factory.begin() as session:
        episode = repo.episode_by_id(session, started.episode_id)
        assert episode is not None and episode.created_at == NOW
        assert episode.created_at.utcoffset() == timedelta(0)


def test_one_person_cannot_reach_anothers_data(
    session_factory: sessionmaker[Session], kb: KnowledgeBase
) -> None:
    with session_factory.begin() as session:
        alice = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
        bob = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
        for who, pain in ((alice, 3), (bob, 8)):
            episode = repo.episode_by_id(session, who.episode_id)
            assert episode is not None
            episodes.add_entry(session, kb, episode, entry(pain=pain), NOW)
    with session_factory.begin() as session:
        episode = repo.episode_by_token(session, alice.token)
        assert episode is not None
        mine = episodes.export(session, episode)
    assert [e["pain"] for e in mine["diary"]] == [3]
    assert {a["id"] for a in mine["assessments"]} >= {alice.assessment_id}
    assert bob.assessment_id not in {a["id"] for a in mine["assessments"]}


def test_delete_removes_everything_of_that_episode_only(
    session_factory: sessionmaker[Session], kb: KnowledgeBase, engine: Engine
) -> None:
    with session_factory.begin() as session:
        gone = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
        kept = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
        for who in (gone, kept):
            episode = repo.episode_by_id(session, who.episode_id)
            assert episode is not None
            episodes.add_entry(session, kb, episode, entry(pain=3), NOW)
    with session_factory.begin() as session:
        repo.delete_episode(session, gone.episode_id)
    with engine.connect() as connection:
        for table in ("episodes", "assessments", "diary_entries", "plan_stages"):
            column = "id" if table == "episodes" else "episode_id"
            ids = connection.execute(text(f"SELECT DISTINCT {column} FROM {table}")).scalars()
            assert list(ids) == [kept.episode_id], table


def test_staff_tokens_are_hashed_and_revocable(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    with session_factory.begin() as session:
        token = repo.add_staff_token(session, "clinic-a", NOW)
    with session_factory.begin() as session:
        assert repo.staff_token_valid(session, token)
        assert not repo.staff_token_valid(session, token + "x")
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM staff_tokens")).scalar_one()
    assert token not in stored
    with session_factory.begin() as session:
        assert repo.revoke_staff_token(session, "clinic-a", NOW) == 1
    with session_factory.begin() as session:
        assert not repo.staff_token_valid(session, token)
