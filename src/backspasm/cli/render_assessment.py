"""Terminal rendering with Rich: the care level first, then why, contributors, plan, sources."""

from __future__ import annotations

import io
import statistics
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from backspasm.engine.assessment import Assessment
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import describe
from backspasm.engine.schema import Rule
from backspasm.evaluation import Report
from backspasm.messages import message
from backspasm.web.settings import Settings, load_settings
from backspasm.web.views import ResultView, result_view

LEVEL_STYLE = {
    "emergency_ambulance": "bold white on red",
    "emergency": "bold white on red",
    "consultation_24": "bold black on yellow",
    "consultation": "bold black on cyan",
    "self_care": "bold black on green",
}


def render_assessment(
    kb: KnowledgeBase,
    result: Assessment,
    console: Console | None = None,
    *,
    full: bool = False,
    today: date | None = None,
    settings: Settings | None = None,
) -> None:
    """The result for a terminal: the level and what to do first, fitting a 40-row screen.

    `full` adds the plan by stage, the reasons, the likely contributors and the sources. The
    reasons are those the web result tells (`views.reasons_that_matter`): a "not sure" reason
    only names questions the person answered "not sure".
    """
    out = console or Console()
    view = result_view(kb, result, settings or load_settings(), "", today)
    words = view.words
    level = result.disposition
    if level.emergency:
        lines = [f"[bold]{view.headline}[/bold]"]
        if view.call_label and view.first_action:  # the fallback the headline names
            lines.append(view.call_label)
        elif view.call_label:
            call = message("result", "terminal_now", call=view.call_label.upper())
            lines.append(f"[bold reverse] {call} [/bold reverse]")
        if view.do_not_drive:
            lines.append(view.do_not_drive)
        if view.now_actions:
            lines.append(f"\n{words['emergency_while_waiting']}:")
            lines += [f"  • {item.title}. {item.text}" for item in view.now_actions]
        title = view.level_title.upper()
        out.print(Panel("\n".join(lines), style=LEVEL_STYLE[level.id], title=title))
        for reason in view.reasons:
            out.print(f"{words['emergency_why']}: {reason.text}")
    else:
        lines = [f"[bold]{view.headline}[/bold]"]
        if view.urgent_label:
            lines.append(f"{view.urgent_label}")
        if view.contact_url:
            lines.append(f"{view.contact_label}: {view.contact_url}")
        lines.append(f"[bold]{words['do_now']}:[/bold] " + ". ".join(view.do_now) + ".")
        lines.append(view.by_when)
        out.print(Panel("\n".join(lines), style=LEVEL_STYLE[level.id], title=view.level_title))
        out.print(f"[bold]{words['get_help_if']}[/bold]")
        bullets = Table.grid(padding=(0, 1))
        bullets.add_column(width=1)
        bullets.add_column()
        for line in view.help_lines:
            # a sign's own first action is read whole: it names its fallback call itself
            how = (
                f" [bold]{line.how_label}[/bold]"
                if line.how_label and not line.first_action
                else ""
            )
            action = line.action if line.first_action else _short(line.action)
            bullets.add_row("•", f"{line.sign}: {action}{how}")
        out.print(bullets)
        for reason in view.reasons:
            for note in reason.notes:
                out.print(f"[bold]{words['terminal_not_sure']}[/bold] {reason.text} {note}")
    if view.child_notice:  # "this check is for adults": who to contact, never an adult plan
        title, *lines = view.child_notice
        out.print(Panel("\n\n".join(lines), title=title, style="bold"))
    if full:
        _render_more(view, out)
    elif not level.emergency:
        out.print(f"[dim]{words['terminal_more']}[/dim]")
    out.print(f"[dim]{result.disclaimer}[/dim]")


def _short(action: str) -> str:
    """The first sentence of a level's meaning: "Go to an emergency department now."."""
    return action.split(". ")[0].rstrip(".") + "."


def _render_more(view: ResultView, out: Console) -> None:
    words = view.words
    for stage in view.stages:
        out.print(f"\n[bold]{stage.title}[/bold]")
        for item in stage.items:
            out.print(f"  • [bold]{item.title}.[/bold] {item.text} {_marks(item.cites)}")
            for note in item.notes:
                out.print(f"      {note}")
    if view.reasons and not view.emergency:
        out.print(f"\n[bold]{words['fold_why']}[/bold]")
        for reason in view.reasons:
            notes = " ".join(reason.notes)
            out.print(f"  • {reason.text} {notes} {_marks(reason.cites)}")
    if view.causes:
        out.print(f"\n[bold]{words['fold_contributors']}[/bold]")
        for cause in view.causes:
            out.print(f"  • [bold]{cause.likelihood}[/bold]: {cause.name}")
            if cause.likely_because:
                fits = message("result", "terminal_fits", reasons="; ".join(cause.likely_because))
                out.print(f"      {fits}")
            if cause.less_likely_because:
                reasons = "; ".join(cause.less_likely_because)
                out.print(f"      {message('result', 'terminal_less_likely', reasons=reasons)}")
    if view.withheld:
        out.print(f"\n[bold]{words['fold_left_out']}[/bold]")
        for item in view.withheld:
            out.print(f"  • {item.title}: {item.text}")
    if view.sources:
        out.print(f"\n[bold]{words['fold_sources']}[/bold]")
        for source in view.sources:
            out.print(
                f"  [{source.number}] {source.title}. {source.publisher}, {source.year}. "
                f"{source.url}"
            )
    out.print(f"\n[dim]Knowledge {view.knowledge}.[/dim]")


