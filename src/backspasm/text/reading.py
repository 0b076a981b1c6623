"""Turn a person's own description into findings: `parse_text(text, today, reader)`.

Misspelt words are mended first (`spelling.py`); mentions come from the lexicon
(`mentions.py`), their context from NegEx (`context.py`),
and this module decides each finding's value:

- yes/no: a mention that says it is present makes it true; otherwise doubt ("not sure if I have
  a temperature") makes it uncertain, which is never false; otherwise a negated mention or an
  `absent` phrase makes it false (an `absent` phrase stays false under a negation, which is a
  list: "no pins and needles, nothing down my legs").
- red flags: text can raise one, never close one by a general negation. A red flag is false
  only from a negated `present` phrase without a gap or an `absent` phrase, words that name
  that exact thing ("no numbness around my bottom"); a negated `topic` ("no numbness") or a
  `general` phrase ("bladder and bowels fine") leaves it unknown. Even then the interview
  shows it to be confirmed (`ParsedText.to_confirm`).
- choices: the first (or last, per the lexicon) option mentioned and not negated.
- numbers: from value phrases, the first (or the largest, per the lexicon), within the
  finding's bounds; `fallback` phrases only when no phrase matched; when the lexicon names
  `near` words, a number next to one of them ("back pain for 5 days") comes before the others,
  of either kind; none from a clause about
  a finding of a group the lexicon names in `not_with` ("I had cancer five years ago").
- what other people have ("my mum had cancer") and what-ifs ("if I get numbness") are dropped;
  but a text about someone else ("my husband is 70, he can't feel his bum") is read about that
  person (`text_subject`), and the word that names them gives their sex.

A `Reader` holds everything reading needs from one knowledge base, made once: the compiled
lexicon, its clause and people patterns, and (built on its first parse) the speller and the
spaCy pipeline. The faces make one per knowledge base they load and keep it; nothing here
keeps a module-level cache.

Pure: the same text and date give the same result. Importing this module does not import spaCy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from backspasm.engine.answers import AnswerError, Answers, validate_answers
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.schema import Finding
from backspasm.text.context import Label, build_pipeline, contexts
from backspasm.text.lexicon import Entry, Lexicon, load_lexicon
from backspasm.text.mentions import (
    Mention,
    clause_break_pattern,
    clause_numbers,
    find_mentions,
    normalise,
)
from backspasm.text.spelling import Mended, Speller, mend
from backspasm.text.subject import (
    SELF,
    WRITER_MASK,
    Subject,
    find_subject,
    in_first_person,
    people_patterns,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

Value = bool | int | float | str
DROPPED: tuple[Label, ...] = ("family", "hypothetical")


@dataclass(frozen=True)
class ParsedText:
    findings: dict[str, Value] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    uncertain: list[str] = field(default_factory=list)
    subject: Subject = SELF

    def to_json(self) -> dict[str, object]:
        return {
            "findings": self.findings,
            "evidence": self.evidence,
            "uncertain": self.uncertain,
            "subject": "other" if self.subject.other else "self",
        }

    def to_confirm(self, kb: KnowledgeBase) -> list[str]:
        """Red flags the text denied: the interview asks them again, never takes them as read."""
        return [n for n, v in self.findings.items() if v is False and kb.findings[n].red_flag]

    def settled(self, kb: KnowledgeBase) -> dict[str, Value]:
        """The findings that can stand as answers: all but the red flags to confirm."""
        confirm = set(self.to_confirm(kb))
        return {n: v for n, v in self.findings.items() if n not in confirm}

    def answers(self, kb: KnowledgeBase) -> Answers:
        """The settled findings that are valid answers; one the text got wrong (out of range,
        say) is left to the interview to ask."""
        out: Answers = {}
        for name, value in self.settled(kb).items():
            try:
                out.update(validate_answers(kb, {name: value}))
            except AnswerError:
                continue
        return out


class Reader:
    """What reading a text needs from one knowledge base: the packaged lexicon, checked
    against its findings and compiled, with the patterns made from it. The speller and the
    spaCy pipeline (the slow parts) are built on the first parse that needs them and kept."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.lexicon: Lexicon = load_lexicon(kb.findings)
        self.clause_break = clause_break_pattern(self.lexicon)
        self.people = people_patterns(self.lexicon)
        self.denial = denial_pattern(self.lexicon)
        self.doubt = doubt_pattern(self.lexicon)

    @cached_property
    def speller(self) -> Speller:
        return Speller(self.lexicon)

    @cached_property
    def pipeline(self) -> Language:
        return build_pipeline(self.lexicon)


