"""Command-line options that several commands share, declared once (`Full`, `Save`, ...)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

AnswersFile = Annotated[
    Path, typer.Option("--answers", help="JSON or YAML file: finding id -> value")
]
Today = Annotated[
    str | None, typer.Option("--today", help="Reference date YYYY-MM-DD for 'since Monday'")
]
Full = Annotated[
    bool, typer.Option("--full", help="Print everything: plan, reasons, contributors, sources")
]
Save = Annotated[
    Path | None, typer.Option("--save", help="Also write the whole plan to this .txt or .html")
]
