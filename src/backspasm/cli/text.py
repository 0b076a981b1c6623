"""Commands that read a person's own words: `check`, `parse` and `eval-text`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backspasm.cli.input import fail, parse_day, validated_answers
from backspasm.cli.options import Full, Save, Today

if TYPE_CHECKING:
    from backspasm.engine.answers import Answers
    from backspasm.text.reading import Reader

app = typer.Typer()


@app.command()
def check(
    text: Annotated[
        str | None, typer.Option("--text", help="Start from this description instead of asking")
    ] = None,
    answers: Annotated[
        Path | None, typer.Option("--answers", help="JSON or YAML answers; then ask nothing")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON (questions go to stderr)")
    ] = False,
    today: Today = None,
    full: Full = False,
    save: Save = None,
) -> None:
    """The interview in the terminal: describe what's happening, confirm, answer what remains."""
    from rich.console import Console

    from backspasm.messages import message

    console = Console(stderr=as_json, highlight=False)
    day = parse_day(today)
    try:
        kb, result = _interview(console, text, answers, day)
    except KeyboardInterrupt:
        console.print("\n" + message("terminal", "stopped"))
        raise typer.Exit(code=130) from None
    except EOFError:
        console.print("\n" + message("terminal", "no_more_input"))
        raise typer.Exit(code=130) from None
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    from backspasm.cli.render_assessment import show_result

    console.print()
    show_result(kb, result, console, full=full, save=save, today=day)


def _interview(
    console: Any, text: str | None, answers: Path | None, today: date
) -> tuple[Any, Any]:
    import threading

    from backspasm.messages import message

    if text is None and answers is None:
        console.print(
            f"[bold]{message('terminal', 'tell_me')}[/bold] - {message('terminal', 'tell_me_how')}"
        )
        # Load the engine while the person types; the first prompt needs none of it.
        loading = threading.Thread(target=_load_engine, daemon=True)
        loading.start()
        text = console.input("> ").strip()
        loading.join()
        confirm = True
    else:
        confirm = False
    from backspasm.cli.check import TerminalInterview
    from backspasm.cli.knowledge import knowledge, reader
    from backspasm.engine.assessment import assess as run_assessment

    kb = knowledge()
    interview = TerminalInterview(kb, console, console.input)
    if text:
        interview.take_description(text, today, reader(), confirm=confirm)
    if answers is not None:
        interview.answers.update(validated_answers(kb, answers))
    else:
        interview.ask_the_rest()
    return kb, run_assessment(kb, interview.answers)


@app.command()
def parse(
    text: Annotated[str, typer.Argument(help="A description in the person's own words")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print findings and evidence as JSON")
    ] = False,
    today: Today = None,
) -> None:
    """Read a description and print the findings it states, with the words they came from."""
    from backspasm.cli.knowledge import knowledge, reader
    from backspasm.text.reading import parse_text

    parsed = parse_text(text, parse_day(today), reader())
    if as_json:
        print(json.dumps(parsed.to_json(), ensure_ascii=False, indent=2))
        return
    from backspasm.cli.render_parse import render_parsed

    render_parsed(knowledge(), parsed)


@app.command("eval-text")
def eval_text(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Annotated sentence files or folders; each is scored as one set. "
            "Default: cases/text (tuning), cases/text/heldout.yaml, "
            "cases/text/blind/blind.yaml (figures only, never tuned on), and the "
            "narratives of cases/*.yaml"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Score the free-text parser: precision, recall and F1 per finding group, red-flag recall."""
    from backspasm.cli.knowledge import knowledge, reader
    from backspasm.evaluation import CaseError, load_cases
    from backspasm.text.scoring import (
        TextCaseError,
        load_text_cases,
        score_narratives,
        score_text_cases,
    )

    kb = knowledge()
    reports = []
    try:
        if paths:
            for path in paths:
                # a held-out set named by path stays held out: aggregate figures only
                held_out = "blind" in path.resolve().parts or path.name == "blind.yaml"
                cases = load_text_cases(kb, [path])
                reports.append(score_text_cases(reader(), str(path), cases, blind=held_out))
        else:
            folder = Path("cases/text")
            heldout = folder / "heldout.yaml"
            tuning = [p for p in sorted(folder.glob("*.yaml")) if p != heldout]
            reports.append(score_text_cases(reader(), "tuning", load_text_cases(kb, tuning)))
            reports.append(score_text_cases(reader(), "heldout", load_text_cases(kb, [heldout])))
            blind = folder / "blind" / "blind.yaml"
            if blind.is_file():  # held out from tuning: aggregate figures only
                cases = load_text_cases(kb, [blind])
                reports.append(score_text_cases(reader(), "blind", cases, blind=True))
            stories = [
                (c.id, c.narrative, c.facts) for c in load_cases(kb, [Path("cases")]) if c.narrative
            ]
            reports.append(score_narratives(reader(), "narratives", stories))
    except (TextCaseError, CaseError) as error:
        fail(str(error))
    if as_json:
        print(json.dumps({"sets": [r.to_json() for r in reports]}, indent=2))
        return
    from backspasm.cli.render_parse import render_text_eval

    render_text_eval(reports)


def narrative_intake(reader: Reader) -> Callable[[str], Iterable[str]]:
    """The findings a narrative states, read as `check` reads a description.

    The parser loads here, before any case runs, so no case's time includes loading it.
    """
    from backspasm.text.reading import parse_text

    reader.pipeline  # noqa: B018  (built now, not during the first case)

    def stated(text: str) -> Iterable[str]:
        return list(parse_text(text, NARRATIVE_DAY, reader).findings)

    return stated


def narrative_reading(reader: Reader) -> Callable[[str], Answers]:
    """The answers a narrative gives as the reader takes them, right or wrong: what the web
    and `check` take from a description before asking the rest."""
    from backspasm.text.reading import parse_text

    reader.pipeline  # noqa: B018  (built now, not during the first case)

    def answers(text: str) -> Answers:
        return parse_text(text, NARRATIVE_DAY, reader).answers(reader.kb)

    return answers


# Narratives give durations relative to the telling; a fixed day keeps runs reproducible.
NARRATIVE_DAY = date(2026, 11, 21)


def _load_engine() -> None:
    import backspasm.cli.check
    import backspasm.engine.assessment
    from backspasm.cli.knowledge import knowledge

    knowledge()
    del backspasm.engine.assessment, backspasm.cli.check
