"""The `backspasm` command. Heavy imports happen inside commands, so `--help` stays fast."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session, sessionmaker

    from backspasm.answers import Answers
    from backspasm.knowledge_base import KnowledgeBase
    from backspasm.store.tables import Episode

app = typer.Typer(
    help="Triage, likely contributors and a cited care plan for back pain and spasm. "
    "This is not a diagnosis.",
    no_args_is_help=True,
    add_completion=False,
)
kb_app = typer.Typer(help="Inspect and check the clinical knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
diary_app = typer.Typer(help="Keep a diary of an episode and get told when to see someone.",
                        no_args_is_help=True)
app.add_typer(diary_app, name="diary")
staff_app = typer.Typer(help="Manage clinic staff API tokens.", no_args_is_help=True)
app.add_typer(staff_app, name="staff")

Database = Annotated[
    str | None,
    typer.Option("--database", help="Database URL (default: BACKSPASM_DATABASE_URL, "
                 "else sqlite file backspasm.db here)"),
]
Token = Annotated[str, typer.Argument(help="The episode's link token")]

fhir_app = typer.Typer(
    help="FHIR R4 / SDC exports for EHRs and form renderers.", no_args_is_help=True
)
app.add_typer(fhir_app, name="fhir")


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
    result = run_assessment(kb, _validated_answers(kb, answers))
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    from backspasm.render_text import render_assessment

    render_assessment(result)


@app.command("eval")
def evaluate(
    paths: Annotated[list[Path], typer.Argument(help="Case files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown table")] = False,
    from_narrative: Annotated[
        bool,
        typer.Option("--from-narrative", help="Open each interview with the case's narrative, "
                     "as `backspasm check` does; what it states is confirmed, not asked"),
    ] = False,
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
    report, _ = run_eval(kb, cases, _narrative_intake(kb) if from_narrative else None)
    if as_json:
        print(report.model_dump_json(indent=2))
        return
    from backspasm.render_text import eval_markdown, render_eval

    if markdown:
        print(eval_markdown(report))
        return
    render_eval(report)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (one per core is typical)")] = 1,
    help_settings: Annotated[
        bool, typer.Option("--help-settings", help="List the deployment settings and exit")
    ] = False,
) -> None:
    """Run the web app and its JSON API (needs the 'web' extra: pip install 'backspasm[web]')."""
    from backspasm.web.settings import SettingsError, load_settings, settings_table

    if help_settings:
        print("Settings, set as environment variables:\n")
        print(settings_table())
        return
    try:
        load_settings()
    except SettingsError as error:
        _fail(f"settings: {error}")
    import uvicorn

    print(f"backspasm web app: http://{host}:{port}/  (Ctrl-C stops it)", flush=True)
    uvicorn.run(
        "backspasm.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


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
        session.answers.update(_validated_answers(kb, answers))
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


@diary_app.command("start")
def diary_start(
    answers: Annotated[Path, typer.Option("--answers", help="JSON or YAML file of answers")],
    database: Database = None,
) -> None:
    """Assess the answers and open a diary for this episode; prints its link token once."""
    from backspasm import episodes
    from backspasm.answers import AnswerError

    kb, session_factory = _open(database)
    try:
        with session_factory.begin() as session:
            started = episodes.start(session, kb, _read_mapping(answers), _now())
    except AnswerError as error:
        _fail("invalid answers:\n" + "\n".join(f"  {problem}" for problem in error.problems))
    print(f"{started.result.disposition.text}\n")
    print(f"Your diary token (keep it private; it is shown only now):\n{started.token}")
    print(f"first assessment: {started.assessment_id}")


@diary_app.command("add")
def diary_add(
    token: Token,
    pain: Annotated[int, typer.Option(help="Worst pain in the last 24 hours, 0-10")],
    function: Annotated[int, typer.Option(help="How much of a usual day you managed, 0-10")],
    spasms: Annotated[str, typer.Option(help="none, some or many")] = "none",
    tried: Annotated[list[str] | None, typer.Option(
        help="ITEM=yes|no|unsure, e.g. heat=yes (repeatable)")] = None,
    symptom: Annotated[list[str] | None, typer.Option(
        help="A new symptom's finding id, e.g. saddle_numbness (repeatable)")] = None,
    day: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default today)")] = None,
    database: Database = None,
) -> None:
    """Add today's diary entry and show what it means."""
    from pydantic import ValidationError

    from backspasm import episodes
    from backspasm.diary import DiaryError, DiaryInput
    from backspasm.render_followup import render_follow_up

    kb, session_factory = _open(database)
    now = _now()
    pairs = [item.partition("=") for item in tried or []]
    try:
        entry = DiaryInput.model_validate({
            "day": day or now.date().isoformat(), "pain": pain, "function": function,
            "spasms": spasms, "new_symptoms": symptom or [],
            "tried": [{"item": item, "helped": helped} for item, _, helped in pairs]})
        with session_factory.begin() as session:
            episode = _episode(session, token)
            _, follow = episodes.add_entry(session, kb, episode, entry, now)
    except (ValidationError, DiaryError) as error:
        _fail(f"invalid entry: {error}")
    render_follow_up(follow)


