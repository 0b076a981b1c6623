"""Database fixtures: a fresh migrated database on each backend.

Storage tests take `db_url` or `engine` and run twice: on a SQLite file and on a real
PostgreSQL server (a new database per test). `make test` starts the server through
scripts/ensure-postgres.sh and sets BACKSPASM_TEST_POSTGRES_URL; without it the PostgreSQL
half is skipped, unless BACKSPASM_REQUIRE_POSTGRES=1 (as in `make test`) makes that a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from backspasm.store.database import migrate, open_engine, sessions

BACKENDS = ["sqlite", "postgresql"]
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _postgres_admin_url() -> str:
    url = os.environ.get("BACKSPASM_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("BACKSPASM_REQUIRE_POSTGRES") == "1":
        pytest.fail("BACKSPASM_TEST_POSTGRES_URL is not set; run scripts/ensure-postgres.sh")
    pytest.skip("no PostgreSQL server (set BACKSPASM_TEST_POSTGRES_URL)")


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'backspasm.db'}"
        return
    admin_url = _postgres_admin_url()
    name = f"test_{secrets.token_hex(6)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One database per backend shared by a module's tests (each uses its own episodes)."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessions(engine)
