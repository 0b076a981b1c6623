"""Load `knowledge/lexicon.yaml`: the words people use for each finding, checked strictly.

The lexicon is clinical content kept as data, so a clinician can review and extend it without
reading code. The loader refuses unknown keys, finding ids the knowledge base does not have,
words of a kind that does not fit the finding's type (yes/no words for a choice, an option the
finding does not offer, numbers for a yes/no finding), context cues that are not plain words,
and phrases that are not valid notation (`text_patterns`). It compiles every phrase once, so
parsing a text only runs ready regexes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from backspasm.engine.schema import Finding
from backspasm.engine.yaml_files import DuplicateKeyError, load_yaml
from backspasm.text.patterns import SEP, PhraseError, compile_phrase

Kind = Literal["present", "absent", "general", "topic", "option", "value", "fallback"]
CATEGORIES = ("negated", "uncertain", "hypothetical", "family")
_PLAIN_CUE = re.compile(r"[a-z0-9'&/:;,.?!\- ]+")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tables(_Strict):
    """Words with a value: slot fillers for value phrases such as `{amount} {unit} ago`."""

    numbers: dict[str, int] = Field(min_length=1)
    tens: dict[str, int] = Field(min_length=1)
    amounts: dict[str, float] = Field(min_length=1)
    units: dict[str, float] = Field(min_length=1)
    weekdays: dict[str, int] = Field(min_length=1)
    months: dict[str, int] = Field(min_length=1)
    relative_days: dict[str, int] = Field(min_length=1)
    # texting shorthand and the words it stands for ("n": "and"), read before the lexicon
    shorthand: dict[str, str] = {}


class Cues(_Strict):
    """One kind of context, as a NegEx termset: cues before (`forward`) or after (`backward`)
    the finding they change, look-alikes that are not cues (`pseudo`), and words that end a
    cue's reach for this kind only (`termination`, added to the shared `clause_breaks`)."""

    forward: list[str] = Field(min_length=1)
    backward: list[str] = []
    pseudo: list[str] = []
    termination: list[str] = []


class Context(_Strict):
    negated: Cues
    uncertain: Cues
    hypothetical: Cues
    family: Cues
    clause_breaks: list[str] = Field(min_length=1)
    # words that put every yes/no finding stated in their sentence in doubt, across clause
    # breaks: "my bum feels numb, but I might be imagining it" (asked again, never denied)
    doubt_in_sentence: list[str] = []

    def cues(self, category: str) -> Cues:
        value = getattr(self, category)
        assert isinstance(value, Cues)
        return value


class Values(_Strict):
    """How to read a number for a numeric finding. `phrases` are tried first; `fallback`
    phrases count only when no phrase matched (e.g. "for two weeks" after "3 days ago")."""

    phrases: list[str] = Field(min_length=1)
    fallback: list[str] = []
    # first, max, or agreed: only when every number read agrees ("I'm 52, asking for my son
    # who is 12" gives no age: it is asked)
    pick: Literal["first", "max", "agreed"] = "first"
    # words that mark a number as this finding's when several compete: "back pain for 5 days,
    # and since this morning I can't feel..." (the one next to "back pain" wins, either kind)
    near: list[str] = []
    not_followed_by: list[str] = []
    not_with: list[str] = []  # finding groups: a number in a clause about one of them is theirs


class Entry(_Strict):
    """The words for one finding. `topic` words only say the subject came up: negated they
    mean the finding is absent ("no bladder problems"); otherwise they say nothing. `general`
    words deny it only in general ("bladder and bowels fine"). Neither ever closes a red flag:
    only `present` words under a negation and `absent` words name the exact thing."""

    present: list[str] = []
    absent: list[str] = []
    general: list[str] = []
    topic: list[str] = []
    options: dict[str, list[str]] = {}
    pick: Literal["first", "last"] = "first"
    values: Values | None = None
    negatable: bool = True  # false for words nobody denies ("38M" after "no fever" is male)
    # findings the same text must state as present for these words to count: "comes in waves"
    # is labour only in a pregnancy, and muscle spasm otherwise
    only_with: list[str] = []

    @model_validator(mode="after")
    def _has_words(self) -> Entry:
        words = self.present or self.absent or self.general or self.topic
        if not (words or self.options or self.values):
            raise ValueError("an entry needs present, absent, general, topic, options or values")
        return self


