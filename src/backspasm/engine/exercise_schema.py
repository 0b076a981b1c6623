"""The shape of exercises.yaml (the exercise programme) and next_steps.yaml (what a clinician
may do next), as strict pydantic models, and their cross-checks against the other files.

`knowledge_base` reads these files with the rest and calls `check_exercises` and
`check_next_steps` from its cross-check, so a problem here stops the load like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from backspasm.engine.logic import Expr
from backspasm.engine.schema import (
    Contraindication,
    FollowupFile,
    Level,
    Measure,
    Sources,
    Strict,
    When,
)

EXERCISE_ID = re.compile(r"^[a-z][a-z0-9_]*$")  # also the picture's file name


# --- exercises.yaml -----------------------------------------------------------------------------
class Picture(Strict):
    alt: str = Field(min_length=20)


class Exercise(Strict):
    id: str
    title: str
    stages: list[str] = Field(min_length=1)
    purpose: str
    steps: list[str] = Field(min_length=3)
    doses: list[str] = Field(min_length=1)
    easier: str
    harder: str
    stop_if: list[str] = Field(min_length=1)
    contraindicated_when: list[Contraindication] = Field(min_length=1)
    picture: Picture
    sources: Sources

    @field_validator("id")
    @classmethod
    def _file_safe(cls, value: str) -> str:
        if not EXERCISE_ID.match(value):
            raise ValueError("an exercise id is lower case letters, digits and _")
        return value

    def dose(self, step: int) -> str:
        """The amount at programme step `step` (1-based); past the last step, the last."""
        return self.doses[min(max(step, 1), len(self.doses)) - 1]


class GeneralAdvice(Strict):
    id: str
    title: str
    text: str
    sources: Sources


Move = Literal["progress", "repeat", "step_back", "stop"]


class ProgressionRule(Strict):
    id: str
    when: When
    move: Move
    tell: str
    sources: Sources


class Otherwise(Strict):
    move: Move
    tell: str
    sources: Sources


class Progression(Strict):
    measures: dict[str, Measure] = Field(min_length=1)
    rules: list[ProgressionRule] = Field(min_length=1)
    otherwise: Otherwise


class ExercisesFile(Strict):
    exercises: list[Exercise] = Field(min_length=1)
    general: list[GeneralAdvice] = Field(min_length=1)
    progression: Progression

    def by_id(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)


# --- next_steps.yaml ----------------------------------------------------------------------------
class VisitPart(Strict):
    id: str
    title: str
    text: str
    sources: Sources


class TestOption(Strict):
    __test__ = False  # not a pytest test class

    id: str
    title: str
    shows: str
    likely_when: When
    when_likely: str
    not_yet: str
    sources: Sources


class Treatment(Strict):
    id: str
    advice: Literal["offer", "consider", "do_not_offer"]
    short: str  # for the clinician summary
    title: str
    text: str
    sources: Sources


class NextStepsFile(Strict):
    levels: list[Level] = Field(min_length=1)
    visit: list[VisitPart] = Field(min_length=1)
    tests: list[TestOption] = Field(min_length=1)
    treatments: list[Treatment] = Field(min_length=1)

    @model_validator(mode="after")
    def _both_kinds(self) -> NextStepsFile:
        kinds = {t.advice for t in self.treatments}
        if "do_not_offer" not in kinds or kinds == {"do_not_offer"}:
            raise ValueError("treatments need what may be offered and what is not offered")
        return self


# --- cross-checks -------------------------------------------------------------------------------
Cites = Callable[[str, str, Iterable[Any]], Iterable[str]]
Expression = Callable[[str, str, Expr], Iterable[str]]
MeasureCheck = Callable[[dict[str, Measure], str, str, Expr], Iterable[str]]


def check_exercises(
    exercises: ExercisesFile,
    followup: FollowupFile,
    cites: Cites,
    expression: Expression,
    measures: MeasureCheck,
) -> Iterable[str]:
    """Every exercise cited, in a known stage and screened over known findings; every stage
    with exercises; progression rules over their own measures. (Pictures: tests/knowledge.)"""
    file = "exercises.yaml"
    stage_ids = [stage.id for stage in followup.stages]
    yield from _duplicates(file, "exercises", [e.id for e in exercises.exercises])
    yield from _duplicates(file, "general", [g.id for g in exercises.general])
    yield from _duplicates(file, "progression.rules", [r.id for r in exercises.progression.rules])
    for exercise in exercises.exercises:
        yield from cites(file, exercise.id, exercise.sources)
        for contra in exercise.contraindicated_when:
            yield from expression(file, exercise.id, contra.when)
        for stage in exercise.stages:
            if stage not in stage_ids:
                yield f"{file}: {exercise.id}: unknown stage {stage!r}"
    for stage in stage_ids:
        if not any(stage in e.stages for e in exercises.exercises):
            yield f"{file}: stage {stage!r} has no exercises"
    for advice in exercises.general:
        yield from cites(file, advice.id, advice.sources)
    progression = exercises.progression
    for rule in progression.rules:
        yield from cites(file, rule.id, rule.sources)
        yield from measures(progression.measures, file, rule.id, rule.when)
    yield from cites(file, "progression.otherwise", progression.otherwise.sources)


def check_next_steps(steps: NextStepsFile, cites: Cites, expression: Expression) -> Iterable[str]:
    file = "next_steps.yaml"
    for kind, ids in (
        ("visit", [v.id for v in steps.visit]),
        ("tests", [t.id for t in steps.tests]),
        ("treatments", [t.id for t in steps.treatments]),
    ):
        yield from _duplicates(file, kind, ids)
    for part in steps.visit:
        yield from cites(file, part.id, part.sources)
    for test in steps.tests:
        yield from cites(file, test.id, test.sources)
        yield from expression(file, test.id, test.likely_when)
    for treatment in steps.treatments:
        yield from cites(file, treatment.id, treatment.sources)


def _duplicates(file: str, kind: str, ids: list[str]) -> Iterable[str]:
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        yield f"{file}: {kind}: duplicate id {duplicate!r}"
