"""The `backspasm` command. Heavy imports happen inside commands, so `--help` stays fast."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(
    help="Triage, likely contributors and a cited care plan for back pain and spasm. "
    "This is not a diagnosis.",
    no_args_is_help=True,
    add_completion=False,
)
kb_app = typer.Typer(help="Inspect and check the clinical knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


def main() -> None:
    app()


@app.command()
def assess(
    answers: Annotated[
        Path, typer.Option("--answers", help="JSON or YAML file: finding id -> value")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON")] = False,
) -> None:
    """Assess a set of answers and print the care level, reasons, contributors and plan."""
    from backspasm.assessment import assess as run_assessment
    from backspasm.knowledge_base import load_knowledge

    kb = load_knowledge()
    result = run_assessment(kb, _read_answers(kb, answers))
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    from backspasm.render_text import render_assessment

    render_assessment(result)


@app.command("eval")
def evaluate(
    paths: Annotated[list[Path], typer.Argument(help="Case files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Run the adaptive interview on evaluation cases with a simulated patient."""
    from backspasm.evaluation import CaseError, load_cases
    from backspasm.evaluation import evaluate as run_eval
    from backspasm.knowledge_base import load_knowledge

    kb = load_knowledge()
    try:
        cases = load_cases(kb, paths)
    except CaseError as error:
        _fail(str(error))
    report, _ = run_eval(kb, cases)
    if as_json:
        print(report.model_dump_json(indent=2))
        return
    from backspasm.render_text import render_eval

    render_eval(report)


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
    today: Annotated[
        str | None, typer.Option("--today", help="Reference date YYYY-MM-DD for 'since Monday'")
    ] = None,
) -> None:
    """The interview in the terminal: describe what's happening, confirm, answer what remains."""
    from rich.console import Console

    console = Console(stderr=as_json, highlight=False)
    try:
        result = _interview(console, text, answers, _date(today))
    except KeyboardInterrupt:
        console.print("\nStopped - nothing was saved. Run `backspasm check` to start again.")
        raise typer.Exit(code=130) from None
    except EOFError:
        console.print("\nNo more input - stopped before the end. Nothing was saved.")
        raise typer.Exit(code=130) from None
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    from backspasm.render_text import render_assessment

    console.print()
    render_assessment(result, console)


def _interview(console: Any, text: str | None, answers: Path | None, today: date) -> Any:
    import threading

    if text is None and answers is None:
        console.print("[bold]Tell me what's happening[/bold] - in your own words, as much or as "
                      "little as you like. Press Enter to skip to the questions.")
        # Load the engine while the person types; the first prompt needs none of it.
        loading = threading.Thread(target=_load_engine, daemon=True)
        loading.start()
        text = console.input("> ").strip()
        loading.join()
        confirm = True
    else:
        confirm = False
    from backspasm.assessment import assess as run_assessment
    from backspasm.knowledge_base import load_knowledge
    from backspasm.terminal_check import Session

    kb = load_knowledge()
    session = Session(kb, console, console.input)
    if text:
        session.take_description(text, today, confirm=confirm)
    if answers is not None:
        session.answers.update(_read_answers(kb, answers))
    else:
        session.interview()
    return run_assessment(kb, session.answers)


@app.command()
def parse(
    text: Annotated[str, typer.Argument(help="A description in the person's own words")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print findings and evidence as JSON")
    ] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="Reference date YYYY-MM-DD for 'since Monday'")
    ] = None,
) -> None:
    """Read a description and print the findings it states, with the words they came from."""
    from backspasm.text_context import NlpMissingError
    from backspasm.text_intake import parse_text

    try:
        parsed = parse_text(text, _date(today))
    except NlpMissingError as error:
        _fail(str(error))
    if as_json:
        print(json.dumps(parsed.to_json(), ensure_ascii=False, indent=2))
        return
    from backspasm.knowledge_base import load_knowledge
    from backspasm.render_parse import render_parsed

    render_parsed(load_knowledge(), parsed)