def parse_text(text: str, today: dt.date, reader: Reader) -> ParsedText:
    """The findings `text` states, read with `reader` (one per knowledge base)."""
    kb, lexicon = reader.kb, reader.lexicon
    mended = mend(reader.speller, normalise(text))  # "numbnes" -> "numbness", with a map back
    clean = mended.text
    subject = find_subject(reader.people, clean)
    if subject.other:  # "my husband ... he can't feel his bum": read as his own words
        clean = in_first_person(reader.people, clean, subject.pronoun)
    mentions = find_mentions(lexicon, clean, today)
    labels = contexts(reader.pipeline, clean, mentions) if mentions else []
    # a form or a checklist answers each item after it: "Numbness? no", "Fever: yes"
    labels = [_answered(clean, m) or label for m, label in zip(mentions, labels, strict=True)]
    # "I have not had a temperature that I know of": a denial hedged right after it is doubt
    labels = [
        "uncertain" if label == "negated" and _HEDGED.match(clean, m.end) else label
        for m, label in zip(mentions, labels, strict=True)
    ]
    clauses = clause_numbers(reader.clause_break, clean)
    groups_in_clause: dict[int, set[str]] = {}
    for mention in mentions:
        groups_in_clause.setdefault(clauses[mention.start], set()).add(
            kb.findings[mention.finding].group
        )
    by_finding: dict[str, list[tuple[Mention, Label]]] = {}
    for mention, label in zip(mentions, labels, strict=True):
        yes_no = kb.findings[mention.finding].type == "bool"
        if yes_no and label == "" and mention.kind == "present":
            # "my bum feels numb, but I might be imagining it": asked again, never "no"
            label = "uncertain" if _doubted(reader.doubt, clean, mention) else label
        if subject.other and _the_writers(clean, clauses, mention):
            continue  # "my husband can't pee ... I'm peeing fine myself": the writer's own
        values = lexicon.entries[mention.finding].values
        if values and set(values.not_with) & groups_in_clause[clauses[mention.start]]:
            continue  # "I had cancer five years ago": the number dates something else
        if label not in DROPPED:
            by_finding.setdefault(mention.finding, []).append((mention, label))
    findings: dict[str, Value] = {}
    evidence: dict[str, str] = {}
    uncertain: list[str] = []
    for name, finding in kb.findings.items():
        heard = by_finding.get(name)
        if not heard:
            continue
        if finding.type == "bool":
            value, used = _yes_no(reader.denial, clean, heard, red_flag=finding.red_flag)
        elif finding.type == "choice":
            entry = lexicon.entries[name]
            value, used = _choice(
                heard if entry.negatable else [(m, "") for m, _ in heard], entry.pick
            )
        else:
            value, used = _number(clean, heard, finding, lexicon.entries[name])
        if value == "uncertain":
            uncertain.append(name)
        elif value is not None:
            findings[name] = value
        if value is not None:
            evidence[name] = _words(text, used, mended)
    for name in list(findings) + uncertain:  # "comes in waves" is labour only in a pregnancy
        if any(findings.get(other) is not True for other in lexicon.entries[name].only_with):
            findings.pop(name, None)
            evidence.pop(name, None)
            uncertain = [n for n in uncertain if n != name]
    if subject.sex and (subject.other or "sex" not in findings) and "sex" in kb.findings:
        # "my husband": the word gives the sex, and in a story about someone else it wins over
        # "52F here", which is the writer's
        findings["sex"] = subject.sex
        start, end = mended.span(subject.start, subject.end)
        evidence["sex"] = text[start:end] or subject.pronoun
    return ParsedText(findings, evidence, uncertain, subject)


