"""The free-text box on the start page: what a person's own words state, as answers.

The page shows what was understood, and the person can go back over any of it.
"""

from __future__ import annotations

import datetime as dt

from backspasm.engine.answers import AnswerError, Answers, validate_answers
from backspasm.engine.knowledge_base import KnowledgeBase

MAX_TEXT = 2_000


def understood(kb: KnowledgeBase, text: str, today: dt.date) -> Answers:
    """The findings the text states, keeping only those that are valid answers.

    Findings the text leaves uncertain are not answers: they are asked as questions.
    """
    text = text.strip()[:MAX_TEXT]
    if not text:
        return {}
    from backspasm.text.reading import parse_text

    answers: Answers = {}
    for name, value in parse_text(text, today, kb).findings.items():
        try:
            answers.update(validate_answers(kb, {name: value}))
        except AnswerError:
            continue  # a finding the text got wrong is asked as a question instead
    return answers