@diary_app.command("show")
def diary_show(
    token: Token,
    as_json: Annotated[bool, typer.Option("--json", help="Print the follow-up as JSON")] = False,
    database: Database = None,
) -> None:
    """Show the diary, what to do now, by when and why, and where the plan stands."""
    from backspasm import episodes
    from backspasm.render_followup import render_diary

    kb, session_factory = _open(database)
    with session_factory.begin() as session:
        episode = _episode(session, token)
        follow = episodes.current(session, kb, episode, _now().date())
        entries = episodes.diary_inputs(session, episode)
    if as_json:
        print(follow.model_dump_json(indent=2))
        return
    render_diary(entries, follow)


@diary_app.command("calendar")
def diary_calendar(
    token: Token,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write")],
    database: Database = None,
) -> None:
    """Write the check-in reminders still to come as an .ics file to import into a calendar."""
    from backspasm import episodes
    from backspasm.ics import calendar

    kb, session_factory = _open(database)
    now = _now()
    with session_factory.begin() as session:
        reminders = episodes.reminders(kb, _episode(session, token), now.date())
    output.write_bytes(calendar(reminders, now).encode())
    print(f"{len(reminders)} reminder(s) written to {output}")


@diary_app.command("summary")
def diary_summary(
    token: Token,
    output: Annotated[Path, typer.Option("--output", "-o", help="Write .pdf or .html")],
    database: Database = None,
) -> None:
    """Write the one-page clinician summary as PDF or HTML."""
    from backspasm import episodes
    from backspasm.summary import render_html, render_pdf

    kb, session_factory = _open(database)
    with session_factory.begin() as session:
        values = episodes.summary_values(session, kb, _episode(session, token), _now().date())
    html = render_html(values)
    if output.suffix.lower() == ".pdf":
        output.write_bytes(render_pdf(html))
    else:
        output.write_text(html)
    print(f"summary written to {output}")


@app.command()
def replay(
    assessment_id: Annotated[int | None, typer.Argument(help="A stored assessment's id")] = None,
    replay_all: Annotated[bool, typer.Option("--all", help="Replay every stored assessment")]
    = False,
    database: Database = None,
) -> None:
    """Re-run stored assessments on today's knowledge and report every difference.

    Exits 1 when any result differs.
    """
    from backspasm.render_followup import render_replay
    from backspasm.replay import replay as run_replay
    from backspasm.store import repository as repo

    if (assessment_id is None) == (not replay_all):
        _fail("give an ASSESSMENT_ID or --all")
    kb, session_factory = _open(database)
    differ = 0
    with session_factory.begin() as session:
        ids = repo.all_assessment_ids(session) if replay_all else [assessment_id or 0]
        for number in ids:
            row = repo.assessment_by_id(session, number)
            if row is None:
                _fail(f"no assessment {number}")
            result = run_replay(kb, row)
            differ += not result.same_result
            render_replay(result)
    if replay_all:
        print(f"{len(ids)} replayed, {differ} differ")
    if differ:
        raise typer.Exit(code=1)


@app.command()
def export(token: Token, database: Database = None) -> None:
    """Print everything stored about an episode as JSON (the person's own copy)."""
    from backspasm import episodes

    _, session_factory = _open(database)
    with session_factory.begin() as session:
        print(json.dumps(episodes.export(session, _episode(session, token)), indent=2))


