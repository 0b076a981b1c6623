"""Turn the lexicon's phrase notation into regular expressions.

Clinicians edit the lexicon, so phrases are written in a notation that reads like the words
people use, not in regex:

    numb between [my|the] legs       [a|b]  optional words
    (can't|cannot) feel (my|the) bum  (a|b)  one of these
    tingl*                           word*  any word starting with "tingl"
    pain ... down (my|the) leg       ...    up to four other words in between (never a negation)
    {n} out of (10|ten)              {name} a named slot (a number, a unit, a weekday...)

Matching ignores case; a space also matches a hyphen or a comma ("pins-and-needles"), a hyphen
inside a word is optional ("non-smoker", "nonsmoker"), and an apostrophe is optional ("cant").
Phrases match whole words only. Slots are filled from `slots`, a map from slot name to a regex
that the caller builds from the lexicon's tables; each slot becomes a named group.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

SEP = r"[\s,\-]+"
GAP_WORDS = 4
# A gap never skips a negation or a hedge: "my leg isn't weak" must not read as "leg ... weak",
# nor "my wee might be pink" as a plain "wee ... pink".
_NEGATION = (
    r"(?:no|not|never|nor|without|cannot|might|maybe|may|perhaps|possibly|if|"
    r"(?:do|does|did|is|are|was|were|have|has|had|ca|could|wo|would|should)n'?t)(?![\w'])"
)
_SLOT = re.compile(r"\{(\w+)\}")
_GROUP_OPEN = {"(": ")", "[": "]"}


class PhraseError(ValueError):
    """A phrase is not valid notation (unbalanced brackets, unknown slot, slot used twice)."""


# A phrase starts and ends at a word boundary, unless it starts or ends with a symbol ("/10").
_START = r"(?:(?<![\w'])|(?=[^\w']))"
_END = r"(?:(?![\w'])|(?<=[^\w']))"


def compile_phrase(
    phrase: str, slots: Mapping[str, str] | None = None, *, word_start: bool = True
) -> str:
    """Return the regex source for one phrase; `word_start=False` lets it begin mid-word."""
    used: set[str] = set()
    body = _sequence(phrase.strip().lower(), slots or {}, used, phrase)
    return (_START if word_start else "") + body + _END


def _sequence(text: str, slots: Mapping[str, str], used: set[str], whole: str) -> str:
    """A run of elements separated by spaces: each is a word, a group or a gap."""
    elements = _split(text, whole)
    if not elements:
        raise PhraseError(f"empty phrase or alternative in {whole!r}")
    out = ""
    started = False  # has a required element been written yet?
    for index, element in enumerate(elements):
        if element == "...":
            if not started or index == len(elements) - 1:
                raise PhraseError(f"'...' must stand between words: {whole!r}")
            out += rf"(?:{SEP}(?!{_NEGATION})[\w'/]+){{0,{GAP_WORDS}}}"
            continue
        regex = _element(element, slots, used, whole)
        optional = element.startswith("[")
        if not started:
            out += f"(?:{regex}{SEP})?" if optional else regex
        else:
            out += f"(?:{SEP}{regex})?" if optional else f"{SEP}{regex}"
        started = started or not optional
    if not started:
        raise PhraseError(f"a phrase needs at least one required word: {whole!r}")
    return out


def _element(element: str, slots: Mapping[str, str], used: set[str], whole: str) -> str:
    if element[0] in _GROUP_OPEN:
        inner = element[1:-1]
        choices = _split_top(inner, "|", whole)
        return "(?:" + "|".join(_sequence(c, slots, used, whole) for c in choices) + ")"
    return _word(element, slots, used, whole)


def _word(word: str, slots: Mapping[str, str], used: set[str], whole: str) -> str:
    if any(char in word for char in "()[]|"):
        raise PhraseError(f"a bracket must start a word, put a space before it: {whole!r}")
    out = ""
    position = 0
    for match in _SLOT.finditer(word):
        out += _literal(word[position : match.start()])
        name = match.group(1)
        if name not in slots:
            raise PhraseError(f"unknown slot {{{name}}} in {whole!r}")
        if name in used:
            raise PhraseError(f"slot {{{name}}} used twice in {whole!r}")
        used.add(name)
        out += f"(?P<{name}>{slots[name]})"
        position = match.end()
    tail = word[position:]
    if tail.endswith("*"):
        return out + _literal(tail[:-1]) + r"[\w']*"
    return out + _literal(tail)


def _literal(text: str) -> str:
    out = ""
    for char in text:
        if char == "'":
            out += "'?"
        elif char == "-":
            out += r"[\s\-]?"
        else:
            out += re.escape(char)
    return out


def _split(text: str, whole: str) -> list[str]:
    """Split on spaces that are outside brackets."""
    return [part for part in _split_top(text, " ", whole) if part]


def _split_top(text: str, separator: str, whole: str) -> list[str]:
    parts: list[str] = []
    depth: list[str] = []
    current = ""
    for char in text:
        if char in _GROUP_OPEN:
            depth.append(_GROUP_OPEN[char])
        elif char in (")", "]") and (not depth or depth.pop() != char):
            raise PhraseError(f"unbalanced brackets in {whole!r}")
        if char == separator and not depth:
            parts.append(current)
            current = ""
        else:
            current += char
    if depth:
        raise PhraseError(f"unbalanced brackets in {whole!r}")
    parts.append(current)
    return parts
