"""The message catalogue (messages.yaml): every message the code asks for is there, and every
placeholder the code fills is one the message has."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator

from backspasm.messages import _catalogue, message, messages
from tests.support.paths import ROOT


def _calls(name: str) -> Iterator[ast.Call]:
    for path in (ROOT / "src" / "backspasm").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
                yield node


def _text(node: ast.expr) -> str:
    assert isinstance(node, ast.Constant) and isinstance(node.value, str), ast.dump(node)
    return node.value


def test_every_message_the_code_names_exists_with_its_placeholders() -> None:
    catalogue = _catalogue()
    used = 0
    for call in _calls("message"):
        section, key = (_text(arg) for arg in call.args)
        assert key in catalogue.get(section, {}), f"messages.yaml has no {section}.{key}"
        filled = {keyword.arg for keyword in call.keywords}
        fields = {f for _, f, _, _ in string.Formatter().parse(catalogue[section][key]) if f}
        assert filled == fields, f"{section}.{key}: code fills {filled}, message has {fields}"
        used += 1
    for call in _calls("messages"):
        assert _text(call.args[0]) in catalogue
    assert used > 10


def test_every_message_is_used() -> None:
    """No stale words: each message is asked for by name, or its whole section is."""
    named = {(_text(c.args[0]), _text(c.args[1])) for c in _calls("message")}
    sections = {_text(c.args[0]) for c in _calls("messages")}
    for section, entries in _catalogue().items():
        if section in sections:
            continue
        for key in entries:
            assert (section, key) in named, f"messages.yaml: {section}.{key} is never used"


def test_placeholders_are_filled() -> None:
    assert message("result", "call", number="999") == "Call 999"
    assert messages("plan_stages")["next_weeks"] == "The next few weeks"
    assert messages("helped") == {"yes": "helped", "no": "did not help", "unsure": "not sure"}
