"""Sample people for the tests, answered through the real interview (unstated yes/no = no)."""

from __future__ import annotations

from typing import Any

from backspasm.engine.answers import AnswerValue
from backspasm.engine.interview import next_questions
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.evaluation import simulated_answer

# a lifting spasm with nothing alarming: the self-care person of the web, terminal and browser tests
SPASM: dict[str, Any] = {
    "age": 34,
    "sex": "male",
    "pain_duration_days": 2,
    "pain_severity": 6,
    "muscle_spasms": True,
    "trigger_lifting": True,
}
LIFTED_BOXES: dict[str, Any] = {
    "age": 34,
    "sex": "male",
    "pain_duration_days": 2,
    "pain_severity": 7,
    "onset_sudden": True,
    "trigger_lifting": True,
    "heavy_physical_work": True,
    "muscle_spasms": True,
    "pain_worse_with_movement": True,
    "leg_pain_below_knee": False,
}
DESK_WORKER: dict[str, Any] = {
    "age": 45,
    "sex": "female",
    "pain_duration_days": 1,
    "pain_severity": 5,
    "trigger_long_sitting": True,
    "long_sitting_daily": True,
    "muscle_spasms": True,
}


def interviewed(kb: KnowledgeBase, facts: dict[str, Any]) -> dict[str, AnswerValue]:
    """Run the interview to the end, answering from `facts`."""
    answers: dict[str, AnswerValue] = {}
    for _ in range(len(kb.findings) + 1):
        step = next_questions(kb, answers)
        if step.done:
            return answers
        for question in step.questions:
            answers[question.id] = simulated_answer(kb, facts, question.id)
    raise AssertionError("the interview did not finish")
