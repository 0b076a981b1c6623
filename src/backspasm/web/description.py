"""The free-text box on the start page: what a person's own words state, as answers.

The page shows what was understood, and the person can go back over any of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backspasm.engine.answers import Answers

if TYPE_CHECKING:  # pragma: no cover
    from backspasm.text.reading import Reader

MAX_TEXT = 2_000


@dataclass(frozen=True)
class Reading:
    answers: Answers
    about: str = ""  # "he", "she" or "they" when the text is about someone else


def understood(reader: Reader, text: str, today: dt.date) -> Reading:
    """The findings the text states, keeping only those that are valid answers, and whom
    the text is about.

    Findings the text leaves uncertain are not answers: they are asked as questions. Nor is a
    red flag the text denied: the interview asks it on its own screen to be confirmed.
    """
    text = text.strip()[:MAX_TEXT]
    if not text:
        return Reading({})
    from backspasm.text.reading import parse_text

    parsed = parse_text(text, today, reader)
    about = (parsed.subject.pronoun or "they") if parsed.subject.other else ""
    return Reading(parsed.answers(reader.kb), about)
