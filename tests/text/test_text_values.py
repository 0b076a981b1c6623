"""Durations as people give them: the episode's own, in everyday words, from the caller's date."""

from __future__ import annotations

import datetime as dt

import pytest

from backspasm.text.reading import parse_text
from tests.support.knowledge import reader

SATURDAY = dt.date(2026, 11, 21)
READER = reader()


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("it started last weekend", 7),
        ("off work with it since the 14th", 7),
        ("since the 28th", 24),  # of last month: the 28th of this one is still to come
        ("sore for a week and a half", 10),
        ("it's been ten days now", 10),
        ("Back pain 3 months, 5/10.", 90),
        # the number next to the back pain, not the later symptom's "since this morning"
        ("Low back pain for 5 days and since this morning my foot is numb.", 5),
        # a time on the clock is today; a day count; "been bad about"; non-native word order
        ("Lower back pain coming in waves since 4am.", 0),
        ("my back went at 5.30 pm", 0),
        ("my back still hurts. Day 6 of this.", 6),
        ("My back's been bad about three weeks.", 21),
        ("woke in the night with back pain so bad I couldn't lie still", 1),
        ("Back is hurt very much after I fall. Now is two days.", 2),
    ],
)
def test_duration(text: str, days: int) -> None:
    assert parse_text(text, SATURDAY, READER).findings["pain_duration_days"] == days


@pytest.mark.parametrize(
    "text",
    [
        "My son is a 30-year-old builder.",
        "I'm 34 weeks pregnant.",
        "clean two years",
        "I've been sober two years.",
    ],
)
def test_numbers_that_are_not_a_duration(text: str) -> None:
    assert "pain_duration_days" not in parse_text(text, SATURDAY, READER).findings


@pytest.mark.parametrize(
    ("text", "score"),
    [
        # the "10" of "9/10" is never a score of its own
        ("Since Monday my back's been in bits, pain 9/10 at its worst.", 9),
        ("they'd call it a six", 6),
        ("I would rate it 8.", 8),
        ("it's a 6 most of the time and a 9 when he climbs down from the cab", 9),
        ("About 5/10 resting, 8 when I bend.", 8),
        ("I have pain in the back since three days, very strong, like 8.", 8),
    ],
)
def test_severity(text: str, score: int) -> None:
    assert parse_text(text, SATURDAY, READER).findings["pain_severity"] == score
