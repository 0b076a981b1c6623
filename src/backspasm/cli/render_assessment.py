"""Terminal rendering with Rich: the care level first, then why, contributors, plan, sources."""

from __future__ import annotations

import statistics

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from backspasm.engine.assessment import Assessment
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import describe
from backspasm.engine.schema import Rule
from backspasm.evaluation import Report
from backspasm.messages import child_notice, message, messages
from backspasm.web.settings import Settings

LEVEL_STYLE = {
    "emergency_ambulance": "bold white on red",
    "emergency": "bold white on red",
    "consultation_24": "bold black on yellow",
    "consultation": "bold black on cyan",
    "self_care": "bold black on green",
}


def _default(name: str) -> str:
    """A phone number as the settings default it (the terminal reads no settings file)."""
    return str(Settings.model_fields[name].default)


def render_assessment(
    result: Assessment, kb: KnowledgeBase, console: Console | None = None
) -> None:
    out = console or Console()
    level = result.disposition
    headline = level.text
    title = kb.meta.level_title(level.id)
    if level.emergency:
        actions = [item.text for item in result.plan if item.stage == "now"]
        out.print(
            Panel(
                "\n\n".join([headline, *actions]),
                style=LEVEL_STYLE[level.id],
                title=title.upper(),
            )
        )
    else:
        out.print(
            Panel(
                headline,
                style=LEVEL_STYLE[level.id],
                title=f"{message('result', 'what_to_do')}: {title}",
            )
        )
    child = child_notice(
        (reason.rule for reason in result.reasons if reason.confirmed),
        emergency=_default("emergency_number"),
    )
    if child:
        out.print(Panel("\n\n".join(child[1:]), title=child[0], style="bold"))
    if result.reasons:
        out.print(f"\n[bold]{message('result', 'why')}[/bold]")
        for reason in result.reasons:
            mark = "" if reason.confirmed else f" \\[{message('result', 'not_ruled_out')}]"
            out.print(f"  • {reason.tell}{mark}")
    if result.causes:
        out.print(
            f"\n[bold]{message('result', 'likely_contributors')}[/bold] "
            f"({message('result', 'not_a_diagnosis')})"
        )
        for cause in result.causes[:3]:
            out.print(f"  • [bold]{cause.likelihood.capitalize()}[/bold]: {cause.lay_name}")
            if cause.likely_because:
                out.print(f"      likely because {'; '.join(cause.likely_because)}")
            if cause.less_likely_because:
                out.print(f"      less likely because {'; '.join(cause.less_likely_because)}")
    if not level.emergency:
        if not child:
            for stage, stage_title in messages("plan_stages").items():
                items = [item for item in result.plan if item.stage == stage]
                if not items:
                    continue
                out.print(f"\n[bold]{stage_title}[/bold]")
                for item in items:
                    out.print(f"  • [bold]{item.title}.[/bold] {item.text}")
                    if item.check_first:
                        what = "; ".join(item.check_first)
                        out.print(f"      {message('result', 'check_first', what=what)}")
            for withheld in result.withheld:
                because = f"{withheld.title} - {'; '.join(withheld.because)}"
                out.print(f"  • {message('result', 'not_suggested', because=because)}")
        if result.safety_net:
            out.print(f"\n[bold]{message('result', 'get_help_if')}[/bold]")
            for sign in result.safety_net:
                out.print(f"  • {sign.sign}: {sign.action_text}")
        out.print(f"\n{result.check_in.text}")
    cited = [ref for reason in result.reasons for ref in reason.sources]
    cited += [ref for item in result.plan for ref in item.sources]
    sources = {ref.id: ref for ref in cited}
    if sources:
        out.print("\n[bold]Sources[/bold]")
        for ref in sources.values():
            out.print(f"  [{ref.id}] {ref.title}. {ref.publisher}, {ref.year}. {ref.url}")
    out.print(
        f"\n[dim]{result.disclaimer} Knowledge {result.knowledge.version} "
        f"({result.knowledge.hash[:12]}).[/dim]"
    )


def render_eval(report: Report, narrative: bool, console: Console | None = None) -> None:
    """The figures, after one line naming the opening, since it changes what they measure."""
    out = console or Console()
    out.print(
        "Opening: the case's narrative (what it states is confirmed, not asked)"
        if narrative
        else "Opening: interview only (narratives not read)"
    )
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
