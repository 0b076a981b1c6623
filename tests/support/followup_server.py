"""A tiny FastAPI app serving the follow-up router with uvicorn on 127.0.0.1, for the tests
(until the project's web app mounts the router). Writes its port to PORT_FILE once listening.

    python followup_server.py DATABASE_URL PORT_FILE [--today YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import socket
from datetime import UTC, datetime, time
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from backspasm.store.database import migrate, open_engine, sessions
from backspasm.web.diary import followup_router, redact_access_log
from backspasm.web.exercises import exercises_router


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("port_file", type=Path)
    parser.add_argument("--today", help="fix the server's date (the clock is otherwise real)")
    args = parser.parse_args()
    engine = open_engine(args.database)
    migrate(engine)
    fixed = (
        datetime.combine(datetime.fromisoformat(args.today), time(12), UTC) if args.today else None
    )
    clock = (lambda: fixed) if fixed else (lambda: datetime.now(UTC))
    app = FastAPI()
    app.include_router(followup_router(sessions(engine), clock=clock))
    app.include_router(exercises_router(sessions(engine), clock=clock))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    server = uvicorn.Server(uvicorn.Config(app, log_level="info"))
    redact_access_log()
    args.port_file.with_suffix(".tmp").write_text(str(listener.getsockname()[1]))
    args.port_file.with_suffix(".tmp").rename(args.port_file)
    server.run(sockets=[listener])


if __name__ == "__main__":
    main()
