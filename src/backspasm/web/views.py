"""View models: everything a template shows, prepared here so templates only lay it out.

Wording that depends on the care level, grouping by stage, citation numbers and the tel: link
are decided in Python, where they can be tested, not in Jinja.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from backspasm.engine.answers import UNSURE, Answers, facts_from
from backspasm.engine.assessment import Assessment, Reason
from backspasm.engine.citations import SourceRef
from backspasm.engine.exercises import next_steps
from backspasm.engine.interview import Question
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.screens import ScreenStep
from backspasm.messages import child_notice, message, messages
from backspasm.web.form_state import ROW_PREFIX
from backspasm.web.settings import Settings

SCALE_MAX_BUTTONS = 11  # a 0-10 pain scale is 11 buttons; wider ranges get a number box


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool = False


@dataclass(frozen=True)
class Understood:
    label: str
    value: str


@dataclass(frozen=True)
class RowView:
    """One question on a screen: its words, its control, and what the person chose so far."""

    id: str
    field: str  # the form field its answer is posted in
    text: str
    help: str
    widget: str  # buttons (a plain question: one tap answers) | radios | number
    choices: tuple[Choice, ...]
    min: str
    max: str
    step: str
    inputmode: str
    unit: str
    value: str = ""  # what the person chose before an error sent the screen back
    missing: bool = False
    described_by: str = ""  # ids of the row's help and of its "not answered" note
    missing_text: str = ""


@dataclass(frozen=True)
class ScreenView:
    heading: str
    why: str
    rows: tuple[RowView, ...]
    grid: bool  # several rows, answered together with one "Next"
    none_of_these: bool
    row_ids: str
    progress_text: str
    number: int
    total: int
    answers: str
    steps: str
    can_go_back: bool
    error: str = ""
    understood: tuple[Understood, ...] = ()

    @property
    def text(self) -> str:
        """The page title: the heading, or the question itself on a plain question."""
        return self.heading if self.grid else self.rows[0].text


@dataclass(frozen=True)
class Cited:
    title: str
    text: str
    notes: tuple[str, ...] = ()
    cites: str = ""


@dataclass(frozen=True)
class StageView:
    title: str
    items: tuple[Cited, ...]


@dataclass(frozen=True)
class CauseView:
    name: str
    likelihood: str
    explain: str
    likely_because: tuple[str, ...]
    less_likely_because: tuple[str, ...]
    serious: bool


@dataclass(frozen=True)
class SourceView:
    number: int
    title: str
    publisher: str
    year: int
    locator: str
    url: str


@dataclass(frozen=True)
class NextStepsView:
    """What the appointment may involve: the visit, tests (likely now first), treatments."""

    visit: tuple[Cited, ...]
    tests: tuple[Cited, ...]
    offered: tuple[Cited, ...]
    not_offered: tuple[Cited, ...]


@dataclass(frozen=True)
class ResultView:
    level: str
    level_title: str
    headline: str
    emergency: bool
    call_label: str
    tel_href: str
    urgent_label: str
    urgent_href: str
    contact_url: str
    contact_label: str
    now_actions: tuple[Cited, ...]
    reasons: tuple[Cited, ...]
    unasked_note: str
    causes: tuple[CauseView, ...]
    stages: tuple[StageView, ...]
    withheld: tuple[Cited, ...]
    safety_net: tuple[Cited, ...]
    check_in: str
    sources: tuple[SourceView, ...]
    disclaimer: str
    knowledge: str
    answers: str
    asked: int
    told_us: tuple[Understood, ...] = field(default=())
    next_steps: NextStepsView | None = None
    # "this check is for adults": title, then lines; empty for adults (no plan is shown with it)
    child_notice: tuple[str, ...] = field(default=())


def tel_href(number: str) -> str:
    return "tel:" + number.replace(" ", "")


def screen_view(
    kb: KnowledgeBase,
    step: ScreenStep,
    answers_field: str,
    steps_field: str,
    *,
    error: str = "",
    posted: Mapping[str, str] | None = None,
    missing: Collection[str] = (),
    understood: Answers | None = None,
) -> ScreenView:
    screen = step.screen
    assert screen is not None
    grid = screen.grid
    rows = tuple(
        _row(question, grid, (posted or {}).get(question.id, ""), question.id in missing)
        for question in screen.questions
    )
    return ScreenView(
        heading=screen.heading,
        why=screen.why if grid else (screen.questions[0].why or screen.why),
        rows=rows,
        grid=grid,
        none_of_these=screen.none_of_these,
        row_ids=" ".join(row.id for row in rows),
        progress_text=message("interview", "progress", number=step.number, total=step.estimate),
        number=step.number,
        total=step.estimate,
        answers=answers_field,
        steps=steps_field,
        can_go_back=bool(steps_field),
        error=error,
        understood=told_us(kb, understood or {}),
    )


def _row(question: Question, grid: bool, value: str, missing: bool) -> RowView:
    widget, offered = _widget(question, grid)
    choices = tuple(Choice(c.value, c.label, c.value == value) for c in offered)
    return RowView(
        id=question.id,
        field=ROW_PREFIX + question.id,
        text=question.text,
        help=question.help,
        widget=widget,
        choices=choices,
        min=_number(question.min),
        max=_number(question.max),
        step="1" if question.type == "int" else "any",
        inputmode="numeric" if question.type == "int" else "decimal",
        unit=question.unit,
        value=value,
        missing=missing,
        missing_text=message("interview", "row_not_answered") if missing else "",
        described_by=" ".join(
            [
                *([f"missing-{question.id}"] if missing else []),
                *([f"help-{question.id}"] if question.help else []),
            ]
        ),
    )


def _widget(question: Question, grid: bool) -> tuple[str, tuple[Choice, ...]]:
    """Buttons that answer at one tap on a plain question; radio buttons on a grid, so every
    row is chosen on its own and sent with one "Next"; a number box for wide ranges."""
    tap = "radios" if grid else "buttons"
    unsure = (Choice(UNSURE, message("interview", "not_sure")),) if question.unsure_allowed else ()
    if question.type == "bool":
        yes, no = message("interview", "yes"), message("interview", "no")
        return tap, (Choice("true", yes), Choice("false", no), *unsure)
    if question.type == "choice":
        return tap, (*(Choice(o.value, o.label) for o in question.options), *unsure)
    low, high = question.min, question.max
    if question.type != "int" or low is None or high is None or high - low >= SCALE_MAX_BUTTONS:
        return "number", ()
    return tap, tuple(Choice(str(v), str(v)) for v in range(int(low), int(high) + 1))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def told_us(kb: KnowledgeBase, answers: Answers) -> tuple[Understood, ...]:
    """Answers in words, for the print view and for what free text was understood as."""
    rows = []
    for name, value in answers.items():
        finding = kb.findings[name]
        if value == UNSURE:
            shown = "not sure"
        elif isinstance(value, bool):
            shown = "yes" if value else "no"
        elif finding.type == "choice":
            shown = finding.option_labels.get(str(value), str(value))
        else:
            shown = f"{value:g} {finding.unit}".strip() if not isinstance(value, str) else value
        rows.append(Understood(finding.means[:1].upper() + finding.means[1:], shown))
    return tuple(rows)


class _Citations:
    """Numbers sources in order of first mention, so the text can say [1], [2].

    One number per source; the places cited in it (chapter, recommendation) are listed with it.
    """

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.first: dict[str, SourceRef] = {}
        self.locators: dict[str, list[str]] = {}

    def cite(self, refs: Sequence[SourceRef]) -> str:
        marks = []
        for ref in refs:
            if ref.id not in self.numbers:
                self.numbers[ref.id] = len(self.numbers) + 1
                self.first[ref.id] = ref
                self.locators[ref.id] = []
            if ref.locator and ref.locator not in self.locators[ref.id]:
                self.locators[ref.id].append(ref.locator)
            marks.append(f"[{self.numbers[ref.id]}]")
        return " ".join(dict.fromkeys(marks))

    def sources(self) -> tuple[SourceView, ...]:
        views = []
        for key, number in self.numbers.items():
            ref = self.first[key]
            views.append(
                SourceView(
                    number,
                    ref.title,
                    ref.publisher,
                    ref.year,
                    "; ".join(self.locators[key]),
                    ref.url,
                )
            )
        return tuple(views)


def result_view(
    kb: KnowledgeBase, result: Assessment, settings: Settings, answers_field: str
) -> ResultView:
    level = result.disposition
    citations = _Citations()
    shown = reasons_that_matter(result)
    unasked_hidden = len(shown) < len(result.reasons)
    reasons = tuple(
        Cited(
            title="",
            text=reason.tell,
            notes=() if reason.confirmed else (message("result", "not_ruled_out"),),
            cites=citations.cite(reason.sources),
        )
        for reason in shown
    )
    now_actions = tuple(
        Cited(item.title, item.text, cites=citations.cite(item.sources))
        for item in result.plan
        if level.emergency and item.stage == "now"
    )
    number = settings.emergency_number
    child = child_notice(
        (reason.rule for reason in result.reasons if reason.confirmed),
        emergency=number,
    )
    after = None if child else next_steps_view(kb, result, citations)  # adult treatments
    stages = () if level.emergency or child else _stages(result, citations)
    urgent = settings.urgent_number if level.id == "consultation_24" else ""
    show_contact = level.id in ("consultation", "consultation_24")
    return ResultView(
        level=level.id,
        level_title=kb.meta.level_title(level.id),
        headline=level.text,
        emergency=level.emergency,
        call_label=message("result", "call", number=number) if number else "",
        tel_href=tel_href(number) if number else "",
        urgent_label=message("result", "urgent_call", number=urgent) if urgent else "",
        urgent_href=tel_href(urgent) if urgent else "",
        contact_url=settings.contact_url if show_contact else "",  # "" when not set
        contact_label=settings.contact_label,
        now_actions=now_actions,
        reasons=reasons,
        unasked_note=message("result", "unasked_note") if unasked_hidden else "",
        causes=tuple(
            CauseView(
                name=cause.lay_name[:1].upper() + cause.lay_name[1:],
                likelihood=cause.likelihood.capitalize(),
                explain=cause.explain,
                likely_because=tuple(cause.likely_because),
                less_likely_because=tuple(cause.less_likely_because),
                serious=cause.serious,
            )
            for cause in result.causes[:3]
        ),
        stages=stages,
        withheld=tuple(
            Cited(w.title, message("result", "not_suggested", because="; ".join(w.because)))
            for w in (() if level.emergency or child else result.withheld)
        ),
        safety_net=tuple(
            Cited(sign.sign, sign.action_text)
            for sign in (() if level.emergency else result.safety_net)
        ),
        check_in="" if level.emergency else result.check_in.text,
        sources=citations.sources(),
        disclaimer=result.disclaimer,
        knowledge=f"{result.knowledge.version} ({result.knowledge.hash[:12]})",
        answers=answers_field,
        asked=len(result.answers),
        told_us=told_us(kb, dict(result.answers)),
        next_steps=after,
        child_notice=child,
    )


TEST_LIKELY = "May be used now"
ADVICE_WORDS = {"offer": "Offered", "consider": "May be offered", "do_not_offer": "Not offered"}


def next_steps_view(
    kb: KnowledgeBase, result: Assessment, citations: _Citations
) -> NextStepsView | None:
    steps = next_steps(kb, result.disposition.id, facts_from(kb, result.answers).values)
    if steps is None:
        return None
    return NextStepsView(
        visit=tuple(Cited(v.title, v.text, cites=citations.cite(v.sources)) for v in steps.visit),
        tests=tuple(
            Cited(
                t.title,
                f"{t.shows} {t.text}",
                notes=(TEST_LIKELY,) if t.likely else (),
                cites=citations.cite(t.sources),
            )
            for t in steps.tests
        ),
        offered=tuple(
            Cited(t.title, t.text, notes=(ADVICE_WORDS[t.advice],), cites=citations.cite(t.sources))
            for t in steps.offered
        ),
        not_offered=tuple(
            Cited(t.title, t.text, cites=citations.cite(t.sources)) for t in steps.not_offered
        ),
    )


def reasons_that_matter(result: Assessment) -> list[Reason]:
    """Every reason, except in an emergency: there, those confirmed or setting the level.

    An emergency stops the interview early, so every warning sign not yet asked is "not
    ruled out"; listing them all would bury the one that matters. Otherwise an unconfirmed
    reason comes from a "not sure" answer, and the person should see it.
    """
    if not result.disposition.emergency:
        return list(result.reasons)
    level = result.disposition.id
    return [r for r in result.reasons if r.confirmed or r.level == level]


def _stages(result: Assessment, citations: _Citations) -> tuple[StageView, ...]:
    stages = []
    for stage, title in messages("plan_stages").items():
        items = tuple(
            Cited(
                item.title,
                item.text,
                notes=tuple(message("result", "check_first", what=c) for c in item.check_first),
                cites=citations.cite(item.sources),
            )
            for item in result.plan
            if item.stage == stage
        )
        if items:
            stages.append(StageView(title, items))
    return tuple(stages)