class Subject(_Strict):
    """Words for whose story it is: people a writer may tell about, with the sex the word
    gives ("" when it gives none), and body words that mark "his back" as the patient's."""

    people: dict[str, Literal["male", "female", ""]] = Field(min_length=1)
    body: list[str] = Field(min_length=1)


class LexiconFile(_Strict):
    tables: Tables
    context: Context
    subject: Subject
    findings: dict[str, Entry] = Field(min_length=1)


class LexiconError(Exception):
    """The lexicon is invalid; `problems` lists each problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Phrase:
    """A compiled phrase (or set of phrases) that says one thing about one finding."""

    finding: str
    kind: Kind
    regex: re.Pattern[str]
    option: str = ""
    gapped: bool = False  # has a "..." gap: its match may span words about other findings
    # for a union of several phrases: each on its own, to find the longest one that matches
    # where the union did ("no problems with wee or poo", not "no problems with wee")
    parts: tuple[re.Pattern[str], ...] = ()

    def longest(self, match: re.Match[str]) -> tuple[int, int]:
        """Where the longest of this phrase's parts that matches at `match`'s start ends."""
        ends = [match.end()]
        for part in self.parts:
            found = part.match(match.string, match.start())
            if found is not None:
                ends.append(found.end())
        return match.start(), max(ends)


@dataclass(frozen=True, eq=False)  # compared by identity: one per reader
class Lexicon:
    source: LexiconFile
    phrases: tuple[Phrase, ...]

    @property
    def entries(self) -> Mapping[str, Entry]:
        return self.source.findings

    @property
    def context(self) -> Context:
        return self.source.context

    @property
    def tables(self) -> Tables:
        return self.source.tables

    @property
    def subject(self) -> Subject:
        return self.source.subject


def lexicon_text() -> str:
    return resources.files("backspasm").joinpath("knowledge/lexicon.yaml").read_text("utf-8")


def load_lexicon(findings: Mapping[str, Finding], text: str | None = None) -> Lexicon:
    """Load the lexicon (the packaged file unless `text` is given), check it against the
    knowledge base's findings, and compile it. Raises LexiconError listing every problem."""
    if text is None:
        text = lexicon_text()
    try:
        raw: Any = load_yaml(text)
        parsed = LexiconFile.model_validate(raw)
    except DuplicateKeyError as error:
        raise LexiconError([f"lexicon.yaml: {error}"]) from error
    except yaml.YAMLError as error:
        raise LexiconError([f"lexicon.yaml: not valid YAML: {error}"]) from error
    except ValidationError as error:
        raise LexiconError(
            [f"lexicon.yaml: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        ) from error
    return _compile(parsed, findings)


def slot_patterns(tables: Tables) -> dict[str, str]:
    """Regexes for the slots that value phrases may use, built from the tables."""
    units = _alternatives(tables.numbers)
    tens = _alternatives(tables.tens)
    word_number = rf"(?:{tens}(?:[\s\-]+{units})?|{units})"
    one = rf"(?:\d{{1,3}}(?:\.\d+)?|{word_number})"
    number = rf"{one}(?:\s*(?:-|to|or)\s*{one})?"
    return {
        "n": rf"(?<![/\d]){number}",  # never the "10" of "9/10"
        "amount": rf"(?:{_alternatives(tables.amounts)}|{number})",
        "unit": _alternatives(tables.units),
        "weekday": _alternatives(tables.weekdays),
        "month": _alternatives(tables.months),
        "relday": _alternatives(tables.relative_days),
        "day": r"\d{1,2}(?:st|nd|rd|th)?",
        # a time of day on a clock ("4am", "5.30 pm", "2 a.m."): earlier today, 0 days
        "clock": r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.?|p\.m\.?)(?![\w])",
        # a two- or three-digit number: an adult's age beside "m" or "f" ("33 m", "45 F.")
        "nn": r"\d{2,3}",
        "d": r"\d{1,3}",  # a number in digits only: "3 weeks", not "clean two years"
        # a two- or three-digit number set off by commas or full stops: "builder, 45, back went",
        # "Back pain. 39."
        "lone": r"(?:(?<=^)\d{2,3}(?=\s*,|\.\s)"
        r"|(?:(?<=,)|(?<=,\s)|(?<=[.!?]\s))\d{2,3}(?=\s*(?:,|\.(?!\d)|$)))",
    }


def _alternatives(words: Mapping[str, object]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    escaped = (SEP.join(re.escape(part) for part in word.split()) for word in ordered)
    return "(?:" + "|".join(escaped) + r")(?![\w'])"


def _compile(parsed: LexiconFile, findings: Mapping[str, Finding]) -> Lexicon:
    problems: list[str] = []
    slots = slot_patterns(parsed.tables)
    phrases: list[Phrase] = []
    for name, entry in parsed.findings.items():
        where = f"lexicon.yaml: findings: {name}"
        finding = findings.get(name)
        if finding is None:
            problems.append(f"{where}: not a finding id in findings.yaml")
            continue
        problems.extend(f"{where}: {p}" for p in _fit_problems(entry, finding))
        problems.extend(
            f"{where}: only_with {other}: not a yes/no finding id"
            for other in entry.only_with
            if other not in findings or findings[other].type != "bool"
        )
        try:
            phrases.extend(_entry_phrases(name, entry, slots))
        except PhraseError as error:
            problems.append(f"{where}: {error}")
    for category in CATEGORIES:
        cues = parsed.context.cues(category)
        for cue in [*cues.forward, *cues.backward, *cues.pseudo, *cues.termination]:
            if cue != cue.lower() or not _PLAIN_CUE.fullmatch(cue):
                problems.append(
                    f"lexicon.yaml: context: {category}: {cue!r}: "
                    "cues are plain lower-case words (no notation)"
                )
    if problems:
        raise LexiconError(problems)
    return Lexicon(parsed, tuple(phrases))


def _fit_problems(entry: Entry, finding: Finding) -> list[str]:
    out: list[str] = []
    words = entry.present or entry.absent or entry.general or entry.topic
    if finding.type == "bool":
        if entry.options or entry.values:
            out.append("a yes/no finding takes present, absent, general or topic words")
    elif finding.type == "choice":
        if words or entry.values:
            out.append("a choice finding takes options")
        for option in entry.options:
            if option not in finding.options:
                out.append(f"option {option!r} is not one of {', '.join(finding.options)}")
    elif words or entry.options or entry.values is None:
        out.append("a numeric finding takes values")
    return out


def _entry_phrases(finding: str, entry: Entry, slots: Mapping[str, str]) -> list[Phrase]:
    out: list[Phrase] = []
    groups: list[tuple[Kind, str, list[str]]] = [
        ("present", "", entry.present),
        ("absent", "", entry.absent),
        ("general", "", entry.general),
        ("topic", "", entry.topic),
        *(("option", option, words) for option, words in entry.options.items()),
    ]
    for kind, option, words in groups:
        plain = [word for word in words if not _apart(word)]
        if plain:
            parts = tuple(re.compile(compile_phrase(word), re.IGNORECASE) for word in plain)
            out.append(Phrase(finding, kind, _union(plain), option, parts=parts))
        for word in words:
            if _apart(word):
                regex = re.compile(compile_phrase(word, slots), re.IGNORECASE)
                out.append(Phrase(finding, kind, regex, option, "..." in word))
    if entry.values:
        stop = ""
        if entry.values.not_followed_by:
            after = "|".join(
                compile_phrase(p, slots, word_start=False) for p in entry.values.not_followed_by
            )
            stop = rf"(?![\s,\-]*(?:{after}))"
        numbers: list[tuple[Kind, list[str]]] = [
            ("value", entry.values.phrases),
            ("fallback", entry.values.fallback),
        ]
        for kind, group in numbers:
            for phrase in group:
                regex = re.compile(compile_phrase(phrase, slots) + stop, re.IGNORECASE)
                out.append(Phrase(finding, kind, regex, "", "..." in phrase))
    return out


def _apart(phrase: str) -> bool:
    """Compiled on its own: a slot is a named group (one per regex), a gap is marked."""
    return "{" in phrase or "..." in phrase


def _union(words: list[str]) -> re.Pattern[str]:
    """One regex for several slot-free phrases, to find where any of them matches (the
    mention then runs as far as the longest that matches there: `Phrase.longest`)."""
    sources = [compile_phrase(word) for word in sorted(words, key=len, reverse=True)]
    return re.compile("|".join(f"(?:{source})" for source in sources), re.IGNORECASE)
