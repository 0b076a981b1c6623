"""The interface words a person reads, from messages.yaml (one catalogue for every face).

    from backspasm.messages import message, messages
    message("diary", "title")                 -> "Your back diary"
    message("result", "call", number="999")   -> "Call 999"
    messages("plan_stages")                   -> {"now": "Now", ...} in the file's order

Clinical words come from the knowledge base; this file holds the rest. The catalogue is read
once per process: it is part of the installed package, like the templates.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    loaded = yaml.safe_load((files("backspasm") / "messages.yaml").read_text(encoding="utf-8"))
    return {
        str(section): {str(key): str(text) for key, text in entries.items()}
        for section, entries in loaded.items()
    }


def messages(section: str) -> dict[str, str]:
    """Every message of one section, by key, in the catalogue's order."""
    return dict(_catalogue()[section])


def message(section: str, key: str, **values: object) -> str:
    """One message, with any {name} placeholders filled in."""
    text = _catalogue()[section][key]
    return text.format(**values) if values else text
