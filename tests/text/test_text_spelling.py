"""Misspelt words are mended towards the lexicon; real words and known stems are left alone."""

from __future__ import annotations

import datetime as dt

from backspasm.text.reading import parse_text
from backspasm.text.spelling import mend
from tests.support.knowledge import reader

SPELLER = reader().speller
SATURDAY = dt.date(2026, 11, 21)


def test_a_typo_is_mended_and_the_evidence_quotes_what_was_written() -> None:
    parsed = parse_text("numbness arround my bottm", SATURDAY, reader())
    assert parsed.findings["saddle_numbness"] is True
    assert parsed.evidence["saddle_numbness"] == "numbness arround my bottm"


def test_real_words_and_lexicon_stems_stay_as_written() -> None:
    for text in ("I was sending an email", "spasming all night", "after deadlifts"):
        assert mend(SPELLER, text).text == text


def test_the_map_back_points_at_the_original_characters() -> None:
    text = "bad bottm here"
    mended = mend(SPELLER, text)
    assert mended.text == "bad bottom here"
    start = mended.text.index("here")
    assert text[slice(*mended.span(start, start + 4))] == "here"


def test_texting_shorthand_is_read_as_the_words_it_stands_for() -> None:
    assert mend(SPELLER, "hot n cold w/ pain, cant pee rn").text == (
        "hot and cold with pain, cant pee right now"
    )
    parsed = parse_text("keep going hot n cold since yday", SATURDAY, reader())
    assert parsed.findings["fever"] is True
    assert parsed.evidence["fever"] == "going hot n cold"


def test_shorthand_next_to_an_apostrophe_or_inside_a_word_stays() -> None:
    for text in ("rock 'n' roll", "a u-bend", "ward n2"):
        assert mend(SPELLER, text).text == text
    # left and right stay letters (review TR-08: "r" is not read as "are")
    assert mend(SPELLER, "sciatica down L n R leg").text == "sciatica down L and R leg"
