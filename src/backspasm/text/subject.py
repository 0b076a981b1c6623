"""Whose story is it: the writer's own, or someone else's ("my husband is 70 and his back...").

`find_subject` weighs what the text says about a named person or a he/she ("his back", "she
can't", "my wife (48)") against what it says about the writer's own body ("my back", "I'm in
agony"). A text about someone else is then put in the first person, character for character
(`in_first_person`: "he can't feel his bum" reads as "i  can't feel my  bum"), so the lexicon,
written in the first person, reads it, and offsets into the original text still hold.
The people and body words come from the lexicon (`subject:`). Pure regex work.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from backspasm.text.lexicon import Lexicon

Sex = str  # "male", "female" or "" (the words do not say)


@dataclass(frozen=True)
class Subject:
    other: bool = False
    sex: Sex = ""
    pronoun: str = ""  # "he", "she", "they" (the writer's word for them), or "" (the writer)
    words: str = ""  # the words that named the person ("my husband"), for the evidence
    start: int = 0
    end: int = 0


SELF = Subject()
_THIRD_SUBJECT = (
    r"(?:he|she)(?:'?s|\s+(?:is|has|had|was|can'?t|cannot|feels|keeps|hurt|got|woke|fell|bent|seems|"
    r"seemed|looks|looked|felt|complains|complained|started|began|"
    r"lifted|twisted|couldn'?t|doesn'?t|isn'?t|won'?t))"
)
_NP_VERB = (
    r"(?:\s*\(|,?\s*\d|'s|\s+(?:is|has|had|was|hurt|can|can't|cant|cannot|says|keeps|woke|"
    r"fell|put|bent|lifted|twisted|slipped|went|did|does|doesn't|been|got|felt|feels|started|"
    r"suddenly|just|also|aged|who))"
)
# "my husband", "our son" ("ma boy", "mi granny"), or the person named first in a sentence
# or after a note's heading: "Son is 15, ...", "Re: Mrs G, 86", "Resident (Mr S, 79)"
_OWNER = r"(?:(?<![\w'])(?:my|our|ma|mi|mih)\s+|(?:^|(?<=[.!?:]\s)|(?<=,\s)|(?<=\()))"
_HURTS = r"(?:killing|hurting|bothering|wakes|woke|kills)"
# "they" for the person only where the words can hardly mean anyone else ("they said it's a
# disc", "they felt my back and reckon..." are the doctors): their own body, or a verb of
# feeling, moving or hurting
_THEY_SUBJECT = (
    r"they(?:'?re\s+(?:in|\d)|'?ve\s+(?:had|been|got)|\s+(?:are\s+in|can'?t|cannot|couldn'?t|feel|fell|"
    r"woke|keep|keeps|hurt|lifted|twisted|bent|slipped|complain|have\s+had))"
)
_AGE_BEFORE = r"(?P<age>\d{1,3})[\s\-]*(?:(?:year|yr)s?[\s\-]*old|yo|y/o|y\.o\.?)\s+"
_AGE = r"(?:\d{1,3}[\s\-]*(?:(?:year|yr)s?[\s\-]*old|yo|y/o|y\.o\.?)\s+)?"  # "my 15yo daughter"
_KIND = r"(?:(?:elderly|teenage|little|older|younger|eldest|youngest|young|wee)\s+)?"
# the words a writer puts in brackets for the pronouns the person uses: "(they/them, 29)",
# "(she/her) 44", "(nonbinary, 22)"
_PRONOUN_NOTE = (
    r"\(\s*(?:they|she|he|non-?binary|enby)(?:\s*/\s*(?:them|their|her|hers|him|his|they))*"
    r"\s*(?:\)\s*,?|,)"
)
# a first name after the person: "my friend Sam (33)", "my neighbour Mr Patel, 79" (capitals),
# or an initial in a care note: "Mrs D (91)", "Mr R, 88"
_NAME = r"(?-i:\s+(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z](?:[a-z]+|\.)?)?"
# what joins a person to their age: "my wife (48)", "my husband, 70", "my dad is 84",
# "mum who is 91", "hubby 58", "my partner (they/them, 29)", "flatmate (they) is 27"
_AGE_JOIN = (
    rf"(?:{_NAME}\s*{_PRONOUN_NOTE}\s*(?:is\s+)?|{_NAME}\s*\(|,?\s+who\s+is|{_NAME},|\s+is|'s|\s+aged?"
    r"|\s+who'?s|\s+(?=\d))"
)
# an age written as a word: "Dad's seventy-two"
_AGE_START = r"(?:\d|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?![\w']))"
_OBJECT_HER = (  # "her" as an object ("it wakes her at night"), not a possessive
    r"(?<![\w'])her(?=\s+(?:to|and|up|out|in|on|at|a|an|the|down|off|so|but|with|for|when|"
    r"if|now|too|again|this|yesterday|today|awake|from)(?![\w'])|\s*[.,;:!?)]|\s*$|'(?!\w))"
)


@dataclass(frozen=True)
class People:
    """The lexicon's people and body words as ready patterns (`people_patterns`), held by
    `reading.Reader`."""

    person: re.Pattern[str]  # "my husband", "our 15 year old son"
    person_acting: re.Pattern[str]
    person_aged: re.Pattern[str]  # "my wife (48)", "my dad is 84"
    third_body: re.Pattern[str]
    first_body: re.Pattern[str]
    people: dict[str, Sex]


def _words(words: Iterable[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(r"[\s\-]+".join(map(re.escape, w.split())) for w in ordered) + ")"


def people_patterns(lexicon: Lexicon) -> People:
    """The patterns for the lexicon's `subject:` words (built once per lexicon)."""
    people: dict[str, Sex] = {" ".join(k.split()): v for k, v in lexicon.subject.people.items()}
    body = _words(lexicon.subject.body)

    def person(group: str) -> str:
        return rf"{_OWNER}{_AGE}{_KIND}(?P<{group}>{_words(people)})(?![\w])"

    return People(
        person=re.compile(person("who"), re.IGNORECASE),
        person_acting=re.compile(
            rf"{person('who')}{_NP_VERB}|(?:for|about|behalf of)\s+{person('whom')}",
            re.IGNORECASE,
        ),
        person_aged=re.compile(
            rf"{person('who')}\s*{_AGE_JOIN}\s*{_AGE_START}|{_OWNER}{_AGE_BEFORE}{_KIND}{_words(people)}",
            re.IGNORECASE,
        ),
        third_body=re.compile(
            rf"(?<![\w'])(?:(?:his|her|their)\s+{body}|{_THIRD_SUBJECT}|{_THEY_SUBJECT}"
            rf"|{_HURTS}\s+(?:him|her|them))(?![\w'])",
            re.IGNORECASE,
        ),
        first_body=re.compile(
            rf"(?<![\w'])(?:my\s+{body}|{_HURTS}\s+me|i'?m\s+in\s+(?:agony|pain)|i'?m\s+\d{{2}}"
            rf"|i(?:'?ve|\s+have)\s+(?:got|had|never)|myself)(?![\w'])",
            re.IGNORECASE,
        ),
        people=people,
    )


