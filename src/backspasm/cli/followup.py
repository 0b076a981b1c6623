"""Commands for follow-up: the diary, replay, a person's export and deletion, staff tokens."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backspasm.cli.input import fail, read_mapping

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session, sessionmaker

    from backspasm.engine.knowledge_base import KnowledgeBase
    from backspasm.store.tables import Episode

app = typer.Typer()
diary_app = typer.Typer(
    help="Keep a diary of an episode and get told when to see someone.", no_args_is_help=True
)
app.add_typer(diary_app, name="diary")
staff_app = typer.Typer(help="Manage clinic staff API tokens.", no_args_is_help=True)
app.add_typer(staff_app, name="staff")

Database = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="Database URL (default: BACKSPASM_DATABASE_URL, else sqlite file backspasm.db here)",
    ),
]
Token = Annotated[str, typer.Argument(help="The episode's link token")]


@diary_app.command("start")
def diary_start(
    answers: Annotated[Path, typer.Option("--answers", help="JSON or YAML file of answers")],
    database: Database = None,
) -> None:
    """Assess the answers and open a diary for this episode; prints its link token once."""
    from backspasm.engine.answers import AnswerError
    from backspasm.followup import episodes
    from backspasm.messages import message
    from backspasm.web.settings import load_settings

    kb, session_factory = _open(database)
    try:
        with session_factory.begin() as session:
            started = episodes.start(session, kb, read_mapping(answers), _now())
    except AnswerError as error:
        fail("invalid answers:\n" + "\n".join(f"  {problem}" for problem in error.problems))
    first = started.result.first_action  # the level's one first action, where one applies
    told = f"{first.title}. {first.text}" if first else started.result.disposition.text
    print(f"{load_settings().numbers().fill(told)}\n")
    print(message("followup", "token", token=started.token))
    print(message("followup", "first_assessment", id=started.assessment_id))


@diary_app.command("add")
def diary_add(
    token: Token,
    pain: Annotated[int, typer.Option(help="Worst pain in the last 24 hours, 0-10")],
    function: Annotated[int, typer.Option(help="How much of a usual day you managed, 0-10")],
    spasms: Annotated[str, typer.Option(help="none, some or many")] = "none",
    tried: Annotated[
        list[str] | None, typer.Option(help="ITEM=yes|no|unsure, e.g. heat=yes (repeatable)")
    ] = None,
    symptom: Annotated[
        list[str] | None,
        typer.Option(help="A new symptom's finding id, e.g. saddle_numbness (repeatable)"),
    ] = None,
    day: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default today)")] = None,
    database: Database = None,
) -> None:
    """Add today's diary entry and show what it means."""
    from pydantic import ValidationError

    from backspasm.cli.render_followup import render_follow_up
    from backspasm.followup import episodes
    from backspasm.followup.diary import DiaryError, DiaryInput

    kb, session_factory = _open(database)
    now = _now()
    pairs = [item.partition("=") for item in tried or []]
    try:
        entry = DiaryInput.model_validate(
            {
                "day": day or now.date().isoformat(),
                "pain": pain,
                "function": function,
                "spasms": spasms,
                "new_symptoms": symptom or [],
                "tried": [{"item": item, "helped": helped} for item, _, helped in pairs],
            }
        )
        with session_factory.begin() as session:
            episode = _episode(session, token)
            _, follow = episodes.add_entry(session, kb, episode, entry, now)
    except (ValidationError, DiaryError) as error:
        fail(f"invalid entry: {error}")
    render_follow_up(follow)


@diary_app.command("show")
def diary_show(
    token: Token,
    as_json: Annotated[bool, typer.Option("--json", help="Print the follow-up as JSON")] = False,
    database: Database = None,
) -> None:
    """Show the diary, what to do now, by when and why, and where the plan stands."""
    from backspasm.cli.render_followup import render_diary
    from backspasm.followup import episodes

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
    from backspasm.followup import episodes
    from backspasm.followup.calendar import calendar
    from backspasm.messages import message

    kb, session_factory = _open(database)
    now = _now()
    with session_factory.begin() as session:
        reminders = episodes.reminders(kb, _episode(session, token), now.date())
    output.write_bytes(calendar(reminders, now).encode())
    print(message("followup", "reminders_written", count=len(reminders), path=output))


@diary_app.command("summary")
def diary_summary(
    token: Token,
    output: Annotated[Path, typer.Option("--output", "-o", help="Write .pdf or .html")],
    database: Database = None,
) -> None:
    """Write the one-page clinician summary as PDF or HTML."""
    from backspasm.followup import episodes
    from backspasm.followup.summary import render_html, render_pdf

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
    replay_all: Annotated[
        bool, typer.Option("--all", help="Replay every stored assessment")
    ] = False,
    database: Database = None,
) -> None:
    """Re-run stored assessments on today's knowledge and report every difference.

    Exits 1 when any result differs.
    """
    from backspasm.cli.render_followup import render_replay
    from backspasm.followup.replay import replay as run_replay
    from backspasm.store import repository as repo

    if (assessment_id is None) == (not replay_all):
        fail("give an ASSESSMENT_ID or --all")
    kb, session_factory = _open(database, reading=True)
    differ = 0
    with session_factory.begin() as session:
        ids = repo.all_assessment_ids(session) if replay_all else [assessment_id or 0]
    for number in ids:  # one short read each: a long replay never holds the database
        with session_factory.begin() as session:
            row = repo.assessment_by_id(session, number)
            if row is None:
                fail(f"no assessment {number}")
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
    from backspasm.followup import episodes

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


def _open(
    database: str | None, reading: bool = False
) -> tuple[KnowledgeBase, sessionmaker[Session]]:
    from backspasm.cli.knowledge import knowledge
    from backspasm.store.database import migrate, open_engine, reading_sessions, sessions
    from backspasm.web.settings import SettingsError, load_settings

    try:
        configured = load_settings().database_url
    except SettingsError as error:
        fail(f"settings: {error}")
    engine = open_engine(database or configured or None)
    migrate(engine)
    return knowledge(), (reading_sessions if reading else sessions)(engine)


def _episode(session: Session, token: str) -> Episode:
    from backspasm.store import repository as repo

    episode = repo.episode_by_token(session, token)
    if episode is None:
        fail("no episode with that token")
    return episode


def _now() -> datetime:
    from datetime import UTC, datetime

    return datetime.now(UTC)
