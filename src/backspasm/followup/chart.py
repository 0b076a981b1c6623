"""The diary trend chart as inline SVG, with the escalation thresholds marked.

The thresholds are read from the knowledge (followup.yaml), not restated here: the pain lines
come from the re-assessment's improving/worsening expressions, the day lines from the rules'
`days_since_onset` tests and due days. Text is escaped; the SVG needs no script or stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import Expr, comparisons_in
from backspasm.followup.rules import History
from backspasm.messages import message

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 40
PAIN_COLOUR, FUNCTION_COLOUR = "#b3261e", "#1f5fa8"
MARK_COLOUR = "#6b6b6b"


@dataclass(frozen=True)
class Point:
    day: date
    pain: int
    function: int


@dataclass(frozen=True)
class Marks:
    baseline: int | None  # pain at the first assessment
    improve_at: int | None  # pain at or below this is a real improvement
    worse_at: int | None  # pain at or above this is meaningfully worse than at the start
    days: tuple[tuple[date, str], ...]


def marks(kb: KnowledgeBase, history: History) -> Marks:
    baseline = history.answers.get("pain_severity")
    course = kb.followup.retriage.pain_course
    improve = _threshold(course.improving, "pain_improvement")
    worse = _threshold(course.worsening, "pain_improvement")
    improve_at: int | None = None
    worse_at: int | None = None
    if not isinstance(baseline, int) or isinstance(baseline, bool):
        baseline = None
    else:
        if improve is not None and baseline - improve >= 0:
            improve_at = baseline - improve
        if worse is not None and baseline - worse <= 10:
            worse_at = baseline - worse
    days: dict[int, None] = {}
    for rule in kb.followup.rules:
        for test, negated in comparisons_in(rule.when):
            if test.finding == "days_since_onset" and test.op == "gte" and not negated:
                assert isinstance(test.value, int)
                days.setdefault(test.value, None)
        if rule.due_by_day is not None:
            days.setdefault(rule.due_by_day, None)
    return Marks(
        baseline,
        improve_at,
        worse_at,
        tuple((history.onset + timedelta(days=n), _days_label(n)) for n in sorted(days)),
    )


def _threshold(expr: Expr, measure: str) -> int | None:
    for test, _ in comparisons_in(expr):
        if test.finding == measure and test.op in ("gte", "lte") and isinstance(test.value, int):
            return test.value
    return None


def _days_label(days: int) -> str:
    if days >= 14 and days % 7 == 0:
        return message("chart", "weeks", count=days // 7)
    return message("chart", "days", count=days)


def trend_svg(points: list[Point], start: date, end: date, found: Marks) -> str:
    """Pain (solid) and function (dashed) by day, from `start` to `end` inclusive."""
    end = max(end, start + timedelta(days=7), *(p.day for p in points))
    span = (end - start).days
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * (day - start).days / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / 10)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="trend-title" font-family="sans-serif" '
        f'font-size="13">',
        f'<title id="trend-title">{escape(message("chart", "title"))}</title>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fafafa" '
        f'stroke="#ccc"/>',
    ]
    for tick in (0, 2, 4, 6, 8, 10):
        out.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    for value, key, colour in (
        (found.worse_at, "worse", PAIN_COLOUR),
        (found.improve_at, "better", "#2e7d32"),
    ):
        if value is None or found.baseline is None:
            continue
        change = abs(value - found.baseline)
        worse = message("chart", "worse", points=change, value=value)
        label = worse if key == "worse" else message("chart", "better", points=change, value=value)
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}" stroke="{colour}" stroke-dasharray="6 4"/>'
        )
        out.append(
            f'<text x="{LEFT + plot_w - 4}" y="{y(value) - 4:.1f}" text-anchor="end" '
            f'fill="{colour}">{escape(label)}</text>'
        )
    for day, label in found.days:
        if not start <= day <= end:
            continue
        out.append(
            f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{TOP}" '
            f'y2="{TOP + plot_h}" stroke="{MARK_COLOUR}" stroke-dasharray="2 3"/>'
        )
        out.append(
            f'<text x="{x(day) + 3:.1f}" y="{TOP + plot_h - 4}" fill="{MARK_COLOUR}">'
            f"{escape(label)}</text>"
        )
    out.append(f'<text x="{LEFT}" y="{HEIGHT - 8}">{start.day} {start:%b}</text>')
    out.append(
        f'<text x="{LEFT + plot_w}" y="{HEIGHT - 8}" text-anchor="end">{end.day} {end:%b}</text>'
    )
    for values, colour, dash, name in (
        ([p.pain for p in points], PAIN_COLOUR, "", message("chart", "pain")),
        (
            [p.function for p in points],
            FUNCTION_COLOUR,
            ' stroke-dasharray="5 3"',
            message("chart", "function"),
        ),
    ):
        coords = [f"{x(p.day):.1f},{y(v):.1f}" for p, v in zip(points, values, strict=True)]
        if len(coords) > 1:
            out.append(
                f'<polyline points="{" ".join(coords)}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash}/>'
            )
        for coord, value in zip(coords, values, strict=True):
            cx, cy = coord.split(",")
            out.append(
                f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}">'
                f"<title>{name} {value}</title></circle>"
            )
    out.append(
        f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle">'
        f'<tspan fill="{PAIN_COLOUR}">● {escape(message("chart", "pain"))}</tspan>  '
        f'<tspan fill="{FUNCTION_COLOUR}">● {escape(message("chart", "usual_day"))}</tspan></text>'
    )
    out.append("</svg>")
    return "\n".join(out)