def _marks(numbers: tuple[int, ...]) -> str:
    return " ".join(f"\\[{n}]" for n in numbers)


def show_result(
    kb: KnowledgeBase,
    result: Assessment,
    console: Console | None = None,
    *,
    full: bool = False,
    save: Path | None = None,
    today: date | None = None,
) -> None:
    """Print the result; with `save`, also write the whole plan to a file and say where."""
    out = console or Console(highlight=False)
    day = today or date.today()  # the terminal, not the engine, reads the clock
    render_assessment(kb, result, out, full=full, today=day)
    if save is not None:
        save_plan(kb, result, save, day)
        out.print(message("result", "terminal_save", path=save))
    elif not full and not result.disposition.emergency:
        out.print(f"[dim]{message('result', 'terminal_save_offer')}[/dim]")


def save_plan(kb: KnowledgeBase, result: Assessment, path: Path, today: date) -> None:
    """The whole plan, as `--full` prints it, written to a text or (for .html) HTML file."""
    recorder = Console(record=True, width=100, file=io.StringIO(), highlight=False)
    render_assessment(kb, result, recorder, full=True, today=today)
    if path.suffix.lower() in (".html", ".htm"):
        path.write_text(recorder.export_html(), encoding="utf-8")
    else:
        path.write_text(recorder.export_text(), encoding="utf-8")


def render_eval(report: Report, opening: str, console: Console | None = None) -> None:
    """The figures, after one line naming the opening (narrative, reading or interview),
    since it changes what they measure."""
    out = console or Console()
    lines = {
        "narrative": message("terminal", "opening_narrative"),
        "reading": message("terminal", "opening_reading"),
        "interview": message("terminal", "opening_interview"),
    }
    out.print(lines[opening])
    table = Table(title=f"Evaluation on {report.cases} cases")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name in (
        "exact",
        "under_triage",
        "over_triage",
        "emergency_missed",
        "safe",
        "causes_top3",
        "median_findings_asked",
        "median_screens",
    ):
        table.add_row(name, str(getattr(report, name)))
    out.print(table)
    wrong = [case for case in report.per_case if case["expected"] != case["got"]]
    if wrong:
        misses = Table(title="Cases not at the expected level")
        for column in ("id", "expected", "got"):
            misses.add_column(column)
        for case in wrong:
            misses.add_row(case["id"], case["expected"], case["got"])
        out.print(misses)


def eval_markdown(report: Report) -> str:
    """The evaluation summary as a Markdown table, embedded in the README and checked by a test."""
    rows = [
        ("cases", report.cases),
        ("exact level", f"{report.exact:.1%}"),
        ("under-triage (less urgent than expected)", report.under_triage),
        ("over-triage (more urgent than expected)", report.over_triage),
        ("emergencies missed", report.emergency_missed),
        ("safe (expected level, more urgent, or one level less)", f"{report.safe:.1%}"),
        ("expected causes in the top three", f"{report.causes_top3:.1%}"),
        ("median findings asked", f"{report.median_findings_asked:g}"),
        ("median screens", f"{report.median_screens:g}"),
    ]
    for measure, label in (("findings_asked", "findings asked"), ("screens", "screens")):
        by_level: dict[str, list[int]] = {}
        for case in report.per_case:
            by_level.setdefault(case["expected"], []).append(case[measure])
        for level in (
            "emergency_ambulance",
            "emergency",
            "consultation_24",
            "consultation",
            "self_care",
        ):
            counts = sorted(by_level.get(level, []))
            if counts:
                median = statistics.median(counts)
                rows.append((f"median {label}, {level} ({len(counts)} cases)", f"{median:g}"))
    lines = ["| metric | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def render_rule(kb: KnowledgeBase, rule: Rule, console: Console | None = None) -> None:
    out = console or Console()
    out.print(f"[bold]{rule.id}[/bold]: {rule.summary}")
    out.print(f"  fires when: {describe(rule.when)}")
    out.print(
        f"  care level: {rule.disposition} (if uncertain: {rule.if_uncertain or 'one level lower'})"
    )
    if rule.suspects:
        out.print(f"  points to: {', '.join(rule.suspects)}")
    out.print(f"  tells the person: {rule.tell}")
    out.print(f"  rationale: {rule.rationale}")
    for citation in rule.sources:
        source = kb.sources[citation.source]
        locator = f", {citation.locator}" if citation.locator else ""
        out.print(f"  source: {source.title} ({source.publisher}, {source.year}{locator})")
