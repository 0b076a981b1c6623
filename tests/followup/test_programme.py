"""The exercise programme walked through a diary: forward on good reports, back on bad ones,
through all four stages of the plan, and stopped by a new warning sign."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backspasm.engine.answers import facts_from
from backspasm.engine.exercises import screen, stage_exercises
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import findings_in
from backspasm.followup.diary import ExerciseDone, ExerciseReport
from backspasm.followup.programme import Programme, programme
from backspasm.followup.rules import DiaryDay, History, follow_up
from tests.support.knowledge import knowledge
from tests.support.people import LIFTED_BOXES, interviewed

START = date(2026, 11, 2)


def report(pain: int | None, morning: str | None, felt: str = "fine") -> ExerciseReport:
    return ExerciseReport(
        done=[ExerciseDone(id="knee_rolls", felt=felt)], pain=pain, next_morning=morning
    )


def walk(
    kb: KnowledgeBase, days: list[dict[str, Any]], facts: dict[str, Any] | None = None
) -> Programme:
    answers = interviewed(kb, facts or LIFTED_BOXES)
    entries = [
        DiaryDay(START + timedelta(days=i), day["pain"], tuple(day.get("new", ())))
        for i, day in enumerate(days)
    ]
    history = History(START, answers, entries)
    reports = [(START + timedelta(days=i), day.get("exercise")) for i, day in enumerate(days)]
    today = START + timedelta(days=len(days) - 1)
    return programme(kb, history, reports, follow_up(kb, history, today))


# Each day: the diary's pain, the exercise report, and what the programme must be afterwards.
JOURNEY: list[tuple[dict[str, Any], str, int, str]] = [
    (
        {"pain": 7, "exercise": report(3, None)},
        "relief",
        1,
        "otherwise",
    ),  # next morning not known yet
    ({"pain": 7, "exercise": report(3, "settled")}, "relief", 2, "within_limits"),  # improving
    ({"pain": 7, "exercise": report(7, "settled")}, "relief", 1, "too_painful_during"),  # worsening
    (
        {"pain": 7, "exercise": report(4, "settled", "too_hard")},
        "relief",
        1,
        "felt_too_hard",
    ),  # stalling
    ({"pain": 7, "exercise": report(4, "settled")}, "relief", 2, "within_limits"),
    ({"pain": 5}, "mobility", 1, "new_stage"),  # pain fell 2 points: the plan moves on
    ({"pain": 5, "exercise": report(3, "settled")}, "mobility", 2, "within_limits"),
    ({"pain": 5, "exercise": report(3, "worse")}, "mobility", 1, "worse_next_morning"),
    ({"pain": 3}, "strength", 1, "new_stage"),
    ({"pain": 3, "exercise": report(2, "settled")}, "strength", 2, "within_limits"),
    ({"pain": 3, "exercise": report(2, "settled")}, "strength", 3, "within_limits"),
    ({"pain": 3, "exercise": report(2, "settled")}, "strength", 3, "within_limits"),  # last step
    ({"pain": 1}, "return", 1, "new_stage"),
    ({"pain": 3}, "strength", 1, "new_stage"),  # pain rose 2 points in 3 days: back a stage
    (
        {"pain": 3, "new": ("saddle_numbness",), "exercise": report(2, "settled")},
        "strength",
        1,
        "stop_on_warning_sign",
    ),
]


def test_the_programme_follows_the_diary_through_every_stage_and_stops_on_a_red_flag(
    kb: KnowledgeBase,
) -> None:
    seen_stages = []
    for upto in range(1, len(JOURNEY) + 1):
        days = [day for day, *_ in JOURNEY[:upto]]
        result = walk(kb, days)
        _, stage, step, rule = JOURNEY[upto - 1]
        assert (result.stage, result.step, result.moves[-1].rule) == (stage, step, rule), upto
        seen_stages.append(result.stage)
        if rule != "stop_on_warning_sign":
            assert not result.stopped and result.items
            exercises = {e.id: e for e in kb.exercises.exercises}
            for item in result.items:
                assert item.dose == exercises[item.id].dose(step)
                assert stage in exercises[item.id].stages
    assert (
        seen_stages.index("return") > seen_stages.index("strength") > seen_stages.index("mobility")
    )
    assert result.stopped and result.items == []
    assert "Stop the exercises" in result.tell


def test_a_report_without_the_next_morning_never_moves_the_programme_on(kb: KnowledgeBase) -> None:
    result = walk(kb, [{"pain": 7, "exercise": report(1, None)}] * 4)
    assert result.step == 1
    assert {move.rule for move in result.moves} == {"otherwise"}


def test_the_dose_shown_is_the_step_of_the_stage(kb: KnowledgeBase) -> None:
    exercise = kb.exercises.by_id("knee_rolls")
    assert exercise.dose(1) == exercise.doses[0]
    assert exercise.dose(99) == exercise.doses[-1]


def test_every_exercise_is_in_a_stage_and_every_stage_has_exercises(kb: KnowledgeBase) -> None:
    assert len(kb.exercises.exercises) >= 16
    for stage in kb.followup.stages:
        assert stage_exercises(kb, stage.id)


def _contra_findings() -> list[str]:
    kb = knowledge()
    return sorted(
        {
            name
            for exercise in kb.exercises.exercises
            for contra in exercise.contraindicated_when
            for name in findings_in(contra.when)
            if kb.findings[name].type == "bool"
        }
    )


@settings(max_examples=60, deadline=None)
@given(
    said_yes=st.sets(st.sampled_from(_contra_findings())),
    stage=st.sampled_from(["relief", "mobility", "strength", "return"]),
)
def test_an_exercise_the_answers_rule_out_is_never_shown(said_yes: set[str], stage: str) -> None:
    kb = knowledge()
    answers = interviewed(kb, {**LIFTED_BOXES, "sex": "female", **dict.fromkeys(said_yes, True)})
    values = facts_from(kb, answers).values
    shown = {exercise.id for exercise, _ in screen(stage_exercises(kb, stage), values).shown}
    for exercise in stage_exercises(kb, stage):
        ruled_out = any(c.when.evaluate(values) is True for c in exercise.contraindicated_when)
        assert not (ruled_out and exercise.id in shown), (exercise.id, said_yes)
    # and the same through the diary's programme on that stage's first day
    history = History(START, answers, [])
    today = programme(kb, history, [], follow_up(kb, history, START))
    for item in today.items:
        exercise = kb.exercises.by_id(item.id)
        assert all(c.when.evaluate(values) is not True for c in exercise.contraindicated_when)


def test_pregnancy_leaves_out_lying_on_the_back_with_the_reason(kb: KnowledgeBase) -> None:
    answers = interviewed(kb, {**LIFTED_BOXES, "sex": "female", "pregnant": True})
    history = History(START, answers, [])
    today = programme(kb, history, [], follow_up(kb, history, START))
    shown = {item.id for item in today.items}
    assert "legs_on_chair" not in shown and "pelvic_tilt" not in shown
    assert "side_lying_rest" in shown
    left = {item.id: item.because for item in today.left_out}
    assert "faint" in left["legs_on_chair"][0]


def test_exercise_waits_while_the_care_level_is_urgent(kb: KnowledgeBase) -> None:
    fever = {"age": 45, "sex": "female", "pain_duration_days": 4, "pain_severity": 7, "fever": True}
    answers = interviewed(kb, fever)
    history = History(START, answers, [])
    follow = follow_up(kb, history, START)
    assert follow.level == "consultation_24"
    today = programme(kb, history, [], follow)
    assert today.stopped and today.items == []
    calm = walk(kb, [{"pain": 7}])
    assert not calm.stopped and calm.items
