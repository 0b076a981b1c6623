"""The exercise programme on a given day: the care plan's stage (from follow-up), the step
within it (from the diary's exercise reports and the progression rules in exercises.yaml),
and the exercises this person may do at that step's dose.

Pure, like `rules`: the same history and reports always give the same programme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict

from backspasm.engine.answers import facts_from
from backspasm.engine.exercise_schema import Move
from backspasm.engine.exercises import screen, stage_exercises
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import Scalar
from backspasm.engine.schema import URGENCY
from backspasm.followup.diary import ExerciseReport
from backspasm.followup.rules import FollowUp, History, new_red_flags
from backspasm.messages import message

URGENT = "consultation_24"  # from this care level up, exercise waits for the clinician


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProgrammeMove(_Out):
    day: date
    stage: str
    rule: str  # a progression rule id, "otherwise", or "new_stage"
    move: str
    step: int  # the step after the move
    tell: str


class DoseItem(_Out):
    id: str
    title: str
    purpose: str
    dose: str
    alt: str
    check_first: list[str]


class LeftOut(_Out):
    id: str
    title: str
    because: list[str]


class Programme(_Out):
    stage: str
    stage_title: str
    step: int
    steps: int  # the most steps any of today's exercises has
    stopped: bool
    tell: str
    items: list[DoseItem]
    left_out: list[LeftOut]
    moves: list[ProgrammeMove]


def report_measures(report: ExerciseReport | None, new_red_flag: bool) -> dict[str, Scalar]:
    """The progression measures for one diary entry; what was not reported stays unknown."""
    values: dict[str, Scalar] = {"new_red_flag": new_red_flag}
    if report is None:
        return values
    values["did_exercise"] = bool(report.done)
    if report.done:
        values["felt_too_hard"] = any(done.felt == "too_hard" for done in report.done)
    if report.pain is not None:
        values["exercise_pain"] = report.pain
    if report.next_morning is not None:
        values["worse_next_morning"] = report.next_morning == "worse"
    return values


def decide(kb: KnowledgeBase, values: Mapping[str, Scalar]) -> tuple[str, Move, str]:
    """The first progression rule that holds (id, move, tell), else `otherwise`."""
    progression = kb.exercises.progression
    for rule in progression.rules:
        if rule.when.evaluate(values) is True:
            return rule.id, rule.move, rule.tell
    return "otherwise", progression.otherwise.move, progression.otherwise.tell


def programme(
    kb: KnowledgeBase,
    history: History,
    reports: Sequence[tuple[date, ExerciseReport | None]],
    follow: FollowUp,
) -> Programme:
    """Walk the reports (in diary order, up to `follow.today`) and give today's programme."""
    first_stage = kb.followup.stages[0].id
    changes = sorted(follow.stage_changes, key=lambda change: change.day)
    entries = sorted((e for e in history.entries if e.day <= follow.today), key=lambda e: e.day)
    stage, step, stopped = first_stage, 1, False
    tell = kb.exercises.progression.otherwise.tell
    moves: list[ProgrammeMove] = []
    for index, (day, report) in enumerate(
        sorted((r for r in reports if r[0] <= follow.today), key=lambda r: r[0])
    ):
        stage_then = next((c.stage for c in reversed(changes) if c.day <= day), first_stage)
        flagged = bool(new_red_flags(kb, history, [e for e in entries if e.day <= day]))
        rule, move, tell = decide(kb, report_measures(report, flagged))
        if stage_then != stage and move != "stop":
            stage, step = stage_then, 1
            rule, move = "new_stage", "repeat"
            tell = message("programme", "new_stage", title=_stage_title(kb, stage))
        elif move == "stop":
            stopped = True
        elif move == "progress":
            step = min(step + 1, _steps(kb, stage))
        elif move == "step_back":
            step = max(step - 1, 1)
        if report is not None or rule in ("new_stage", "stop_on_warning_sign") or index == 0:
            moves.append(
                ProgrammeMove(day=day, stage=stage, rule=rule, move=move, step=step, tell=tell)
            )
    if follow.stage.id != stage:  # the plan moved with no diary entry since (never, today)
        stage, step = follow.stage.id, 1
    today = {
        "new_red_flag": bool(new_red_flags(kb, history, entries)),
        "urgent_care": URGENCY[follow.level] >= URGENCY[URGENT],
    }
    stopped = stopped or decide(kb, today)[1] == "stop"
    values = facts_from(kb, follow.retriage.answers).values
    screened = screen(stage_exercises(kb, stage), values)
    stop_rule = next(r for r in kb.exercises.progression.rules if r.move == "stop")
    return Programme(
        stage=stage,
        stage_title=_stage_title(kb, stage),
        step=step,
        steps=_steps(kb, stage),
        stopped=stopped,
        tell=stop_rule.tell if stopped else tell,
        items=[]
        if stopped
        else [
            DoseItem(
                id=exercise.id,
                title=exercise.title,
                purpose=exercise.purpose,
                dose=exercise.dose(step),
                alt=exercise.picture.alt,
                check_first=list(checks),
            )
            for exercise, checks in screened.shown
        ],
        left_out=[
            LeftOut(id=exercise.id, title=exercise.title, because=list(because))
            for exercise, because in screened.withheld
        ],
        moves=moves,
    )


def _steps(kb: KnowledgeBase, stage: str) -> int:
    return max(len(exercise.doses) for exercise in stage_exercises(kb, stage))


def _stage_title(kb: KnowledgeBase, stage: str) -> str:
    return next(s.title for s in kb.followup.stages if s.id == stage)
