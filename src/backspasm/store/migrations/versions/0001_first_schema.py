"""Episodes, assessments, diary entries, care-plan stages and staff tokens.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)


def _belongs_to_episode(table: str) -> tuple[sa.Column[int], sa.ForeignKeyConstraint]:
    column: sa.Column[int] = sa.Column("episode_id", sa.Integer(), nullable=False)
    key = sa.ForeignKeyConstraint(
        ["episode_id"], ["episodes.id"], ondelete="CASCADE", name=f"fk_{table}_episode_id"
    )
    return column, key


def upgrade() -> None:
    op.create_table(
        "episodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_episodes"),
        sa.UniqueConstraint("token_hash", name="uq_episodes_token_hash"),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        *_belongs_to_episode("assessments"),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("knowledge_version", sa.String(40), nullable=False),
        sa.Column("knowledge_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
        sa.CheckConstraint("reason IN ('first', 'diary')", name="ck_assessments_reason"),
    )
    op.create_index("ix_assessments_episode_id", "assessments", ["episode_id"])
    op.create_table(
        "diary_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        *_belongs_to_episode("diary_entries"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recorded_at", WHEN, nullable=False),
        sa.Column("pain", sa.SmallInteger(), nullable=False),
        sa.Column("function", sa.SmallInteger(), nullable=False),
        sa.Column("spasms", sa.String(8), nullable=False),
        sa.Column("tried", JSON, nullable=False),
        sa.Column("new_symptoms", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_diary_entries"),
        sa.CheckConstraint("pain BETWEEN 0 AND 10", name="ck_diary_entries_pain_range"),
        sa.CheckConstraint("function BETWEEN 0 AND 10", name="ck_diary_entries_function_range"),
        sa.CheckConstraint("spasms IN ('none', 'some', 'many')", name="ck_diary_entries_spasms"),
    )
    op.create_index("ix_diary_entries_episode_id_day", "diary_entries", ["episode_id", "day"])
    op.create_table(
        "plan_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        *_belongs_to_episode("plan_stages"),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("because", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_stages"),
    )
    op.create_index("ix_plan_stages_episode_id", "plan_stages", ["episode_id"])
    op.create_table(
        "staff_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_staff_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_staff_tokens_token_hash"),
    )


def downgrade() -> None:
    for table in ("staff_tokens", "plan_stages", "diary_entries", "assessments", "episodes"):
        op.drop_table(table)
