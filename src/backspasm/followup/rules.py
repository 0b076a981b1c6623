"""Follow-up: an episode's history and a day -> what to tell the person, by when, and why.

Pure: the caller passes the day, so the same history always gives the same answer and a past
day can be replayed. The rules, stages and check-in days are knowledge (followup.yaml); this
module computes the measures they test, and re-runs the engine with what the diary added.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from backspasm.engine.answers import AnswerValue
from backspasm.engine.assessment import Assessment, assess, source_refs
from backspasm.engine.citations import SourceRef
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import Scalar, findings_in
from backspasm.engine.schema import DISPOSITIONS, URGENCY, CheckInDay, FollowupRule

TREND_DAYS = 3  # the window of pain_rise_3_days


@dataclass(frozen=True)
class DiaryDay:
    """What follow-up needs from one diary entry."""

    day: date
    pain: int
    new_symptoms: tuple[str, ...] = ()


@dataclass(frozen=True)
class History:
    """An episode: the first assessment's day and answers, and its diary entries in order."""

    started: date
    answers: Mapping[str, AnswerValue]
    entries: Sequence[DiaryDay] = field(default_factory=tuple)

    @property
    def onset(self) -> date:
        duration = self.answers.get("pain_duration_days")
        days = int(duration) if isinstance(duration, int | float) else 0
        return self.started - timedelta(days=days)


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Advice(Out):
    rule: str
    action: str
    level: str
    level_text: str
    tell: str
    due: date
    summary: str
    because: list[str]
    sources: list[SourceRef]


class StageChange(Out):
    day: date
    stage: str
    title: str
    because: str


class StageNow(Out):
    id: str
    title: str
    goal: str
    number: int
    of: int
    since: date
    items: list[str]  # titles of this stage's care items that the plan offers this person
    next_title: str


class FollowUp(Out):
    today: date
    onset: date
    measures: dict[str, Scalar]
    level: str
    level_text: str
    advice: list[Advice]
    stage: StageNow
    stage_changes: list[StageChange]
    retriage: Assessment
    days_since_entry: int | None


@dataclass
class _Stage:
    index: int
    since: date
    pain: int | None  # the pain when this stage began
    changes: list[StageChange]


def follow_up(kb: KnowledgeBase, history: History, today: date) -> FollowUp:
    """Evaluate the history as it stood on `today` (later entries are ignored)."""
    entries = sorted((e for e in history.entries if e.day <= today), key=lambda e: e.day)
    stage, judged = _walk_stages(kb, history, entries)
    values = _measures(kb, history, entries, today, judged)
    retriage = assess(kb, retriage_answers(kb, history, entries, values))
    first = assess(kb, history.answers)
    values["retriage_raised"] = retriage.disposition.urgency > first.disposition.urgency
    advice = _advise(kb, values, today, history.onset, retriage)
    urgency = max([retriage.disposition.urgency, *(URGENCY[a.level] for a in advice)])
    level = DISPOSITIONS[urgency]
    stages = kb.followup.stages
    current = stages[stage.index]
    offered = {item.id: item.title for item in retriage.plan}
    return FollowUp(
        today=today,
        onset=history.onset,
        measures=values,
        level=level,
        level_text=_meaning(kb, level),
        advice=advice,
        stage=StageNow(
            id=current.id,
            title=current.title,
            goal=current.goal,
            number=stage.index + 1,
            of=len(stages),
            since=stage.since,
            items=[offered[item] for item in current.items if item in offered],
            next_title=stages[stage.index + 1].title if stage.index + 1 < len(stages) else "",
        ),
        stage_changes=stage.changes,
        retriage=retriage,
        days_since_entry=(today - entries[-1].day).days if entries else None,
    )


def retriage_answers(
    kb: KnowledgeBase, history: History, entries: Sequence[DiaryDay], values: Mapping[str, Scalar]
) -> dict[str, AnswerValue]:
    """The first answers, updated by the diary: new symptoms, today's pain, duration, course."""
    answers = dict(history.answers)
    for entry in entries:
        for symptom in _known(kb, entry.new_symptoms):
            answers[symptom] = True
    answers["pain_duration_days"] = values["days_since_onset"]
    if "pain_now" in values:
        answers["pain_severity"] = values["pain_now"]
        course = kb.followup.retriage.pain_course
        if course.worsening.evaluate(values) is True:
            answers["pain_course"] = "worsening"
        elif course.improving.evaluate(values) is True:
            answers["pain_course"] = "improving"
        else:
            answers["pain_course"] = "unchanged"
    return answers


def check_in_days(
    kb: KnowledgeBase, history: History, today: date
) -> list[tuple[date, CheckInDay]]:
    """The check-in days still to come (today included), earliest first."""
    out = []
    for check_in in kb.followup.check_ins:
        origin = history.onset if check_in.from_ == "onset" else history.started
        day = origin + timedelta(days=check_in.day)
        if day >= today and day >= history.started:
            out.append((day, check_in))
    return sorted(out, key=lambda pair: pair[0])


