"""Open the database and bring its schema up to date.

SQLite is the default: one file (readable by its owner only), in WAL mode so readers never
block the writer, with `synchronous=FULL` so an acknowledged write survives a crash. A session
from `sessions` starts with `BEGIN IMMEDIATE`, so concurrent writers queue on the busy timeout
instead of failing mid-transaction; one from `reading_sessions` starts a plain deferred `BEGIN`
and takes no write lock, so reads never make writers wait.
PostgreSQL is used when the URL given (the `database_url` setting, or `--database`) names it;
there,
migrations hold an advisory lock, so several processes starting at once upgrade it once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_FILE = "backspasm.db"
BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK = 0x6261636B  # "back": the advisory lock id migrations hold on PostgreSQL
READ_ONLY = "backspasm_read_only"  # execution option of reading sessions


def database_url(url: str | None = None) -> str:
    """The URL to use: the one given, else a SQLite file in the working folder."""
    chosen = url or f"sqlite:///{Path(DEFAULT_FILE).resolve()}"
    if chosen.startswith(("postgresql://", "postgres://")):
        chosen = "postgresql+psycopg://" + chosen.split("://", 1)[1]
    return chosen


def open_engine(url: str | None = None) -> Engine:
    engine = create_engine(database_url(url))
    if engine.dialect.name == "sqlite":
        _create_private(engine.url.database)
        _tune_sqlite(engine)
    return engine


def _create_private(path: str | None) -> None:
    """Create the SQLite file readable by its owner only (health data), before SQLite does."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    file = Path(path)
    if not file.exists() and file.parent.is_dir():
        os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        reading = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest migration (a no-op when it is current)."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # one migrator at a time; the rest then no-op
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions for work that writes (on SQLite they take the write lock at BEGIN)."""
    return sessionmaker(engine, expire_on_commit=False)


def reading_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions for work that only reads: no write lock on SQLite; never write in one."""
    return sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
