"""View models: everything a template shows, prepared here so templates only lay it out.

Wording that depends on the care level, grouping by stage, citation numbers and the tel: link
are decided in Python, where they can be tested, not in Jinja.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from backspasm.engine import wording
from backspasm.engine.answers import UNSURE, Answers, facts_from
from backspasm.engine.assessment import (
    Assessment,
    LikelyContributor,
    Reason,
    SafetyNetItem,
    with_numbers,
)
from backspasm.engine.citations import SourceRef
from backspasm.engine.exercises import next_steps
from backspasm.engine.interview import Question
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.schema import URGENCY, Finding
from backspasm.engine.screens import ScreenStep
from backspasm.engine.uncertainty import not_sure_behind
from backspasm.messages import child_notice, message, messages
from backspasm.web.form_state import ROW_PREFIX
from backspasm.web.settings import Settings

# Plan items that only restate an emergency level; the emergency panel says it once, itself.
LEVEL_ACTIONS = frozenset(
    {"call_ambulance", "go_to_emergency_department", "be_seen_today", "book_appointment"}
)
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
    id: str = ""
    choices: tuple[Fix, ...] = ()  # yes/no and choice rows: change with one tap
    current: str = ""  # the value as the form posts it
    number: bool = False  # number rows: change in a small field
    save: Fix | None = None
    remove: Fix | None = None


@dataclass(frozen=True)
class Fix:
    """One button on a row of what was read: the value it posts, its text, its full name."""

    value: str
    text: str
    aria: str


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
    understood_ids: str = ""  # the findings read from the text, carried to the next page
    understood_words: dict[str, str] = field(default_factory=dict)  # title, hint, note...
    about: str = ""  # "he", "she" or "they": the questions are about someone else

    @property
    def text(self) -> str:
        """The page title: the heading, or the question itself on a plain question."""
        return self.heading if self.grid else self.rows[0].text


@dataclass(frozen=True)
class Cited:
    title: str
    text: str
    notes: tuple[str, ...] = ()
    cites: tuple[int, ...] = ()


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
class HelpLine:
    """One warning sign, what to do, and how: a call link or the practice's contact."""

    sign: str
    action: str
    how_label: str
    how_href: str
    # `action` is the sign's own first action, a whole instruction with its fallback (read it
    # all), rather than the level's ("go to an emergency department now")
    first_action: bool = False


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
    do_not_drive: str
    urgent_label: str
    urgent_href: str
    contact_url: str
    contact_label: str
    do_now: tuple[str, ...]
    by_when: str
    now_actions: tuple[Cited, ...]
    reasons: tuple[Cited, ...]
    causes: tuple[CauseView, ...]
    stages: tuple[StageView, ...]
    withheld: tuple[Cited, ...]
    help_lines: tuple[HelpLine, ...]
    sources: tuple[SourceView, ...]
    disclaimer: str
    knowledge: str
    answers: str
    asked: int
    told_us: tuple[Understood, ...] = field(default=())
    told_no: str = ""  # the questions answered "no", in one line, so the print view stays short
    words: Mapping[str, Any] = field(default_factory=dict)
    next_steps: NextStepsView | None = None
    # "this check is for adults": title, then lines; empty for adults (no plan is shown with it)
    child_notice: tuple[str, ...] = field(default=())
    # the headline is a care item that is the level's one first action (care.yaml
    # `first_action`); the call link is then a fallback, shown smaller
    first_action: bool = False
    call_class: str = "call"


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
    about: str = "",
) -> ScreenView:
    screen = step.screen
    assert screen is not None
    grid = screen.grid
    # every row is worded for whom it is about: "Has she had a fever?"
    worded = {q.id: wording.about(kb, q.id, about) if about else q.text for q in screen.questions}
    rows = tuple(
        _row(
            question,
            grid,
            (posted or {}).get(question.id, ""),
            question.id in missing,
            worded[question.id],
        )
        for question in screen.questions
    )
    why = screen.why if grid else (screen.questions[0].why or screen.why)
    return ScreenView(
        heading=wording.heading(kb, screen.heading, about),
        why=wording.heading(kb, why, about),
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
        understood=read_from_text(kb, understood or {}),
        understood_words=_understood_words(len(understood or {})),
        understood_ids=",".join(understood or {}),
        about=about,
    )