def _known(kb: KnowledgeBase, symptoms: Sequence[str]) -> list[str]:
    """Symptoms the knowledge still has (an old entry may name a finding since retired)."""
    return [symptom for symptom in symptoms if symptom in kb.findings]


def new_red_flags(kb: KnowledgeBase, history: History, entries: Sequence[DiaryDay]) -> list[str]:
    """Warning signs the diary entries reported that the first assessment did not have."""
    return [
        symptom
        for entry in entries
        for symptom in _known(kb, entry.new_symptoms)
        if kb.findings[symptom].red_flag and history.answers.get(symptom) is not True
    ]


def _baseline(history: History, entries: Sequence[DiaryDay]) -> int | None:
    pain = history.answers.get("pain_severity")
    if isinstance(pain, int) and not isinstance(pain, bool):
        return pain
    return entries[0].pain if entries else None


def _measures(
    kb: KnowledgeBase,
    history: History,
    entries: Sequence[DiaryDay],
    today: date,
    stage: _Stage,
) -> dict[str, Scalar]:
    values: dict[str, Scalar] = {
        "days_since_onset": max((today - history.onset).days, 0),
    }
    values["new_red_flag"] = bool(new_red_flags(kb, history, entries))
    if not entries:
        return values
    latest = entries[-1]
    values["pain_now"] = latest.pain
    baseline = _baseline(history, entries)
    if baseline is not None:
        values["pain_improvement"] = baseline - latest.pain
    if stage.pain is not None:
        values["pain_fall_in_stage"] = stage.pain - latest.pain
    window = [
        e.pain for e in entries if latest.day - timedelta(days=TREND_DAYS) <= e.day < latest.day
    ]
    if window:
        values["pain_rise_3_days"] = latest.pain - min(window)
    return values


def _walk_stages(
    kb: KnowledgeBase, history: History, entries: Sequence[DiaryDay]
) -> tuple[_Stage, _Stage]:
    """Replay the diary day by day: one step on (or back) at most per day with an entry.

    Returns the stage now, and the stage the latest entry was judged against: the rules
    measure against the latter, so the fall that moved the plan on is still reported.
    """
    stages = kb.followup.stages
    state = _Stage(0, history.started, _baseline(history, entries), [])
    judged = state
    days = sorted({entry.day for entry in entries})
    for day in days:
        judged = state
        upto = [entry for entry in entries if entry.day <= day]
        values = _measures(kb, history, upto, day, state)
        pain = upto[-1].pain
        step_back = kb.followup.step_back
        if kb.followup.hold.when.evaluate(values) is True:
            continue
        if state.index > 0 and step_back.when.evaluate(values) is True:
            state = _Stage(state.index - 1, day, pain, state.changes)
            because = step_back.because
        elif (
            state.index + 1 < len(stages)
            and (enter := stages[state.index + 1].enter_when) is not None
            and enter.evaluate(values) is True
        ):
            state = _Stage(state.index + 1, day, pain, state.changes)
            because = _facts(kb, findings_in(enter), values)
        else:
            continue
        stage = stages[state.index]
        state.changes.append(
            StageChange(day=day, stage=stage.id, title=stage.title, because=because)
        )
    return state, judged


def _facts(kb: KnowledgeBase, names: Sequence[str], values: Mapping[str, Scalar]) -> str:
    measures = kb.followup.measures
    return "; ".join(measures[name].in_words(values[name]) for name in names if name in values)


def _meaning(kb: KnowledgeBase, level: str) -> str:
    return {str(name): text for name, text in kb.meta.dispositions.items()}[level]


def _advise(
    kb: KnowledgeBase,
    values: Mapping[str, Scalar],
    today: date,
    onset: date,
    retriage: Assessment,
) -> list[Advice]:
    out: list[Advice] = []
    for rule in kb.followup.rules:
        if rule.when.evaluate(values) is not True:
            continue
        if rule.action == "retriage":
            if any(advice.action == "retriage" for advice in out):
                continue
            level = retriage.disposition.id
            due = today + timedelta(days=retriage.check_in.within_days)
            because = [reason.tell for reason in retriage.reasons if reason.confirmed]
        else:
            assert rule.level is not None
            level = rule.level
            due = _due(rule, today, onset)
            because = [_facts(kb, findings_in(rule.when), values)]
        out.append(
            Advice(
                rule=rule.id,
                action=rule.action,
                level=level,
                level_text=_meaning(kb, level),
                tell=rule.tell,
                due=due,
                summary=rule.summary,
                because=because,
                sources=source_refs(kb, rule.sources),
            )
        )
    out.sort(key=lambda advice: (-URGENCY[advice.level], advice.due))
    return out


def _due(rule: FollowupRule, today: date, onset: date) -> date:
    if rule.within_days is not None:
        return today + timedelta(days=rule.within_days)
    assert rule.due_by_day is not None
    return max(today, onset + timedelta(days=rule.due_by_day))
