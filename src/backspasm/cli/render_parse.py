"""Terminal rendering of what the parser understood, and of its evaluation figures."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.messages import message, messages
from backspasm.text.reading import ParsedText, Value
from backspasm.text.scoring import SetReport


def value_label(kb: KnowledgeBase, finding_id: str, value: Value) -> str:
    """A value in plain words: Yes/No, the option's label, or the number with its unit."""
    finding = kb.findings[finding_id]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if finding.type == "choice":
        return finding.option_labels.get(str(value), str(value).replace("_", " "))
    if not isinstance(value, int | float):
        return str(value)
    unit = finding.unit[:-1] if value == 1 and finding.unit.endswith("s") else finding.unit
    return f"{value:g} {unit}".strip()


def render_parsed(kb: KnowledgeBase, parsed: ParsedText, console: Console | None = None) -> None:
    out = console or Console()
    if not parsed.findings and not parsed.uncertain:
        out.print(message("parsed", "nothing"))
        return
    table = Table(title=message("parsed", "title"))
    for column in messages("parsed_columns").values():
        table.add_column(column)
    for name, value in parsed.findings.items():
        table.add_row(
            kb.findings[name].means, value_label(kb, name, value), parsed.evidence.get(name, "")
        )
    for name in parsed.uncertain:
        not_sure = message("answer_words", "not_sure")
        table.add_row(kb.findings[name].means, not_sure, parsed.evidence.get(name, ""))
    out.print(table)


def render_text_eval(reports: Sequence[SetReport], console: Console | None = None) -> None:
    out = console or Console()
    for report in reports:
        data = report.to_json()
        overall = report.overall.figures()
        table = Table(title=f"{report.name}: {report.cases} texts")
        for column in ("group", "precision", "recall", "F1", "pairs"):
            table.add_column(column, justify="right" if column != "group" else "left")
        for name, counts in sorted(report.groups.items()):
            figures = counts.figures()
            table.add_row(
                name,
                f"{figures['precision']:.3f}",
                f"{figures['recall']:.3f}",
                f"{figures['f1']:.3f}",
                str(counts.tp + counts.fn),
            )
        table.add_row(
            "[bold]overall[/bold]",
            f"{overall['precision']:.3f}",
            f"{overall['recall']:.3f}",
            f"[bold]{overall['f1']:.3f}[/bold]",
            str(report.overall.tp + report.overall.fn),
        )
        out.print(table)
        out.print(
            f"  red-flag recall {data['red_flag_recall']:.3f} "
            f"over {data['red_flag_pairs']} red-flag pairs "
            f"(raised, present or in doubt: {data['raised_red_flag_recall']:.3f} "
            f"over {data['raised_red_flag_pairs']}); "
            f"uncertain reported as false: {report.uncertain_as_false}; "
            f"red flags closed by a general negation: {report.closed_by_general_negation}"
        )
        if report.carer_cases:
            carer = report.carer.figures()
            out.print(
                f"  about someone else ({report.carer_cases} texts): "
                f"precision {carer['precision']:.3f}, recall {carer['recall']:.3f}"
            )
        out.print()
