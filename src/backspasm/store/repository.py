"""Plain functions over a session: one per thing the app stores or reads. The caller owns the
transaction and passes `now`; nothing here reads a clock or decides anything clinical."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backspasm.engine.assessment import Assessment
from backspasm.store.tables import AssessmentRow, DiaryEntry, Episode, PlanStage, StaffToken
from backspasm.store.tokens import new_token, token_hash

MAX_ID = 2**63 - 1


def create_episode(
    session: Session, answers: dict[str, Any], started_on: date, now: datetime
) -> tuple[Episode, str]:
    """A new episode and its link token (returned once; only its hash is kept)."""
    token = new_token()
    episode = Episode(
        token_hash=token_hash(token), created_at=now, started_on=started_on, answers=answers
    )
    session.add(episode)
    session.flush()
    return episode, token


def episode_by_token(session: Session, token: str) -> Episode | None:
    return session.scalars(select(Episode).where(Episode.token_hash == token_hash(token))).first()


def episode_by_id(session: Session, episode_id: int) -> Episode | None:
    if not 0 < episode_id <= MAX_ID:  # no such row, and a database integer cannot hold it
        return None
    return session.get(Episode, episode_id)


def lock_episode(session: Session, episode_id: int) -> None:
    """Hold the episode's row until the transaction ends, so writes to one episode queue
    (PostgreSQL; SQLite's write transactions already run one at a time)."""
    session.execute(select(Episode.id).where(Episode.id == episode_id).with_for_update())


def all_episodes(session: Session) -> Sequence[Episode]:
    return session.scalars(select(Episode).order_by(Episode.id)).all()


def all_episode_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Episode.id).order_by(Episode.id)))


def add_assessment(
    session: Session, episode_id: int, reason: str, result: Assessment, now: datetime
) -> AssessmentRow:
    row = AssessmentRow(
        episode_id=episode_id,
        created_at=now,
        reason=reason,
        answers=dict(result.answers),
        result=result.model_dump(mode="json"),
        knowledge_version=result.knowledge.version,
        knowledge_hash=result.knowledge.hash,
    )
    session.add(row)
    session.flush()
    return row


def assessment_by_id(session: Session, assessment_id: int) -> AssessmentRow | None:
    if not 0 < assessment_id <= MAX_ID:
        return None
    return session.get(AssessmentRow, assessment_id)


def assessments_of(session: Session, episode_id: int) -> Sequence[AssessmentRow]:
    query = select(AssessmentRow).where(AssessmentRow.episode_id == episode_id)
    return session.scalars(query.order_by(AssessmentRow.id)).all()


def all_assessment_ids(session: Session) -> list[int]:
    return list(session.scalars(select(AssessmentRow.id).order_by(AssessmentRow.id)))


def add_diary_entry(session: Session, episode_id: int, now: datetime, **fields: Any) -> DiaryEntry:
    entry = DiaryEntry(episode_id=episode_id, recorded_at=now, **fields)
    session.add(entry)
    session.flush()
    return entry


def diary_of(session: Session, episode_id: int) -> Sequence[DiaryEntry]:
    query = select(DiaryEntry).where(DiaryEntry.episode_id == episode_id)
    return session.scalars(query.order_by(DiaryEntry.day, DiaryEntry.id)).all()


def add_plan_stage(
    session: Session, episode_id: int, stage: str, entered_on: date, because: str
) -> PlanStage:
    row = PlanStage(episode_id=episode_id, stage=stage, entered_on=entered_on, because=because)
    session.add(row)
    session.flush()
    return row


def plan_stages_of(session: Session, episode_id: int) -> Sequence[PlanStage]:
    query = select(PlanStage).where(PlanStage.episode_id == episode_id)
    return session.scalars(query.order_by(PlanStage.id)).all()


def delete_episode(session: Session, episode_id: int) -> None:
    """Delete the episode and, by cascade, everything recorded under it."""
    session.execute(delete(Episode).where(Episode.id == episode_id))


def add_staff_token(session: Session, name: str, now: datetime) -> str:
    token = new_token()
    session.add(StaffToken(name=name, token_hash=token_hash(token), created_at=now))
    session.flush()
    return token


def staff_token_valid(session: Session, token: str) -> bool:
    query = select(StaffToken.id).where(
        StaffToken.token_hash == token_hash(token), StaffToken.revoked_at.is_(None)
    )
    return session.scalars(query).first() is not None


def revoke_staff_token(session: Session, name: str, now: datetime) -> int:
    rows = session.scalars(
        select(StaffToken).where(StaffToken.name == name, StaffToken.revoked_at.is_(None))
    ).all()
    for row in rows:
        row.revoked_at = now
    return len(rows)
