"""The `backspasm` command. Heavy imports happen inside commands, so `--help` stays fast."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

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
    import yaml

    from backspasm.answers import AnswerError, validate_answers
    from backspasm.assessment import assess as run_assessment
    from backspasm.knowledge_base import load_knowledge

    kb = load_knowledge()
    try:
        raw = yaml.safe_load(answers.read_text())
    except (OSError, yaml.YAMLError) as error:
        _fail(f"{answers}: cannot read answers: {error}")
    if not isinstance(raw, dict):
        _fail(f"{answers}: expected a mapping of finding id to value")
    try:
        clean = validate_answers(kb, raw)
    except AnswerError as error:
        _fail("invalid answers:\n" + "\n".join(f"  {problem}" for problem in error.problems))
    result = run_assessment(kb, clean)
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


@kb_app.command("lint")
def kb_lint() -> None:
    """Load the knowledge base strictly and report every problem, or a clean summary."""
    from backspasm.knowledge_base import KnowledgeError, load_knowledge

    try:
        kb = load_knowledge()
    except KnowledgeError as error:
        _fail("knowledge base problems:\n" + "\n".join(f"  {p}" for p in error.problems))
    print(
        f"knowledge {kb.version} ({kb.content_hash[:12]}): {len(kb.findings)} findings, "
        f"{len(kb.rules)} rules, {len(kb.conditions)} conditions, "
        f"{len(kb.care.items)} care items, {len(kb.care.safety_net)} safety-net signs, "
        f"{len(kb.sources)} sources - clean"
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


def _fail(message: str) -> typer.Exit:
    print(message, file=sys.stderr)
    raise typer.Exit(code=2)