# in a story put in the first person, "i", "my" and "me" are the person's (the writer's own
# are masked: `subject.WRITER_MASK`)
_PERSON = re.compile(r"(?<![\w'])(?:i|i'm|im|i've|ive|my|me|myself)(?![\w'])", re.IGNORECASE)


# "Fever? yes", "Numbness: none", "chest pain - no.", "Legs weak? Not sure": an answer right
# after the item (past a few words of its label), ending where the answer ends
_ANSWER = re.compile(
    r"[\w/' ]{0,24}?\s*(?:\?+|:|\s[-\u2013\u2014=]+)\s*"
    r"(?:(?P<no>no|nope|none|nil|nah|n|neg|negative|denied|denies|not really|never)"
    r"|(?P<yes>yes|y|yep|yeah|yup|positive|present)"
    r"|(?P<unsure>not sure|unsure|dunno|don'?t know|maybe|possibly|\?))"
    r"(?![\w'])\s*(?:[.,;!\n]|$|[-\u2013\u2014\u2022*])",
    re.IGNORECASE,
)
_ANSWERED: dict[str, Label] = {"no": "negated", "yes": "", "unsure": "uncertain"}
# Hedges that qualify the statement just before them. Not the lexicon's whole list of doubt
# said after (`context.uncertain.backward`): that holds "not sure", which after a denial
# usually begins the next item ("no fever, not sure about the numbness" keeps "no fever").
_HEDGED = re.compile(
    r"[\s,]*(?:that\s+i\s+know\s+of|as\s+far\s+as\s+i\s+know|that\s+i'?m\s+aware\s+of|"
    r"i\s+think|i\s+don'?t\s+think|i\s+guess|not\s+that\s+i'?ve\s+noticed|i'?m\s+not\s+sure)"
    r"(?![\w'])",
    re.IGNORECASE,
)


def _answered(text: str, mention: Mention) -> Label | None:
    """The label a form's answer gives the item it follows, or None if none follows."""
    found = _ANSWER.match(text, mention.end)
    if found is None:
        return None
    return next(_ANSWERED[kind] for kind, value in found.groupdict().items() if value)


def doubt_pattern(lexicon: Lexicon) -> re.Pattern[str] | None:
    """The lexicon's words of doubt about a whole sentence, as one regex (on the Reader)."""
    words = sorted(lexicon.context.doubt_in_sentence, key=len, reverse=True)
    if not words:
        return None
    alternatives = [r"\s+".join(re.escape(part) for part in word.split()) for word in words]
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])", re.IGNORECASE)


def _doubted(doubt: re.Pattern[str] | None, text: str, mention: Mention) -> bool:
    """Words of doubt anywhere in the mention's sentence; a question mark does not end it
    ("pee looks pinkish?? idk maybe its the beetroot")."""
    if doubt is None:
        return False
    start = max(text.rfind(mark, 0, mention.start) for mark in ".!\n") + 1
    ends = [i for i in (text.find(mark, mention.end) for mark in ".!\n") if i >= 0]
    return doubt.search(text, start, min(ends) if ends else len(text)) is not None


def _the_writers(text: str, clauses: Sequence[int], mention: Mention) -> bool:
    """A clause in which the writer speaks of themselves and the person is not named."""
    clause = clauses[mention.start]
    start, end = mention.start, mention.end
    while start > 0 and clauses[start - 1] == clause:
        start -= 1
    while end < len(clauses) and clauses[end] == clause:
        end += 1
    words = text[start:end]
    return WRITER_MASK in words and _PERSON.search(words) is None


