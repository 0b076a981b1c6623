"""The interface words a person reads, from messages.yaml (one catalogue for every face).

    from backspasm.messages import message, messages
    message("diary", "title")                 -> "Your back diary"
    message("result", "call", number="999")   -> "Call 999"
    messages("plan_stages")                   -> {"now": "Now", ...} in the file's order

Clinical words come from the knowledge base; this file holds the rest. The catalogue is read
once per process: it is part of the installed package, like the templates.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def child_notice(confirmed_rules: Iterable[str], emergency: str, urgent: str) -> tuple[str, ...]:
    """The "this check is for adults" notice, title first, when the rule for children holds.

    Empty for adults. Which rule marks a child is named in the catalogue, not in code.
    """
    words = messages("child")
    if words["rule"] not in set(confirmed_rules):
        return ()
    return tuple(
        words[key].format(emergency=emergency, urgent=urgent)
        for key in ("title", "intro", "gp", "urgent", "emergency", "medicines")
    )
