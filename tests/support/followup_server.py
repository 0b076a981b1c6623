"""The web app (diary included) under uvicorn on 127.0.0.1 over one database, for the
follow-up tests, with the app's clock fixed by --today. Writes its port to PORT_FILE once
listening.

    python followup_server.py DATABASE_URL PORT_FILE [--today YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import socket
from datetime import UTC, datetime, time
from pathlib import Path

import uvicorn

from backspasm.web.app import create_app
from backspasm.web.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("port_file", type=Path)
    parser.add_argument("--today", help="fix the server's date (the clock is otherwise real)")
    args = parser.parse_args()
    fixed = (
        datetime.combine(datetime.fromisoformat(args.today), time(12), UTC) if args.today else None
    )
    clock = (lambda: fixed) if fixed else (lambda: datetime.now(UTC))
    # Durability and follow-up tests write faster than a person: the per-client rate limit
    # (tested in tests/web/test_web_hardening.py) is lifted here.
    settings = load_settings(database_url=args.database, rate_limit="100000/minute")
    app = create_app(settings, clock=clock)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    server = uvicorn.Server(uvicorn.Config(app, log_level="info"))
    args.port_file.with_suffix(".tmp").write_text(str(listener.getsockname()[1]))
    args.port_file.with_suffix(".tmp").rename(args.port_file)
    server.run(sockets=[listener])


if __name__ == "__main__":
    main()
