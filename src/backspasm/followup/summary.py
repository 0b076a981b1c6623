"""The one-page clinician summary: built here as plain values, rendered by a Jinja2 template
to HTML, and by WeasyPrint to PDF (imported only when a PDF is asked for)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from backspasm.engine.answers import UNSURE, AnswerValue, facts_from
from backspasm.engine.assessment import Assessment
from backspasm.engine.exercises import next_steps
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.schema import Finding
from backspasm.engine.uncertainty import not_sure_behind
from backspasm.followup.chart import Point, marks, trend_svg
from backspasm.followup.diary import DiaryInput
from backspasm.followup.rules import FollowUp, History
from backspasm.messages import message, messages

TABLE_ENTRIES = 10  # the latest entries listed; the chart shows them all


@dataclass(frozen=True)
class SummaryInput:
    history: History
    diary: Sequence[DiaryInput]
    first: Assessment
    follow: FollowUp
    today: date


def answer_text(finding: Finding, value: AnswerValue | None) -> str:
    if value is None:
        return message("answer_words", "not_asked")
    if value == UNSURE:
        return message("answer_words", "not_sure")
    if finding.type == "bool":
        return message("answer_words", "yes") if value else message("answer_words", "no")
    if finding.type == "choice":
        return finding.option_labels.get(str(value), str(value))
    number = f"{value:g}" if isinstance(value, float) else str(value)
    unit = finding.unit[:-1] if value == 1 and finding.unit.endswith("s") else finding.unit
    return f"{number} {unit}".strip()


def day_text(day: date) -> str:
    """A date a clinician reads at a glance: "Mon 7 Dec 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_day(day: date) -> str:
    """Within the episode the year goes without saying: "Mon 7 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"


def first_reported(diary: Sequence[DiaryInput]) -> dict[str, date]:
    """Each symptom reported in the diary, with the first day it was reported."""
    reported: dict[str, date] = {}
    for entry in sorted(diary, key=lambda e: e.day):
        for symptom in entry.new_symptoms:
            reported.setdefault(symptom, entry.day)
    return reported


def _red_flag_row(finding: Finding, first: AnswerValue | None, day: date | None) -> dict[str, Any]:
    """A red flag as it stands now: a diary report overrides the first answer."""
    if day is None:
        return {
            "means": finding.means,
            "answer": answer_text(finding, first),
            "positive": first is True,
            "diary": "",
        }
    return {
        "means": finding.means,
        "answer": message("answer_words", "yes"),
        "positive": True,
        "diary": message(
            "clinician_summary",
            "reported_in_diary",
            day=day_text(day),
            first=answer_text(finding, first),
        ),
    }


def answers_no(row: dict[str, Any]) -> bool:
    return bool(row["answer"] == message("answer_words", "no"))


def context(kb: KnowledgeBase, data: SummaryInput) -> dict[str, Any]:
    answers = data.history.answers
    follow = data.follow
    reported = first_reported(data.diary)
    # a warning sign whose context the answers rule out (pregnancy for a man) was not "not
    # asked": it does not apply, and the summary leaves it out unless the diary reported it
    ruled_out = facts_from(kb, answers).ruled_out_by_context
    red_flags = [
        _red_flag_row(finding, answers.get(name), reported.get(name))
        for name, finding in kb.findings.items()
        if finding.red_flag and (name not in ruled_out or name in reported)
    ]
    positive = [row for row in red_flags if row["positive"]]
    words = messages("answer_words")
    by_answer: dict[str, list[str]] = {}
    for row in red_flags:
        if not row["positive"]:
            by_answer.setdefault(str(row["answer"]), []).append(str(row["means"]))
    groups = []
    for group, title in messages("summary_groups").items():
        rows = [
            {"means": finding.means, "answer": answer_text(finding, answers[name])}
            for name, finding in kb.findings.items()
            if finding.group == group and not finding.red_flag and name in answers
        ]
        said_no = [row["means"] for row in rows if answers_no(row)]
        if len(said_no) > 1:  # one line for the "no" answers keeps the summary on one page
            rows = [row for row in rows if not answers_no(row)]
            rows.append({"means": "; ".join(str(m) for m in said_no), "answer": words["no"]})
        if rows:
            groups.append({"title": title, "rows": rows})
    tried: dict[str, Counter[str]] = {}
    for entry in data.diary:
        for item in entry.tried:
            tried.setdefault(item.item, Counter())[item.helped] += 1
    labels = kb.followup.diary.tried
    points = [Point(e.day, e.pain, e.function) for e in sorted(data.diary, key=lambda e: e.day)]
    helped = messages("helped")
    return {
        "today": day_text(data.today),
        "started": day_text(data.history.started),
        "onset": day_text(follow.onset),
        "days_since_onset": follow.measures["days_since_onset"],
        "first_level": _level(kb, data.first.disposition.id, data.first.disposition.text),
        "level": _level(kb, follow.level, follow.level_text),
        "advice": [
            {
                "summary": a.summary,
                "due": short_day(a.due),
                # a re-assessment's reasons are the triage rules listed below it
                "why": ""
                if a.action == "retriage"
                else "; ".join(b.rstrip(".") for b in a.because if b),
            }
            for a in follow.advice
        ],
        "reasons": [r.summary for r in follow.retriage.reasons if r.confirmed],
        "open_rules": "; ".join(
            r.summary
            for r in follow.retriage.reasons
            if not r.confirmed and not_sure_behind(kb, r.rule, follow.retriage.answers)
        ),
        "first_reasons": [r.summary for r in data.first.reasons],
        "red_flags": positive,
        "red_flags_other": [
            {"answer": answer.capitalize(), "flags": "; ".join(by_answer[answer])}
            for answer in (words["not_sure"], words["not_asked"], words["no"])
            if answer in by_answer
        ],
        "groups": groups,
        "causes": [
            {
                "name": c.name,
                "likelihood": c.likelihood,
                "because": "; ".join(c.likely_because) or "-",
                "against": "; ".join(c.less_likely_because),
            }
            for c in follow.retriage.causes[:4]
        ],
        "tried": [
            {
                "item": labels[item],
                "counts": ", ".join(
                    f"{count} {helped[key]}" for key, count in sorted(counts.items())
                ),
            }
            for item, counts in tried.items()
        ],
        "entries": [
            {
                "day": short_day(e.day),
                "pain": e.pain,
                "function": e.function,
                "spasms": e.spasms,
                "new": ", ".join(kb.followup.diary.symptoms[s] for s in e.new_symptoms),
            }
            for e in sorted(data.diary, key=lambda e: e.day)[-TABLE_ENTRIES:]
        ],
        "entries_total": len(data.diary),
        "stage": f"{follow.stage.title} (stage {follow.stage.number} of {follow.stage.of}, "
        f"since {short_day(follow.stage.since)})",
        "stage_changes": [
            {"day": short_day(c.day), "title": c.title, "because": c.because}
            for c in follow.stage_changes
        ],
        "chart": Markup(
            trend_svg(points, data.history.started, data.today, marks(kb, data.history))
        ),
        "knowledge": f"{kb.version} ({kb.content_hash[:12]})",
        "first_knowledge": f"{data.first.knowledge.version} ({data.first.knowledge.hash[:12]})",
        "disclaimer": kb.meta.disclaimer,
        "next_steps": _next_steps(kb, follow),
    }


def _next_steps(kb: KnowledgeBase, follow: FollowUp) -> dict[str, Any] | None:
    """Tests and treatments for the care level now, as NG59 and ACR put them."""
    steps = next_steps(kb, follow.level, facts_from(kb, follow.retriage.answers).values)
    if steps is None:
        return None
    likely = [t.title for t in steps.tests if t.likely]
    return {
        "imaging": message("clinician_summary", "imaging_now", tests=", ".join(likely))
        if likely
        else message("clinician_summary", "imaging_none"),
        "offered": "; ".join(t.short for t in steps.offered),
        "not_offered": "; ".join(t.short for t in steps.not_offered),
    }


def _level(kb: KnowledgeBase, level: str, text: str) -> str:
    """A care level as the summary names it: its title (as every face shows it) and its plain
    instruction. No internal id: the summary is read by people (issue 13)."""
    return f"{kb.meta.level_title(level)}. {text}"


def _environment() -> Environment:
    templates = Environment(
        loader=PackageLoader("backspasm.followup", "templates"),
        autoescape=select_autoescape(default=True),
    )
    templates.globals["message"] = message  # every word the summary shows (messages.yaml)
    return templates


def stylesheet() -> str:
    """The summary's CSS: inlined in the PDF, served as a file beside the web page."""
    return (files("backspasm.followup") / "templates" / "summary.css").read_text(encoding="utf-8")


def render_html(values: dict[str, Any], stylesheet_href: str = "", language: str = "en") -> str:
    """The summary as one HTML document; with `stylesheet_href` it links its CSS (a web page
    under a strict CSP), else it carries it inline (the PDF)."""
    css = Markup("" if stylesheet_href else stylesheet())  # our own file, never input
    return (
        _environment()
        .get_template("summary.html")
        .render(stylesheet_href=stylesheet_href, stylesheet=css, language=language, **values)
    )


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    pdf = HTML(string=html).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