def _words(text: str, used: Sequence[Mention], mended: Mended) -> str:
    """The words the value came from, as written; touching mentions read as one stretch."""
    stretches: list[list[int]] = []
    for mention in sorted(used, key=lambda m: m.start):
        start, end = mended.span(mention.start, mention.end)
        if stretches and not text[stretches[-1][1] : start].strip():
            stretches[-1][1] = max(stretches[-1][1], end)
        else:
            stretches.append([start, end])
    return " … ".join(dict.fromkeys(text[start:end] for start, end in stretches))


def _yes_no(
    denial: re.Pattern[str], text: str, heard: Sequence[tuple[Mention, Label]], red_flag: bool
) -> tuple[Value | None, list[Mention]]:
    said: dict[str, list[Mention]] = {"yes": [], "unsure": [], "no": []}
    for mention, label in heard:
        general = mention.kind == "general" or (mention.kind == "topic" and label == "negated")
        if label == "uncertain":
            said["unsure"].append(mention)
        elif mention.kind == "present" and (label != "negated" or _own_negation(mention)):
            said["yes"].append(mention)  # "haven't been, and I can't feel when I need a wee"
        elif mention.kind == "present" and not red_flag:
            said["no"].append(mention)
        elif mention.kind == "present" and _answered(text, mention) == "negated":
            said["no"].append(mention)  # a red flag a form answers "no" right after its words
        elif mention.kind == "present" and not mention.gapped:
            if _denied_close(denial, text, mention):  # a red flag: only a denial next to it
                said["no"].append(mention)
        elif mention.kind == "absent" and label == "negated" and _turned(text, mention):
            if red_flag:  # "I'm not peeing normally": something is wrong, the interview asks
                said["unsure"].append(mention)
        elif mention.kind == "absent" or (general and not red_flag):
            said["no"].append(mention)  # a negated "absent" is a list under one "no"
    if said["yes"]:
        return True, said["yes"]
    if said["unsure"]:
        return "uncertain", said["unsure"]
    if said["no"]:
        return False, said["no"]
    return None, []


# Words that deny: a phrase that holds one ("can't feel my bum") says the thing is present,
# whatever "no" stands further back in the sentence.
_DENIAL = re.compile(
    r"(?<![\w'])(?:no|not|never|nothing|without|cannot|"
    r"(?:do|does|did|is|are|was|were|have|has|had|ca|could|wo|would)n'?t)(?![\w'])",
    re.IGNORECASE,
)
CLOSE_WORDS = 4  # a red flag is denied by a cue this close to its words,
LIST_WORDS = 12  # or by one at the head of a list this long that starts no new clause
_NEW_CLAUSE = re.compile(
    r"(?<![\w'])(?:i|i'm|im|i've|ive|me|he|she|it|had|has|have|was|were|is|are|been|went|got|"
    r"felt|feel|then|when|now|but|until|since|after|before)(?![\w'])",
    re.IGNORECASE,
)


def _own_negation(mention: Mention) -> bool:
    return _DENIAL.search(mention.words) is not None


def denial_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """The lexicon's negation cues as one regex (built once, on the Reader)."""
    cues = lexicon.context.negated
    words = sorted({*cues.forward, *cues.backward}, key=len, reverse=True)
    return re.compile(
        r"(?<![\w'])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w'])", re.IGNORECASE
    )


# "not", "no longer", "isn't" right before words that say all is well turn them: "I'm not
# peeing normally", "it doesn't feel normal when I wipe"
_TURNED = re.compile(
    r"(?<![\w'])(?:not|no\s+longer|never|(?:do|does|did|is|are|was|were|ca|could)n'?t)"
    r"(?:\s+(?:really|quite|been|be|always|as|so|very))?\s*$",
    re.IGNORECASE,
)
# a "no" at the head of a list does not reach past these onto a red flag: "no fever and a
# numb bum" says the bum is numb
_JOINED = re.compile(r"(?<![\w'])(?:and|&|plus|but|n)(?![\w'])", re.IGNORECASE)


