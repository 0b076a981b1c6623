"""The free-text box, present only when backspasm can read a person's own words.

Free-text parsing is a separate part of backspasm (`backspasm.text_intake`). The web app looks
for it when it starts, so the box appears by itself once that module is installed, and the
interview simply starts with the first question until then.

Contract expected of the module: `parse(text)` returning the content of `backspasm parse --json`,
either a mapping `{"findings": {id: value}, ...}` or an object with a `findings` attribute.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping

from backspasm.answers import AnswerError, Answers, validate_answers
from backspasm.knowledge_base import KnowledgeBase

MODULE = "backspasm.text_intake"
MAX_TEXT = 2_000


def available() -> bool:
    return importlib.util.find_spec(MODULE) is not None


def understood(kb: KnowledgeBase, text: str) -> Answers:
    """The findings the text states, keeping only those that are valid answers."""
    text = text.strip()[:MAX_TEXT]
    if not text or not available():
        return {}
    parsed = importlib.import_module(MODULE).parse(text)
    found = parsed["findings"] if isinstance(parsed, Mapping) else parsed.findings
    answers: Answers = {}
    for name, value in dict(found).items():
        try:
            answers.update(validate_answers(kb, {name: value}))
        except AnswerError:
            continue  # a finding the text got wrong is asked as a question instead
    return answers