def _row(question: Question, grid: bool, value: str, missing: bool, text: str) -> RowView:
    widget, offered = _widget(question, grid)
    choices = tuple(Choice(c.value, c.label, c.value == value) for c in offered)
    return RowView(
        id=question.id,
        field=ROW_PREFIX + question.id,
        text=text,
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
    unsure_words = question.unsure_label or message("interview", "not_sure")
    unsure = (Choice(UNSURE, unsure_words),) if question.unsure_allowed else ()
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


def unsure_words(finding: Finding) -> str:
    """How a "not sure" answer reads in a sentence: "not sure", or the finding's own words."""
    return finding.unsure_label.lower() or message("answer_words", "not_sure")


def told_us(kb: KnowledgeBase, answers: Answers) -> tuple[Understood, ...]:
    """Answers in words, for the print view and for what free text was understood as."""
    rows = []
    for name, value in answers.items():
        finding = kb.findings[name]
        if value == UNSURE:
            shown = unsure_words(finding)
        elif isinstance(value, bool):
            shown = message("answer_words", "yes") if value else message("answer_words", "no")
        elif finding.type == "choice":
            shown = finding.option_labels.get(str(value), str(value))
        else:
            unit = finding.unit[:-1] if value == 1 and finding.unit.endswith("s") else finding.unit
            shown = f"{value:g} {unit}".strip() if not isinstance(value, str) else value
        rows.append(Understood(finding.means[:1].upper() + finding.means[1:], shown))
    return tuple(rows)


def _understood_words(count: int) -> dict[str, str]:
    if not count:
        return {}
    words = messages("understood")
    note = words["note_one"] if count == 1 else message("understood", "note_many", count=count)
    return {"note": note, "note_after": words["note_after"], "title": words["title"],
            "hint": words["hint"]}  # fmt: skip


def read_from_text(kb: KnowledgeBase, answers: Answers) -> tuple[Understood, ...]:
    """What was read from the person's words, each row changeable or removable in place."""
    rows = []
    for row, (name, value) in zip(told_us(kb, answers), answers.items(), strict=True):
        finding = kb.findings[name]
        options: list[tuple[str, str]] = []
        if finding.type == "bool":
            options = [("true", "Yes"), ("false", "No")]
        elif finding.type == "choice":
            options = [(o, finding.option_labels.get(o, o)) for o in finding.options]
        current = str(value).lower() if isinstance(value, bool) else f"{value}"
        if isinstance(value, float) and value.is_integer():
            current = f"{value:g}"
        number = finding.type in ("int", "number")
        rows.append(
            Understood(
                row.label,
                row.value,
                id=name,
                choices=tuple(
                    Fix(
                        f"{name}={option}",
                        message("understood", "change_to", label=label),
                        message("understood", "change_label", row=row.label, label=label),
                    )
                    for option, label in options
                    if option != current
                ),
                current=current,
                number=number,
                save=Fix(
                    name,
                    message("understood", "save"),
                    message("understood", "save_label", row=row.label),
                )
                if number
                else None,
                remove=Fix(
                    f"{name}=",
                    message("understood", "remove"),
                    message("understood", "remove_label", row=row.label),
                ),
            )
        )
    return tuple(rows)


class _Citations:
    """Numbers sources in order of first mention, so the text can say [1], [2].

    One number per source; the places cited in it (chapter, recommendation) are listed with it.
    """

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.first: dict[str, SourceRef] = {}
        self.locators: dict[str, list[str]] = {}

    def cite(self, refs: Sequence[SourceRef]) -> tuple[int, ...]:
        marks: list[int] = []
        for ref in refs:
            if ref.id not in self.numbers:
                self.numbers[ref.id] = len(self.numbers) + 1
                self.first[ref.id] = ref
                self.locators[ref.id] = []
            if ref.locator and ref.locator not in self.locators[ref.id]:
                self.locators[ref.id].append(ref.locator)
            marks.append(self.numbers[ref.id])
        return tuple(dict.fromkeys(marks))

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
    kb: KnowledgeBase,
    result: Assessment,
    settings: Settings,
    answers_field: str,
    today: date | None = None,
) -> ResultView:
    """The result in layers: what to do now and by when, when to get help and how, then the
    plan, the reasons, the likely contributors and the sources, which the page folds away.

    `today` dates the check-in ("by Monday 7 December"); without it the check-in says "in N
    days" as the knowledge words it. Sources are numbered only as the items shown cite them,
    so every source listed supports something this person is told.
    """
    numbers = settings.numbers()
    result = with_numbers(result, numbers)  # "{emergency_number}" -> "999"
    level = result.disposition
    citations = _Citations()
    answers = dict(result.answers)
    first = result.first_action
    reasons = tuple(
        Cited(
            title="",
            text=reason.tell,
            notes=_not_sure_note(kb, unsure),
            cites=citations.cite(reason.sources),
        )
        for reason, unsure in reasons_that_matter(kb, result)
    )
    now_actions = tuple(
        Cited(item.title, item.text, cites=citations.cite(item.sources))
        for item in result.plan
        if level.emergency and item.stage == "now" and item.id not in LEVEL_ACTIONS
        and item is not first
    )  # fmt: skip
    number = settings.emergency_number
    child = child_notice(
        (reason.rule for reason in result.reasons if reason.confirmed),
        emergency=numbers.emergency,
        urgent=numbers.urgent,
        seen_today=level.urgency >= URGENCY["consultation_24"],
    )
    after = None if child else next_steps_view(kb, result, citations)  # adult treatments
    stages = () if level.emergency or child else _stages(result, citations)
    urgent = settings.urgent_number if level.id == "consultation_24" else ""
    show_contact = level.id in ("consultation", "consultation_24")
    # a first action says itself how to travel ("they will tell you where to go")
    do_not_drive = "" if first else do_not_drive_text(level.id, number)
    return ResultView(
        level=level.id,
        level_title=first.title if first else kb.meta.level_title(level.id),
        headline=first.text if first else level.text,
        first_action=first is not None,
        call_class="call call-secondary" if first else "call",
        emergency=level.emergency,
        call_label=message("result", "call", number=number) if number else "",
        tel_href=tel_href(number) if number else "",
        do_not_drive=do_not_drive,
        urgent_label=message("result", "urgent_call", number=urgent) if urgent else "",
        urgent_href=tel_href(urgent) if urgent else "",
        contact_url=settings.contact_url if show_contact else "",  # "" when not set
        contact_label=settings.contact_label,
        do_now=tuple(
            item.title
            for item in result.plan
            if not level.emergency
            and item.stage == "now"
            and item.id not in LEVEL_ACTIONS
            and item is not first
        ),
        by_when="" if level.emergency else _by_when(result.check_in.within_days, today),
        now_actions=now_actions,
        reasons=reasons,
        causes=() if level.emergency else tuple(_cause(cause) for cause in result.causes[:3]),
        stages=stages,
        withheld=tuple(
            Cited(w.title, "; ".join(w.because)[:1].upper() + "; ".join(w.because)[1:] + ".")
            for w in (() if level.emergency or child else result.withheld)
        ),
        help_lines=()
        if level.emergency
        else tuple(_help_line(sign, settings) for sign in result.safety_net),
        sources=citations.sources(),
        disclaimer=result.disclaimer,
        knowledge=f"{result.knowledge.version} ({result.knowledge.hash[:12]})",
        answers=answers_field,
        asked=len(result.answers),
        told_us=tuple(row for row in told_us(kb, answers) if row.value != NO),
        told_no="; ".join(row.label for row in told_us(kb, answers) if row.value == NO),
        words=messages("result"),
        next_steps=after,
        child_notice=child,
    )


