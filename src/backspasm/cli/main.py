"""The `backspasm` command. Heavy imports happen inside commands, so `--help` stays fast.

The commands live by job: this module (assess, eval, serve, kb), `cli_text` (check, parse,
eval-text), `cli_followup` (diary, replay, export, delete, staff) and `cli_fhir` (fhir).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from backspasm.cli import fhir as cli_fhir
from backspasm.cli import followup as cli_followup
from backspasm.cli import text as cli_text
from backspasm.cli.input import fail, validated_answers
from backspasm.cli.options import AnswersFile, Full, Save
from backspasm.cli.text import narrative_intake, narrative_reading

app = typer.Typer(
    help="Triage, likely contributors and a cited care plan for back pain and spasm. "
    "This is not a diagnosis.",
    no_args_is_help=True,
    add_completion=False,
)
kb_app = typer.Typer(help="Inspect and check the clinical knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
db_app = typer.Typer(help="The database that keeps diaries.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def main() -> None:
    app()


@app.command()
def assess(
    answers: AnswersFile,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON")] = False,
    full: Full = False,
    save: Save = None,
) -> None:
    """Assess a set of answers and print the care level and what to do first."""
    from backspasm.cli.knowledge import knowledge
    from backspasm.engine.assessment import assess as run_assessment

    kb = knowledge()
    result = run_assessment(kb, validated_answers(kb, answers))
    if as_json:
        from backspasm.engine.assessment import with_numbers
        from backspasm.web.settings import load_settings

        print(with_numbers(result, load_settings().numbers()).model_dump_json(indent=2))
        return
    from backspasm.cli.render_assessment import show_result

    show_result(kb, result, full=full, save=save)


@app.command("eval")
def evaluate(
    paths: Annotated[list[Path], typer.Argument(help="Case files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown table")] = False,
    narrative: Annotated[
        bool,
        typer.Option(
            "--narrative/--interview-only",
            help="Open each interview with the case's narrative, as `backspasm check` "
            "does (what it states is confirmed, not asked), or run the interview alone",
        ),
    ] = True,
    uncorrected: Annotated[
        bool,
        typer.Option(
            "--reading-stands",
            help="Let what the reader makes of each narrative stand as answered, misreadings "
            "included, as if nobody corrected it: a stress test of the reader",
        ),
    ] = False,
) -> None:
    """Run the adaptive interview on evaluation cases with a simulated patient."""
    from backspasm.cli.knowledge import knowledge, reader
    from backspasm.evaluation import CaseError, load_cases
    from backspasm.evaluation import evaluate as run_eval

    kb = knowledge()
    try:
        cases = load_cases(kb, paths)
    except CaseError as error:
        fail(str(error))
    intake = narrative_intake(reader()) if narrative and not uncorrected else None
    reading = narrative_reading(reader()) if uncorrected else None
    report, _ = run_eval(kb, cases, intake, reading)
    if as_json:
        print(report.model_dump_json(indent=2))
        return
    from backspasm.cli.render_assessment import eval_markdown, render_eval

    if markdown:
        print(eval_markdown(report))
        return
    render_eval(report, "reading" if uncorrected else "narrative" if narrative else "interview")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (one per core is typical)")] = 1,
    help_settings: Annotated[
        bool, typer.Option("--help-settings", help="List the deployment settings and exit")
    ] = False,
) -> None:
    """Run the web app: the interview pages, the diary, the JSON API, FHIR and CDS Hooks."""
    from backspasm.web.settings import SettingsError, load_settings, settings_table

    if help_settings:
        print("Settings, set as environment variables:\n")
        print(settings_table())
        return
    try:
        settings = load_settings()
    except SettingsError as error:
        fail(f"settings: {error}")
    import uvicorn

    from backspasm.store.database import migrate, open_engine
    from backspasm.web.serving import protocol

    engine = open_engine(settings.database_url or None)
    migrate(engine)  # once, here, before any worker starts (workers then find it current)
    engine.dispose()
    print(f"backspasm web app: http://{host}:{port}/  (Ctrl-C stops it)", flush=True)
    uvicorn.run(
        "backspasm.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        http=protocol(),
        timeout_keep_alive=5,
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies.split() or [],
        h11_max_incomplete_event_size=16_384,
    )


@db_app.command("upgrade")
def db_upgrade(
    database: Annotated[
        str | None,
        typer.Option("--database", help="Database URL (default: BACKSPASM_DATABASE_URL)"),
    ] = None,
) -> None:
    """Bring the database's schema up to date (safe to run while other instances start)."""
    from backspasm.store.database import migrate, open_engine
    from backspasm.web.settings import SettingsError, load_settings

    try:
        url = database or load_settings().database_url or None
    except SettingsError as error:
        fail(f"settings: {error}")
    engine = open_engine(url)
    migrate(engine)
    engine.dispose()
    print("database schema is current")


@kb_app.command("lint")
def kb_lint() -> None:
    """Load the knowledge base strictly and report every problem, or a clean summary."""
    from backspasm.cli.knowledge import knowledge
    from backspasm.engine.knowledge_base import KnowledgeError

    try:
        kb = knowledge()
    except KnowledgeError as error:
        fail("knowledge base problems:\n" + "\n".join(f"  {p}" for p in error.problems))
    from backspasm.text.lexicon import LexiconError, load_lexicon

    try:
        lexicon = load_lexicon(kb.findings)
    except LexiconError as error:
        fail("lexicon problems:\n" + "\n".join(f"  {p}" for p in error.problems))
    print(
        f"knowledge {kb.version} ({kb.content_hash[:12]}): {len(kb.findings)} findings, "
        f"{len(kb.rules)} rules, {len(kb.conditions)} conditions, "
        f"{len(kb.care.items)} care items, {len(kb.care.safety_net)} safety-net signs, "
        f"{len(kb.sources)} sources, lexicon for {len(lexicon.entries)} findings - clean"
    )


@kb_app.command("explain")
def kb_explain(rule_id: Annotated[str, typer.Argument(help="A triage rule id")]) -> None:
    """Show one triage rule: when it fires, what it sets, why, and its sources."""
    from backspasm.cli.knowledge import knowledge
    from backspasm.cli.render_assessment import render_rule

    kb = knowledge()
    try:
        rule = kb.rule(rule_id)
    except KeyError:
        close = [r.id for r in kb.rules if rule_id.split("_")[0] in r.id]
        fail(f"no rule {rule_id!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    render_rule(kb, rule)


@kb_app.command("export")
def kb_export() -> None:
    """Print the whole knowledge base as JSON (for review tools and integrations)."""
    from backspasm.cli.knowledge import knowledge

    kb = knowledge()
    payload = {
        "version": kb.version,
        "hash": kb.content_hash,
        "rules": [r.id for r in kb.rules],
        "findings": list(kb.findings),
        "conditions": list(kb.conditions),
    }
    print(json.dumps(payload, indent=2))


@kb_app.command("hazards")
def kb_hazards(
    as_html: Annotated[bool, typer.Option("--html", help="HTML instead of Markdown")] = False,
) -> None:
    """Print the clinical safety case (the hazard log) as Markdown, or as HTML."""
    from backspasm.cli.knowledge import knowledge
    from backspasm.engine.hazards import load_hazards, render_html, render_markdown
    from backspasm.engine.knowledge_base import default_directory

    kb = knowledge()
    log = load_hazards(default_directory(), kb)
    sys.stdout.write(render_html(kb, log) if as_html else render_markdown(kb, log))


for _commands in (cli_text.app, cli_followup.app, cli_fhir.app):
    app.add_typer(_commands)