@app.command("eval-text")
def eval_text(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Annotated sentence files or folders; each is scored as one set. "
                       "Default: cases/text (tuning), cases/text/heldout.yaml, and the "
                       "narratives of cases/*.yaml"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Score the free-text parser: precision, recall and F1 per finding group, red-flag recall."""
    from backspasm.evaluation import CaseError, load_cases
    from backspasm.knowledge_base import load_knowledge
    from backspasm.text_eval import (
        TextCaseError,
        load_text_cases,
        score_narratives,
        score_text_cases,
    )

    kb = load_knowledge()
    reports = []
    try:
        if paths:
            for path in paths:
                reports.append(score_text_cases(kb, str(path), load_text_cases(kb, [path])))
        else:
            folder = Path("cases/text")
            heldout = folder / "heldout.yaml"
            tuning = [p for p in sorted(folder.glob("*.yaml")) if p != heldout]
            reports.append(score_text_cases(kb, "tuning", load_text_cases(kb, tuning)))
            reports.append(score_text_cases(kb, "heldout", load_text_cases(kb, [heldout])))
            stories = [(c.id, c.narrative, c.facts) for c in load_cases(kb, [Path("cases")])
                       if c.narrative]
            reports.append(score_narratives(kb, "narratives", stories))
    except (TextCaseError, CaseError) as error:
        _fail(str(error))
    if as_json:
        print(json.dumps({"sets": [r.to_json() for r in reports]}, indent=2))
        return
    from backspasm.render_parse import render_text_eval

    render_text_eval(reports)


@kb_app.command("lint")
def kb_lint() -> None:
    """Load the knowledge base strictly and report every problem, or a clean summary."""
    from backspasm.knowledge_base import KnowledgeError, load_knowledge

    try:
        kb = load_knowledge()
    except KnowledgeError as error:
        _fail("knowledge base problems:\n" + "\n".join(f"  {p}" for p in error.problems))
    from backspasm.text_lexicon import LexiconError, load_lexicon

    try:
        lexicon = load_lexicon(kb.findings)
    except LexiconError as error:
        _fail("lexicon problems:\n" + "\n".join(f"  {p}" for p in error.problems))
    print(
        f"knowledge {kb.version} ({kb.content_hash[:12]}): {len(kb.findings)} findings, "
        f"{len(kb.rules)} rules, {len(kb.conditions)} conditions, "
        f"{len(kb.care.items)} care items, {len(kb.care.safety_net)} safety-net signs, "
        f"{len(kb.sources)} sources, lexicon for {len(lexicon.entries)} findings - clean"
    )


@kb_app.command("explain")
def kb_explain(rule_id: Annotated[str, typer.Argument(help="A triage rule id")]) -> None:
    """Show one triage rule: when it fires, what it sets, why, and its sources."""
    from backspasm.knowledge_base import load_knowledge
    from backspasm.render_text import render_rule

    kb = load_knowledge()
    try:
        rule = kb.rule(rule_id)
    except KeyError:
        close = [r.id for r in kb.rules if rule_id.split("_")[0] in r.id]
        _fail(f"no rule {rule_id!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    render_rule(kb, rule)


@kb_app.command("export")
def kb_export() -> None:
    """Print the whole knowledge base as JSON (for review tools and integrations)."""
    from backspasm.knowledge_base import load_knowledge

    kb = load_knowledge()
    payload = {
        "version": kb.version,
        "hash": kb.content_hash,
        "rules": [r.id for r in kb.rules],
        "findings": list(kb.findings),
        "conditions": list(kb.conditions),
    }
    print(json.dumps(payload, indent=2))


def _load_engine() -> None:
    import backspasm.assessment
    import backspasm.terminal_check
    from backspasm.knowledge_base import load_knowledge

    load_knowledge()
    del backspasm.assessment, backspasm.terminal_check


def _read_answers(kb: Any, path: Path) -> Any:
    import yaml

    from backspasm.answers import AnswerError, validate_answers

    try:
        raw = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        _fail(f"{path}: cannot read answers: {error}")
    if not isinstance(raw, dict):
        _fail(f"{path}: expected a mapping of finding id to value")
    try:
        return validate_answers(kb, raw)
    except AnswerError as error:
        _fail("invalid answers:\n" + "\n".join(f"  {problem}" for problem in error.problems))


def _date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"--today: expected YYYY-MM-DD, got {text!r}")


def _fail(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise typer.Exit(code=2)