NO = message("answer_words", "no")
TEST_LIKELY = message("next_step_advice", "test_likely")
ADVICE_WORDS = {
    "offer": message("next_step_advice", "offer"),
    "consider": message("next_step_advice", "consider"),
    "do_not_offer": message("next_step_advice", "do_not_offer"),
}


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


def _cause(cause: LikelyContributor) -> CauseView:
    return CauseView(
        name=cause.lay_name[:1].upper() + cause.lay_name[1:],
        likelihood=cause.likelihood.capitalize(),
        explain=cause.explain,
        likely_because=tuple(cause.likely_because),
        less_likely_because=tuple(cause.less_likely_because),
        serious=cause.serious,
    )


def in_words(day: date) -> str:
    """A date as people say it: "Monday 7 December"."""
    return f"{day:%A} {day.day} {day:%B}"


def _by_when(days: int, today: date | None) -> str:
    if today is None:
        end = (
            message("result", "end_of_day")
            if days == 1
            else message("result", "end_of_days", days=days)
        )
        return message("result", "by_when", date=end)
    return message("result", "by_when", date=in_words(today + timedelta(days=days)))


def do_not_drive_text(level: str, number: str) -> str:
    """ "Do not drive yourself" and what to do instead, for the emergency levels; else ""."""
    if level == "emergency_ambulance":
        return message("result", "do_not_drive_emergency_ambulance")
    if level == "emergency":
        number = number or message("result", "an_ambulance")
        return message("result", "do_not_drive_emergency", number=number)
    return ""


