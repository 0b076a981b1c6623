"""Mend misspelt words before the lexicon reads them: "numbnes", "tinglng", "sciatcia".

A word is mended only if neither the lexicon (its words and `word*` stems) nor an English
dictionary knows it, and one word of the lexicon lies nearest, within one edit (two for words
of ten letters or more). The matching is
SymSpell (`symspellpy`) over the lexicon's own words; its English frequency dictionary says
which words are real, so "sending" never becomes "bending". Mending changes lengths, so the
mended text comes with a map back to the original characters, for the evidence.

symspellpy loads on the first parse, with the lexicon's words; its English dictionary only when
a word first comes near one of them. Nothing here reads the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from backspasm.text.lexicon import Lexicon

if TYPE_CHECKING:  # pragma: no cover
    from symspellpy import SymSpell

MIN_LETTERS = 5  # shorter words have too many real neighbours ("week", "weak")
_TOKEN = re.compile(r"[A-Za-z]+")
_NOTATION_WORD = re.compile(rf"(?<![{{\w])[a-z]{{{MIN_LETTERS},}}(?![}}\w*])")
_STEM = re.compile(r"(?<![{\w])([a-z]{4,})\*")  # "spasm*": any word that starts so is known


@dataclass(frozen=True)
class Mended:
    text: str
    origin: tuple[int, ...]  # for each character of `text` (and its end), where it came from

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end]


@dataclass(frozen=True)
class _Speller:
    symspell: SymSpell
    known: frozenset[str]
    stems: re.Pattern[str]


@cache
def _english() -> frozenset[str]:
    import symspellpy

    dictionary = resources.files(symspellpy).joinpath("frequency_dictionary_en_82_765.txt")
    return frozenset(line.split(" ", 1)[0] for line in dictionary.read_text("utf-8").splitlines())


def _phrases(lexicon: Lexicon) -> list[str]:
    phrases: list[str] = []
    for entry in lexicon.entries.values():
        phrases += [*entry.present, *entry.absent, *entry.general, *entry.topic]
        phrases += [w for words_ in entry.options.values() for w in words_]
        if entry.values:
            phrases += [*entry.values.phrases, *entry.values.fallback]
    return [phrase.lower() for phrase in phrases]


def vocabulary(lexicon: Lexicon) -> set[str]:
    """Every plain word of five letters or more that the lexicon's phrases use."""
    words: set[str] = set()
    for phrase in _phrases(lexicon):
        words.update(_NOTATION_WORD.findall(phrase))
    tables = lexicon.tables
    for table in (tables.numbers, tables.tens, tables.units, tables.weekdays, tables.months):
        words.update(w for w in table if len(w) >= MIN_LETTERS)
    words.update(w for w in lexicon.subject.people if " " not in w)
    return words


_spellers: dict[int, tuple[Lexicon, _Speller]] = {}


def _speller(lexicon: Lexicon) -> _Speller:
    cached = _spellers.get(id(lexicon))
    if cached is not None and cached[0] is lexicon:
        return cached[1]
    from symspellpy import SymSpell

    symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    own = vocabulary(lexicon)
    for word in sorted(own):
        symspell.create_dictionary_entry(word, 1)
    stems = sorted({stem for p in _phrases(lexicon) for stem in _STEM.findall(p)})
    speller = _Speller(symspell, frozenset(own), re.compile("(?:" + "|".join(stems) + ")"))
    _spellers[id(lexicon)] = (lexicon, speller)
    return speller


def mend(lexicon: Lexicon, text: str) -> Mended:
    """The text with misspelt words mended, and the map back to the original characters."""
    from symspellpy import Verbosity

    speller = _speller(lexicon)
    out: list[str] = []
    origin: list[int] = []
    position = 0
    for match in _TOKEN.finditer(text):
        word = match.group(0).lower()
        if len(word) < MIN_LETTERS or word in speller.known or speller.stems.match(word):
            continue
        distance = 2 if len(word) >= 10 else 1
        found = speller.symspell.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
        if not found or len({s.term for s in found}) > 1 or word in _english():
            continue  # nothing near, two words equally near, or a real word: leave it
        start, end = match.span()
        out.append(text[position:start])
        origin.extend(range(position, start))
        out.append(found[0].term)
        origin.extend(min(start + i, end - 1) for i in range(len(found[0].term)))
        position = end
    out.append(text[position:])
    origin.extend(range(position, len(text) + 1))
    return Mended("".join(out), tuple(origin))
