"""The message catalogue (messages.yaml): every message the code or a template asks for is
there, every placeholder filled is one the message has, and templates hold no words of their
own: they only place the catalogue's (and the knowledge's)."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

from backspasm.messages import _catalogue, message, messages
from tests.support.paths import ROOT

SOURCE = ROOT / "src" / "backspasm"
TEMPLATES = sorted(
    path
    for folder in (SOURCE / "web" / "templates", SOURCE / "followup" / "templates")
    for path in folder.rglob("*.html")
)


def _calls(name: str) -> Iterator[tuple[list[str], set[str]]]:
    """The words given and the names filled in each call to `name` (`message` or `messages`),
    in the code and in the templates."""
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
                yield [_text(arg) for arg in node.args], {k.arg for k in node.keywords if k.arg}
    for path in TEMPLATES:
        for call in Environment().parse(path.read_text()).find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == name:
                given = [_template_text(path, arg) for arg in call.args]
                yield given, {keyword.key for keyword in call.kwargs}


def _text(node: ast.expr) -> str:
    assert isinstance(node, ast.Constant) and isinstance(node.value, str), ast.dump(node)
    return node.value


def _template_text(path: Path, node: nodes.Expr) -> str:
    assert isinstance(node, nodes.Const) and isinstance(node.value, str), f"{path.name}: {node}"
    return node.value


def test_every_message_the_code_names_exists_with_its_placeholders() -> None:
    catalogue = _catalogue()
    used = 0
    for (section, key), filled in _calls("message"):
        assert key in catalogue.get(section, {}), f"messages.yaml has no {section}.{key}"
        fields = {f for _, f, _, _ in string.Formatter().parse(catalogue[section][key]) if f}
        assert filled == fields, f"{section}.{key}: code fills {filled}, message has {fields}"
        used += 1
    for (section,), _ in _calls("messages"):
        assert section in catalogue
    assert used > 10


def test_every_message_is_used() -> None:
    """No stale words: each message is asked for by name, or its whole section is."""
    named = {(section, key) for (section, key), _ in _calls("message")}
    sections = {section for (section,), _ in _calls("messages")}
    for section, entries in _catalogue().items():
        if section in sections:
            continue
        for key in entries:
            assert (section, key) in named, f"messages.yaml: {section}.{key} is never used"


def test_placeholders_are_filled() -> None:
    assert message("result", "call", number="999") == "Call 999"
    assert messages("plan_stages")["next_weeks"] == "The next few weeks"
    assert messages("helped") == {"yes": "helped", "no": "did not help", "unsure": "not sure"}


class _Words(HTMLParser):
    """The words a person would read in a template once its Jinja tags are taken out: text,
    and the attributes a browser shows or reads aloud. Scripts and styles are not read."""

    SHOWN = ("alt", "title", "aria-label", "placeholder", "aria-description")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("script", "style")
        self.words += [value for name, value in attrs if name in self.SHOWN and value]

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.words.append(data)


def words_in_template(source: str) -> list[str]:
    """Runs of letters outside `{{ }}`, `{% %}` and `{# #}`; punctuation and entities pass."""
    parser = _Words()
    parser.feed(re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", source, flags=re.S))
    return [word for text in parser.words for word in re.findall(r"[^\W\d_]+", text)]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_templates_hold_no_words_of_their_own(path: Path) -> None:
    assert words_in_template(path.read_text()) == [], (
        f"{path.relative_to(SOURCE)}: put these words in messages.yaml (or the knowledge) "
        "and place them with {{ message(section, key) }}"
    )


def test_the_word_scan_finds_text_and_shown_attributes() -> None:
    found = words_in_template(
        '<h1>{{ title }} Hello</h1><img alt="A picture"><p>{% if x %}Yes{% endif %} &nbsp;'
        "(3) - {{ message('a', 'b') }}.</p><style>p { color: red }</style>"
    )
    assert found == ["Hello", "A", "picture", "Yes"]
