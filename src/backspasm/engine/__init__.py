"""The pure engine: logic language, knowledge base, triage, contributors, care plan, interview.

The public face, for the layers above: load the knowledge once, then ask what to ask next
(`next_questions`; or `next_screen`, related questions shown together) and assess the answers
(`assess`). All are pure functions of the knowledge base and the answers; indexes derived
from the knowledge are on `kb.index`.
"""

from backspasm.engine.answers import UNSURE, AnswerError, AnswerValue, validate_answers
from backspasm.engine.assessment import Assessment, assess
from backspasm.engine.index import KnowledgeIndex
from backspasm.engine.interview import (
    InterviewSession,
    InterviewStep,
    Question,
    next_questions,
    question_for,
)
from backspasm.engine.knowledge_base import (
    KnowledgeBase,
    KnowledgeError,
    load_knowledge,
    read_knowledge,
)
from backspasm.engine.screens import Screen, ScreenStep, next_screen, screen_for

__all__ = [
    "UNSURE",
    "AnswerError",
    "AnswerValue",
    "Assessment",
    "InterviewSession",
    "InterviewStep",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgeIndex",
    "Question",
    "Screen",
    "ScreenStep",
    "assess",
    "load_knowledge",
    "next_questions",
    "next_screen",
    "question_for",
    "read_knowledge",
    "screen_for",
    "validate_answers",
]