def find_subject(patterns: People, text: str) -> Subject:
    """Who the text is about; `SELF` unless it says more about someone else than the writer."""
    named = patterns.person_acting.search(text)
    pronouns = len(patterns.third_body.findall(text))
    aged = patterns.person_aged.search(text)
    third = pronouns + len(patterns.person_acting.findall(text))
    first = len(patterns.first_body.findall(text))
    if not (pronouns or aged) or third <= first:
        return SELF  # "my dad died of bowel cancer" is family history, not his story
    mention = patterns.person.search(text, named.start() if named else 0)
    sex = ""
    words = ""
    start = end = 0
    if mention is not None:
        who = next(group for group in mention.groups() if group)
        sex = patterns.people.get(" ".join(who.lower().split()), "")
        words, start, end = mention.group(0), mention.start(), mention.end()
    he = len(re.findall(r"(?<![\w'])(?:he|his|him|himself|he's|hes)(?![\w'])", text, re.I))
    she = len(re.findall(r"(?<![\w'])(?:she|her|herself|she's|shes)(?![\w'])", text, re.I))
    if not sex:
        sex = "male" if he > she else "female" if she > he else ""
    pronoun = {"male": "he", "female": "she"}.get(sex, "")
    if not (he or she) and re.search(rf"(?<![\w'])(?:their|{_THEY_SUBJECT})", text, re.I):
        pronoun = "they"  # a partner the writer calls "they": the words give no sex
    return Subject(True, sex, pronoun, words, start, end)


# "i bends" after "she bends" became "i bends": the verb without its -s, padded
_THIRD_PERSON_VERB = (
    r"(?<![\w'])(?P<i>i\s+)(?P<verb>bend|move|twist|turn|cough|sneeze|walk|wipe|pee|wee|sit|"
    r"stand|lie|get|feel|lift|tri|reache|wake|sleep|go|need)(?P<s>e?s)(?![\w'])"
)


def _first_person_verb(match: re.Match[str]) -> str:
    verb = {"tri": "try", "reache": "reach"}.get(match.group("verb"), match.group("verb"))
    padding = len(match.group(0)) - len(match.group("i")) - len(verb)
    return match.group("i") + verb + " " * padding


