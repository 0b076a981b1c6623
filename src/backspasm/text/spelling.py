"""Mend misspelt words before the lexicon reads them: "numbnes", "tinglng", "sciatcia", and
write texting shorthand out in full ("hot n cold", "w/ numbness"; the lexicon's `shorthand`).

A word is mended only if neither the lexicon (its words and `word*` stems) nor an English
dictionary knows it, and one word of the lexicon lies nearest, within one edit (two for words
of ten letters or more). The matching is
SymSpell (`symspellpy`) over the lexicon's own words; its English frequency dictionary says
which words are real, so "sending" never becomes "bending". Mending changes lengths, so the
mended text comes with a map back to the original characters, for the evidence.

A `Speller` is built once per lexicon (the reader holds it: `reading.Reader`), on the
first parse, with the lexicon's words; it reads the English dictionary only when a word first
comes near one of them. Nothing here reads the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

from backspasm.text.lexicon import Lexicon

MIN_LETTERS = 5  # shorter words have too many real neighbours ("week", "weak")
_TOKEN = re.compile(r"[A-Za-z]+/?|[&+]")
_NOTATION_WORD = re.compile(rf"(?<![{{\w])[a-z]{{{MIN_LETTERS},}}(?![}}\w*])")
_STEM = re.compile(r"(?<![{\w])([a-z]{4,})\*")  # "spasm*": any word that starts so is known


@dataclass(frozen=True)
class Mended:
    text: str
    origin: tuple[int, ...]  # for each character of `text` (and its end), where it came from

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end]


class Speller:
    """SymSpell over one lexicon's words, the words it knows, and its `word*` stems."""

    def __init__(self, lexicon: Lexicon) -> None:
        from symspellpy import SymSpell

        self.symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        own = vocabulary(lexicon)
        for word in sorted(own):
            self.symspell.create_dictionary_entry(word, 1)
        self.known = frozenset(own)
        self.shorthand = {k.lower(): v for k, v in lexicon.tables.shorthand.items()}
        stems = sorted({stem for p in _phrases(lexicon) for stem in _STEM.findall(p)})
        self.stems = re.compile("(?:" + "|".join(stems) + ")")

    @cached_property
    def english(self) -> frozenset[str]:
        """The words of symspellpy's English frequency dictionary, read when first needed."""
        import symspellpy

        dictionary = resources.files(symspellpy).joinpath("frequency_dictionary_en_82_765.txt")
        lines = dictionary.read_text("utf-8").splitlines()
        return frozenset(line.split(" ", 1)[0] for line in lines)


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


def mend(speller: Speller, text: str) -> Mended:
    """The text with misspelt words mended and shorthand written out, and the map back to the
    original characters."""
    out: list[str] = []
    origin: list[int] = []
    position = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        word = match.group(0).lower()
        if word.endswith("/") and word not in speller.shorthand:
            word, end = word[:-1], end - 1  # "knees/legs": the word before the slash
        written = _shorthand(speller, text, word, start, end) or _mended(speller, word)
        if written is None:
            continue
        out.append(text[position:start])
        origin.extend(range(position, start))
        out.append(written)
        origin.extend(min(start + i, end - 1) for i in range(len(written)))
        position = end
    out.append(text[position:])
    origin.extend(range(position, len(text) + 1))
    return Mended("".join(out), tuple(origin))


def _shorthand(speller: Speller, text: str, word: str, start: int, end: int) -> str | None:
    """The words a shorthand stands for, where it stands as a word of its own: not next to
    an apostrophe, a hyphen, a letter or a digit."""
    full = speller.shorthand.get(word)
    beside = text[max(start - 1, 0) : start] + text[end : end + 1]
    if full is None or any(char in "'-" or char.isalnum() for char in beside):
        return None  # "rock 'n' roll", "a u-bend", "ward n2"
    return full


def _mended(speller: Speller, word: str) -> str | None:
    """The lexicon's word nearest a misspelt one, or None to leave the word as written."""
    from symspellpy import Verbosity

    if len(word) < MIN_LETTERS or word in speller.known or speller.stems.match(word):
        return None
    distance = 2 if len(word) >= 10 else 1
    found = speller.symspell.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
    if not found or len({s.term for s in found}) > 1 or word in speller.english:
        return None  # nothing near, two words equally near, or a real word: leave it
    return str(found[0].term)