# a "not" that negates a verb of its own, unlike a list's head ("no fever, numbness or...")
_VERB_NOT = re.compile(r"not|(?:do|does|did|is|are|was|were|ca|could|wo|would)n'?t", re.IGNORECASE)


def _turned(text: str, mention: Mention) -> bool:
    """A negation right before words that deny: the words then say something is wrong."""
    return _TURNED.search(text[: mention.start]) is not None


def _denied_close(cue: re.Pattern[str], text: str, mention: Mention) -> bool:
    """A negation cue next to a red flag's own words, in the same sentence: "no numbness
    around my bottom", "denies fever, saddle anaesthesia or leg weakness" (a list), but not
    "didn't feel myself needing a poo and had an accident in my pants" (a new clause), nor
    "no fever and a numb bum" (another thing joined on)."""
    sentence = re.split(r"[.!?;\n]", text[: mention.start])[-1]
    after = re.split(r"[.!?;\n]", text[mention.end :])[0].split()[:2]
    if cue.search(" ".join(after)):
        return True
    cues = list(cue.finditer(sentence))
    if not cues:
        return False
    between = sentence[cues[-1].end() :]
    if _JOINED.search(between):
        return False
    if "," in between and _VERB_NOT.fullmatch(cues[-1].group(0)):
        return False  # "not able to stand, legs giving way": the "not" has its own verb
    if len(between.split()) <= CLOSE_WORDS:
        return True
    return len(between.split()) <= LIST_WORDS and not _NEW_CLAUSE.search(between)


def _next_to(text: str, mention: Mention, words: Sequence[str]) -> bool:
    """A `near` word within a few words of the mention, in the same sentence."""
    before = re.split(r"[.!?;\n]", text[: mention.start])[-1].split()[-NEAR_WORDS[0] :]
    after = re.split(r"[.!?;\n]", text[mention.end :])[0].split()[: NEAR_WORDS[1]]
    pattern = r"(?<![\w'])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w'])"
    window = " ".join([*before, mention.words, *after])
    return re.search(pattern, window, re.IGNORECASE) is not None


def _choice(
    heard: Sequence[tuple[Mention, Label]], pick: str
) -> tuple[Value | None, list[Mention]]:
    options = [mention for mention, label in heard if label != "negated" and mention.option]
    if not options:
        return None, []
    chosen = options[-1] if pick == "last" else options[0]
    return chosen.option, [chosen]


NEAR_WORDS = (4, 2)  # words before and after a number in which a `near` word marks it


def _number(
    text: str, heard: Sequence[tuple[Mention, Label]], finding: Finding, entry: Entry
) -> tuple[Value | None, list[Mention]]:
    assert finding.min is not None and finding.max is not None
    fitting = [  # negation does not reach numbers: "no numbness, 38M" is still 38
        mention
        for mention, _ in heard
        if mention.value is not None and finding.min <= mention.value <= finding.max
    ]
    near = entry.values.near if entry.values else []
    if near:  # the numbers next to a `near` word, if any, of either kind
        fitting = [m for m in fitting if _next_to(text, m, near)] or fitting
    pick = entry.values.pick if entry.values else "first"
    primary = [m for m in fitting if m.kind == "value"]
    primary = primary or [m for m in fitting if m.kind == "fallback"]
    if not primary:
        return None, []
    if pick == "agreed" and len({m.value for m in primary}) > 1:
        return None, []  # two different numbers: the interview asks
    chosen = max(primary, key=lambda m: m.value or 0.0) if pick == "max" else primary[0]
    assert chosen.value is not None
    value: Value = int(chosen.value) if float(chosen.value).is_integer() else chosen.value
    if finding.type == "int":
        value = int(chosen.value)
    return value, [chosen]
