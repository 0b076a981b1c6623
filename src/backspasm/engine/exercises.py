"""Which exercises a person may see, and what a clinician may do next for their care level.

Pure functions of the knowledge and the answers (as `facts_from(...).values`). An exercise
whose contraindication holds is never shown; one whose contraindication could not be checked
is shown with the check spelled out, as the care plan does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from backspasm.engine.assessment import source_refs
from backspasm.engine.citations import SourceRef
from backspasm.engine.exercise_schema import Exercise
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import Scalar


@dataclass(frozen=True)
class Screened:
    shown: tuple[tuple[Exercise, tuple[str, ...]], ...]  # each with its checks not yet ruled out
    withheld: tuple[tuple[Exercise, tuple[str, ...]], ...]  # each with why it is left out


def stage_exercises(kb: KnowledgeBase, stage: str) -> list[Exercise]:
    return [exercise for exercise in kb.exercises.exercises if stage in exercise.stages]


def screen(exercises: Sequence[Exercise], values: Mapping[str, Scalar]) -> Screened:
    shown, withheld = [], []
    for exercise in exercises:
        truths = [(c.because, c.when.evaluate(values)) for c in exercise.contraindicated_when]
        holds = tuple(because for because, truth in truths if truth is True)
        if holds:
            withheld.append((exercise, holds))
        else:
            shown.append((exercise, tuple(because for because, truth in truths if truth is None)))
    return Screened(tuple(shown), tuple(withheld))


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class VisitStep(_Out):
    title: str
    text: str
    sources: list[SourceRef]


class TestNote(_Out):
    __test__ = False  # not a pytest test class

    title: str
    shows: str
    likely: bool
    text: str  # why it may be used now, or why it is not needed yet
    sources: list[SourceRef]


class TreatmentNote(_Out):
    title: str
    advice: str  # offer | consider | do_not_offer
    short: str
    text: str
    sources: list[SourceRef]


class NextSteps(_Out):
    visit: list[VisitStep]
    tests: list[TestNote]
    offered: list[TreatmentNote]
    not_offered: list[TreatmentNote]


def next_steps(kb: KnowledgeBase, level: str, values: Mapping[str, Scalar]) -> NextSteps | None:
    """What the visit may involve, for a care level that sends the person to a clinician."""
    steps = kb.next_steps
    if level not in steps.levels:
        return None
    tests = []
    for test in steps.tests:
        likely = test.likely_when.evaluate(values) is True
        tests.append(
            TestNote(
                title=test.title,
                shows=test.shows,
                likely=likely,
                text=test.when_likely if likely else test.not_yet,
                sources=source_refs(kb, test.sources),
            )
        )
    treatments = [
        TreatmentNote(
            title=t.title,
            advice=t.advice,
            short=t.short,
            text=t.text,
            sources=source_refs(kb, t.sources),
        )
        for t in steps.treatments
    ]
    return NextSteps(
        visit=[
            VisitStep(title=v.title, text=v.text, sources=source_refs(kb, v.sources))
            for v in steps.visit
        ],
        tests=sorted(tests, key=lambda note: not note.likely),
        offered=[t for t in treatments if t.advice != "do_not_offer"],
        not_offered=[t for t in treatments if t.advice == "do_not_offer"],
    )