@app.command()
def delete(
    token: Token,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    database: Database = None,
) -> None:
    """Delete an episode and everything stored with it. This cannot be undone."""
    from backspasm.store import repository as repo

    if not yes and not typer.confirm("Delete this episode and all its entries for good?"):
        raise typer.Exit(code=1)
    _, session_factory = _open(database)
    with session_factory.begin() as session:
        repo.delete_episode(session, _episode(session, token).id)
    print("deleted")


@staff_app.command("add-token")
def staff_add_token(
    name: Annotated[str, typer.Argument(help="Who the token is for, e.g. a clinic")],
    database: Database = None,
) -> None:
    """Create a staff API token; it is printed once and stored only as a hash."""
    from backspasm.store import repository as repo

    _, session_factory = _open(database)
    with session_factory.begin() as session:
        print(repo.add_staff_token(session, name, _now()))


@staff_app.command("revoke")
def staff_revoke(
    name: Annotated[str, typer.Argument(help="The name the tokens were created with")],
    database: Database = None,
) -> None:
    """Revoke every live staff token with this name."""
    from backspasm.store import repository as repo

    _, session_factory = _open(database)
    with session_factory.begin() as session:
        print(f"{repo.revoke_staff_token(session, name, _now())} token(s) revoked")


def _open(database: str | None) -> tuple[KnowledgeBase, sessionmaker[Session]]:
    from backspasm.knowledge_base import load_knowledge
    from backspasm.store.database import migrate, open_engine, sessions

    engine = open_engine(database)
    migrate(engine)
    return load_knowledge(), sessions(engine)


def _episode(session: Session, token: str) -> Episode:
    from backspasm.store import repository as repo

    episode = repo.episode_by_token(session, token)
    if episode is None:
        _fail("no episode with that token")
    return episode


def _now() -> datetime:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _narrative_intake(kb: KnowledgeBase) -> Callable[[str], Iterable[str]]:
    """The findings a narrative states, read as `check` reads a description."""
    from backspasm.text_context import NlpMissingError
    from backspasm.text_intake import parse_text

    def stated(text: str) -> Iterable[str]:
        try:
            return list(parse_text(text, NARRATIVE_DAY, kb).findings)
        except NlpMissingError as error:
            _fail(str(error))

    return stated


# Narratives give durations relative to the telling; a fixed day keeps runs reproducible.
NARRATIVE_DAY = date(2026, 11, 21)


def _load_engine() -> None:
    import backspasm.assessment
    import backspasm.terminal_check
    from backspasm.knowledge_base import load_knowledge

    load_knowledge()
    del backspasm.assessment, backspasm.terminal_check


def _read_mapping(path: Path) -> dict[str, object]:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        _fail(f"{path}: cannot read answers: {error}")
    if not isinstance(raw, dict):
        _fail(f"{path}: expected a mapping of finding id to value")
    return {str(key): value for key, value in raw.items()}


@fhir_app.command("questionnaire")
def fhir_questionnaire() -> None:
    """Print the intake form as an R4 SDC Questionnaire (JSON), generated from the knowledge."""
    from backspasm.fhir.questionnaire import build_questionnaire
    from backspasm.knowledge_base import load_knowledge

    print(json.dumps(build_questionnaire(load_knowledge()), indent=2, ensure_ascii=False))


@fhir_app.command("bundle")
def fhir_bundle(
    answers: Annotated[
        Path, typer.Option("--answers", help="JSON or YAML file: finding id -> value")
    ],
) -> None:
    """Assess answers and print the result as a FHIR Bundle (RiskAssessment, CarePlan, ...)."""
    from datetime import UTC, datetime

    from backspasm.assessment import assess as run_assessment
    from backspasm.fhir.intake import response_for
    from backspasm.fhir.results import assessment_bundle
    from backspasm.knowledge_base import load_knowledge

    kb = load_knowledge()
    clean = _validated_answers(kb, answers)
    now = datetime.now(UTC).replace(microsecond=0)
    bundle = assessment_bundle(kb, run_assessment(kb, clean), response_for(kb, clean), now)
    print(json.dumps(bundle, indent=2, ensure_ascii=False))


def _validated_answers(kb: KnowledgeBase, path: Path) -> Answers:
    """Read an answers file and check it; a problem exits 2 naming the field and the reason."""
    from backspasm.answers import AnswerError, validate_answers

    try:
        return validate_answers(kb, _read_mapping(path))
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
