"""Diary entries record the exercises done since the last entry (JSON, optional).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("diary_entries", sa.Column("exercise", JSON, nullable=True))


def downgrade() -> None:
    op.drop_column("diary_entries", "exercise")