def _help_line(net: SafetyNetItem, settings: Settings) -> HelpLine:
    """How to act on a warning sign: call the emergency number, the urgent line, or the practice."""
    sign, action, own = net.sign, net.action, net.first_action
    if action in ("emergency_ambulance", "emergency") and settings.emergency_number:
        number = settings.emergency_number
        label = message("result", "call", number=number)
        return HelpLine(sign, net.action_text, label, tel_href(number), own)
    if action == "consultation_24" and settings.urgent_number:
        number = settings.urgent_number
        label = message("result", "urgent_call", number=number)
        return HelpLine(sign, net.action_text, label, tel_href(number), own)
    if action in ("consultation", "consultation_24") and settings.contact_url:
        return HelpLine(sign, net.action_text, settings.contact_label, settings.contact_url, own)
    return HelpLine(sign, net.action_text, "", "", own)


def _not_sure_note(kb: KnowledgeBase, unsure: tuple[str, ...]) -> tuple[str, ...]:
    """One note per kind of answer: "not sure", or a finding's own words ("Prefer not to say")."""
    by_answer: dict[str, list[str]] = {}
    for name in unsure:
        finding = kb.findings[name]
        by_answer.setdefault(unsure_words(finding), []).append(finding.means)
    return tuple(
        message("result", "not_sure_note", answer=answer, questions="; ".join(means))
        for answer, means in by_answer.items()
    )


def reasons_that_matter(
    kb: KnowledgeBase, result: Assessment
) -> list[tuple[Reason, tuple[str, ...]]]:
    """The reasons worth telling, each with the "not sure" answers behind it.

    A confirmed reason is always told. An unconfirmed one is told only when the person
    answered "not sure" to what decides it: a rule left open by questions the interview never
    asked would name things this person was never asked about. In an emergency only the
    reasons that set the level are told, so the one that matters is not buried.
    """
    answers = dict(result.answers)
    level = result.disposition
    told: list[tuple[Reason, tuple[str, ...]]] = []
    for reason in result.reasons:
        if level.emergency and reason.level != level.id:
            continue
        if reason.confirmed:
            told.append((reason, ()))
            continue
        unsure = not_sure_behind(kb, reason.rule, answers)
        if unsure:
            told.append((reason, unsure))
    if level.emergency and not told:
        # Only from answers given without the interview (an API call, a file): the level was
        # set by warning signs left unanswered, and the person should know which.
        told = [(r, ()) for r in result.reasons if r.level == level.id]
    return told


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
