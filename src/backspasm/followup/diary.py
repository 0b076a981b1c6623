"""One diary entry as a person gives it, checked against the knowledge's diary vocabulary."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backspasm.engine.knowledge_base import KnowledgeBase

Spasms = Literal["none", "some", "many"]
Helped = Literal["yes", "no", "unsure"]


class Tried(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    item: str
    helped: Helped


Felt = Literal["fine", "too_hard"]
NextMorning = Literal["settled", "worse"]


class ExerciseDone(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    felt: Felt


class ExerciseReport(BaseModel):
    """The exercises since the last entry: which, how each felt, the highest pain during them
    (0-10), and whether the back had settled by the next morning (None: not known yet)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    done: list[ExerciseDone] = []
    pain: int | None = Field(default=None, ge=0, le=10)
    next_morning: NextMorning | None = None


class DiaryInput(BaseModel):
    """Pain is the worst in the last 24 hours (as at the first assessment); function is how
    much of a usual day the person managed, 0 (none) to 10 (all of it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    day: date
    pain: int = Field(ge=0, le=10)
    function: int = Field(ge=0, le=10)
    spasms: Spasms
    tried: list[Tried] = []
    new_symptoms: list[str] = []
    exercise: ExerciseReport | None = None


class DiaryError(ValueError):
    """The entry names things the diary does not offer, or a day it cannot have."""


def check_entry(kb: KnowledgeBase, entry: DiaryInput, started: date, today: date) -> None:
    problems = []
    if entry.day > today:
        problems.append(f"day {entry.day} is in the future")
    if entry.day < started:
        problems.append(f"day {entry.day} is before this episode's first assessment ({started})")
    offered = kb.followup.diary
    problems += [
        f"tried: {t.item!r} is not on the list" for t in entry.tried if t.item not in offered.tried
    ]
    problems += [
        f"new_symptoms: {s!r} is not on the list"
        for s in entry.new_symptoms
        if s not in offered.symptoms
    ]
    if entry.exercise is not None:
        known = {exercise.id for exercise in kb.exercises.exercises}
        done = [d.id for d in entry.exercise.done]
        problems += [f"exercise: {d!r} is not in the library" for d in done if d not in known]
        if len(set(done)) != len(done):
            problems.append("exercise: an exercise is listed twice")
    items = [t.item for t in entry.tried]
    if len(set(items)) != len(items) or len(set(entry.new_symptoms)) != len(entry.new_symptoms):
        problems.append("an item is listed twice")
    if problems:
        raise DiaryError("; ".join(problems))
