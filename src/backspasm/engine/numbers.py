"""The deployment's phone numbers in knowledge texts: `{emergency_number}`, `{urgent_number}`.

A knowledge text names the number to call by placeholder, so a deployment whose emergency
number is 112 never tells anyone to call 999. The loader refuses any other placeholder, and
any placeholder in a text that no face fills. The engine keeps its results with the
placeholders in them (a stored result does not depend on where it was shown); each face fills
them with its own numbers when it shows a result (`assessment.with_numbers`), so the engine
never reads a setting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
PLACEHOLDERS = ("emergency_number", "urgent_number")

# The files whose person-read texts reach a result (`Assessment`), where faces fill the
# numbers. Other files may not use them. The rewording of questions about someone else has
# placeholders of its own ({p}), and so have the follow-up measures in words ({points}); the
# lexicon, read by its own loader, is not checked here.
FILLED_FILES = ("meta.yaml", "triage.yaml", "conditions.yaml", "care.yaml")
OWN_PLACEHOLDERS = {
    "findings.yaml": ("about_someone_else", "question_about"),
    "followup.yaml": ("says", "says_otherwise"),  # a measure's {n} and {points}
}


@dataclass(frozen=True)
class Numbers:
    """What `{emergency_number}` and `{urgent_number}` become: a number, or words."""

    emergency: str = "999"
    urgent: str = "111"

    def fill(self, text: str) -> str:
        values = {"emergency_number": self.emergency, "urgent_number": self.urgent}
        return PLACEHOLDER.sub(lambda found: values.get(found[1], found[0]), text)


def fill_all(value: Any, numbers: Numbers) -> Any:
    """Every text in a JSON-like value (dicts, lists, strings) with the numbers filled."""
    if isinstance(value, str):
        return numbers.fill(value)
    if isinstance(value, list):
        return [fill_all(part, numbers) for part in value]
    if isinstance(value, dict):
        return {key: fill_all(part, numbers) for key, part in value.items()}
    return value


def placeholder_problems(file: str, data: object) -> Iterable[str]:
    """Each text of a knowledge file with a placeholder that is unknown or never filled."""
    skip = OWN_PLACEHOLDERS.get(file, ())
    for where, text in _texts(data, (), skip):
        for name in PLACEHOLDER.findall(text):
            if name not in PLACEHOLDERS:
                known = ", ".join("{" + known + "}" for known in PLACEHOLDERS)
                yield f"{file}: {where}: unknown placeholder {{{name}}} (known: {known})"
            elif file not in FILLED_FILES:
                yield (
                    f"{file}: {where}: {{{name}}} is filled only in "
                    f"{', '.join(FILLED_FILES)}; say it in words here"
                )


def _texts(data: object, path: tuple[str, ...], skip: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield ".".join(path), data
    elif isinstance(data, dict):
        for key, value in data.items():
            if str(key) not in skip:
                yield from _texts(value, (*path, str(key)), skip)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            label = str(value["id"]) if isinstance(value, dict) and "id" in value else str(index)
            yield from _texts(value, (*path, label), skip)
