"""Reading the command line's input files, and failing with a message that names the problem."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from backspasm.engine.answers import Answers
    from backspasm.engine.knowledge_base import KnowledgeBase


def read_mapping(path: Path) -> dict[str, object]:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        fail(f"{path}: cannot read answers: {error}")
    if not isinstance(raw, dict):
        fail(f"{path}: expected a mapping of finding id to value")
    return {str(key): value for key, value in raw.items()}


def validated_answers(kb: KnowledgeBase, path: Path) -> Answers:
    """Read an answers file and check it; a problem exits 2 naming the field and the reason."""
    from backspasm.engine.answers import AnswerError, validate_answers

    try:
        return validate_answers(kb, read_mapping(path))
    except AnswerError as error:
        fail("invalid answers:\n" + "\n".join(f"  {problem}" for problem in error.problems))


def parse_day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--today: expected YYYY-MM-DD, got {text!r}")


def fail(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise typer.Exit(code=2)
