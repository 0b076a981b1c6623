"""Terminal rendering of a diary and its follow-up, and of a replay."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from backspasm.followup.diary import DiaryInput
from backspasm.followup.replay import Replay
from backspasm.followup.rules import FollowUp
from backspasm.messages import message, messages
from backspasm.web.settings import load_settings


def render_diary(
    entries: Sequence[DiaryInput], follow: FollowUp, console: Console | None = None
) -> None:
    out = console or Console()
    table = Table(title=message("followup", "diary_title"))
    for column in messages("diary_columns").values():
        table.add_column(column)
    helped, spasms = messages("helped"), messages("spasms")
    for entry in entries:
        tried = ", ".join(f"{t.item} ({helped[t.helped]})" for t in entry.tried)
        table.add_row(
            entry.day.isoformat(),
            str(entry.pain),
            str(entry.function),
            spasms[entry.spasms],
            tried,
            ", ".join(entry.new_symptoms),
        )
    out.print(table)
    render_follow_up(follow, out)


def render_follow_up(follow: FollowUp, console: Console | None = None) -> None:
    out = console or Console()
    numbers = load_settings().numbers()  # the knowledge's {emergency_number}, as configured
    now = message("followup", "now", today=follow.today, day=follow.measures["days_since_onset"])
    out.print(f"\n[bold]{now}[/bold] {follow.level_text}")
    for advice in follow.advice:
        tell = numbers.fill(advice.tell)
        out.print(f"  • [bold]{message('followup', 'by', due=advice.due)}[/bold] {tell}")
        for line in advice.because:
            out.print(f"      {message('followup', 'why', because=numbers.fill(line))}")
    stage = follow.stage
    step = message("followup", "step", number=stage.number, total=stage.of, since=stage.since)
    out.print(
        f"\n[bold]{message('followup', 'plan', title=stage.title)}[/bold] ({step}). {stage.goal}"
    )
    for item in stage.items:
        out.print(f"  • {item}")
    if stage.next_title:
        out.print(f"  {message('followup', 'next', title=stage.next_title)}")
    if follow.days_since_entry is None or follow.days_since_entry > 0:
        out.print(f"\n[dim]{message('followup', 'no_entry_today')}[/dim]")


def render_replay(result: Replay, console: Console | None = None) -> None:
    out = console or Console()
    head = f"assessment {result.assessment_id}:"
    if result.same_knowledge:
        out.print(
            f"{head} knowledge unchanged ({result.current_version}, {result.current_hash[:12]})"
        )
    else:
        out.print(
            f"{head} [bold]the knowledge has changed since this assessment[/bold]: stored "
            f"{result.stored_version} ({result.stored_hash[:12]}), now "
            f"{result.current_version} ({result.current_hash[:12]})"
        )
    if result.same_result:
        out.print("  same result on today's knowledge")
        return
    out.print(f"  [bold]{len(result.differences)} difference(s)[/bold] on today's knowledge:")
    for line in result.differences:  # data, not markup: "[rule_id]" and "[/x]" print as they are
        out.print(f"    {escape(line)}")
