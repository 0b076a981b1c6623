"""The tables. Times are stored in UTC; every row of a person hangs off their episode and is
deleted with it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Json = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


def _episode_fk(index: bool = True) -> Mapped[int]:
    return mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"), index=index)


class Episode(Base):
    """One spell of back pain, reachable only by its link token (stored as a hash)."""

    __tablename__ = "episodes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]] = mapped_column(Json)


class AssessmentRow(Base):
    """One run of the engine: its inputs, its full result, and the knowledge it ran on."""

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = _episode_fk()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]] = mapped_column(Json)
    result: Mapped[dict[str, Any]] = mapped_column(Json)
    knowledge_version: Mapped[str] = mapped_column(String(40))
    knowledge_hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (CheckConstraint("reason IN ('first', 'diary')", name="reason"),)


class DiaryEntry(Base):
    __tablename__ = "diary_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = _episode_fk(index=False)
    day: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    pain: Mapped[int] = mapped_column(SmallInteger)
    function: Mapped[int] = mapped_column(SmallInteger)
    spasms: Mapped[str] = mapped_column(String(8))
    tried: Mapped[list[dict[str, str]]] = mapped_column(Json)
    new_symptoms: Mapped[list[str]] = mapped_column(Json)
    # The exercises since the last entry (followup.diary.ExerciseReport), or None.
    exercise: Mapped[dict[str, Any] | None] = mapped_column(Json, nullable=True)
    __table_args__ = (
        CheckConstraint("pain BETWEEN 0 AND 10", name="pain_range"),
        CheckConstraint("function BETWEEN 0 AND 10", name="function_range"),
        CheckConstraint("spasms IN ('none', 'some', 'many')", name="spasms"),
        Index("ix_diary_entries_episode_id_day", "episode_id", "day"),
    )


class PlanStage(Base):
    """Care-plan progress: each stage the person was moved to, when, and why."""

    __tablename__ = "plan_stages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = _episode_fk()
    stage: Mapped[str] = mapped_column(String(32))
    entered_on: Mapped[date] = mapped_column(Date)
    because: Mapped[str] = mapped_column(Text)


class StaffToken(Base):
    """A clinic's API token, stored as a hash; the token itself is shown once, at creation."""

    __tablename__ = "staff_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