def _same_length(replacement: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        original = match.group(0)
        if len(replacement) > len(original):
            return original
        return replacement + " " * (len(original) - len(replacement))

    return replace


_THEY_STEPS: list[tuple[str, str]] = [  # only for a person the writer calls "they"
    (r"(?<![\w'])they\s+are(?![\w'])", "i am"),
    (r"(?<![\w'])they\s+were(?![\w'])", "i was"),
    (r"(?<![\w'])they\s+have(?![\w'])", "i have"),
    (r"(?<![\w'])they\s+don'?t(?![\w'])", "i don't"),
    (r"(?<![\w'])they'?re(?![\w'])", "i'm"),
    (r"(?<![\w'])they'?ve(?![\w'])", "i've"),
    (r"(?<![\w'])they'?d(?![\w'])", "i'd"),
    (r"(?<![\w'])they(?![\w'])", "i"),
    (r"(?<![\w'])(?:themselves|themself)(?![\w'])", "myself"),
    (r"(?<![\w'])them(?![\w'])", "me"),
    (r"(?<![\w'])their(?![\w'])", "my"),
]


WRITER_MASK = "_"  # stands in for the writer's own "I", "me", "my": no phrase reads it


def in_first_person(patterns: People, text: str, pronoun: str = "") -> str:
    """The text with the other person put in the first person, and the writer's own "I",
    "me" and "my" masked (`WRITER_MASK`), so what the writer says of themselves is never
    read as the person's; the length never changes. `pronoun` "they": the writer calls the
    person "they", so those words are theirs too."""
    people = _words(patterns.people)
    person = rf"{_OWNER}{_AGE}{_KIND}{people}(?![\w])"

    def aged(match: re.Match[str]) -> str:
        # "my wife (48)", "my husband, 70," "dad 85": "i am" (or "i'm") where the name was
        head = match.group("head")
        said = "i am " if len(head) >= 5 else "i'm "
        if len(head) < len(said):
            return match.group(0)
        return said + " " * (len(head) - len(said)) + match.group("rest")

    # the writer's own words first: "I am 50, my dad is 79" is the dad's story, and the
    # writer's age, "I'm peeing fine" or "I've got numbness" must not become his
    writer = (
        rf"(?<![\w'])(?:i'?m|i'?ve|i'?d|i'?ll|i|me|myself|mine"
        rf"|my(?!\s+{_AGE}{_KIND}{people}))(?![\w'])"
    )
    text = re.sub(writer, lambda m: WRITER_MASK * len(m.group(0)), text, flags=re.IGNORECASE)

    def aged_before(match: re.Match[str]) -> str:
        # "my 15yo daughter", "our 70 year old dad": "i am 15" where the words were
        said = f"i am {match.group('age')}"
        whole = match.group(0)
        return whole if len(said) > len(whole) else said + " " * (len(whole) - len(said))

    steps: list[tuple[str, Callable[[re.Match[str]], str] | str]] = [
        (rf"(?P<head>{person}\s*{_AGE_JOIN}\s*)(?P<rest>{_AGE_START})", aged),
        (rf"{_OWNER}{_AGE_BEFORE}{_KIND}{people}(?![\w])", aged_before),
        (rf"{person}'s", "my"),
        (rf"{person}\s+is(?![\w'])", "i am"),
        (rf"{person}\s+has(?![\w'])", "i have"),
        (person, "i"),
        (r"(?<![\w'])(?:he|she)\s+is(?![\w'])", "i am"),
        (r"(?<![\w'])(?:he|she)\s+has(?![\w'])", "i have"),
        (r"(?<![\w'])(?:he|she)\s+does(?![\w'])", "i do"),
        (r"(?<![\w'])(?:he|she)\s+doesn'?t(?![\w'])", "i don't"),
        (r"(?<![\w'])(?:he|she)'?s(?=\s+(?:been|got|had)(?![\w']))", "i've"),
        (r"(?<![\w'])(?:he|she)'?s(?![\w'])", "i'm"),
        (r"(?<![\w'])(?:he|she)'d(?![\w'])", "i'd"),
        (r"(?<![\w'])(?:he|she)(?![\w'])", "i"),
        (r"(?<![\w'])(?:himself|herself)(?![\w'])", "myself"),
        (r"(?<![\w'])him(?![\w]|'\w)", "me"),  # also in quotes: "'killing him' since"
        (r"(?<![\w'])his(?![\w'])", "my"),
        (_OBJECT_HER, "me"),
        (r"(?<![\w'])her(?![\w'])", "my"),
        *(_THEY_STEPS if pronoun == "they" else []),
        (_THIRD_PERSON_VERB, _first_person_verb),
    ]
    for pattern, replacement in steps:
        replace = _same_length(replacement) if isinstance(replacement, str) else replacement
        text = re.sub(pattern, replace, text, flags=re.IGNORECASE)
    return text
