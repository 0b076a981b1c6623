"""Find where a text mentions a finding: every lexicon phrase that matches, with its value.

A word mention lying inside a longer one is dropped ("pins and needles" is not about needles,
"can't lift my foot" is weakness, not lifting), unless the longer one has a "..." gap, whose
match may run across words about other findings. A number never hides words ("29, male" is an
age and a sex), but words can hide a number ("worse than yesterday" dates nothing).
Pure regex work: no NLP library here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from backspasm.text.lexicon import Kind, Lexicon
from backspasm.text.values import read_value

# Characters people type that mean the same as plain ASCII; one for one, so offsets hold.
_SAME = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


@dataclass(frozen=True)
class Mention:
    finding: str
    kind: Kind
    start: int
    end: int
    words: str
    option: str = ""
    value: float | None = None
    gapped: bool = False


# A single quote that does not join two letters quotes words ("says he 'can't go' for a wee"):
# read as a space, so the words inside it join the words around it like any other word.
_QUOTE_MARK = re.compile(r"(?<![\w])'|'(?![\w])")


def normalise(text: str) -> str:
    """Curly quotes and dashes as plain ones, single quotation marks as spaces; the length never
    changes."""
    return _QUOTE_MARK.sub(" ", text.translate(_SAME))


def find_mentions(lexicon: Lexicon, text: str, today: dt.date) -> list[Mention]:
    """Every mention in `text` (already normalised), in text order."""
    found: list[Mention] = []
    for phrase in lexicon.phrases:
        for match in phrase.regex.finditer(text):
            value = None
            if phrase.kind in ("value", "fallback"):
                value = read_value(match.groupdict(), lexicon.tables, today)
                if value is None:
                    continue
            start, end = phrase.longest(match)
            found.append(
                Mention(
                    phrase.finding,
                    phrase.kind,
                    start,
                    end,
                    text[start:end],
                    phrase.option,
                    value,
                    phrase.gapped,
                )
            )
    kept = [m for m in found if not any(_inside(m, other) for other in found)]
    return sorted(kept, key=lambda m: (m.start, m.end, m.finding))


def _inside(short: Mention, long: Mention) -> bool:
    return (
        not long.gapped
        and long.kind not in ("value", "fallback")
        and long.start <= short.start
        and short.end <= long.end
        and long.end - long.start > short.end - short.start
    )


def clause_numbers(clause_break: re.Pattern[str], text: str) -> list[int]:
    """For each character, the number of the clause it is in: clauses end where
    `clause_break` (made by `clause_break_pattern`) matches."""
    ends = sorted({m.start() for m in clause_break.finditer(text)})
    numbers: list[int] = []
    clause = 0
    for position in range(len(text)):
        while clause < len(ends) and ends[clause] <= position:
            clause += 1
        numbers.append(clause)
    return numbers


def clause_break_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """Where a clause ends: at . ! ? ; : and brackets (an aside: "Mrs H (88, on steroids for
    her chest) says her back hurts since Wednesday") and at the lexicon's clause breaks
    ("but", ", and", "and now"...). Made once per lexicon (`reading.Reader`)."""
    words = sorted(lexicon.context.clause_breaks, key=len, reverse=True)
    alternatives = [r"\s+".join(re.escape(part) for part in word.split()) for word in words]
    return re.compile(
        r"[.!?;:\n()]|(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])", re.IGNORECASE
    )
