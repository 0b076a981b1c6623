"""Whose story is it: texts about someone else are read about that person."""

from __future__ import annotations

import datetime as dt

import pytest

from backspasm.text.reading import parse_text
from tests.support.knowledge import reader

SATURDAY = dt.date(2026, 11, 21)

ROWS: list[tuple[str, bool, dict[str, object]]] = [
    (
        "My husband is 70 and his back has been killing him since yesterday, he says he "
        "can't feel his bum when he wipes",
        True,
        {"age": 70, "sex": "male", "pain_duration_days": 1, "saddle_numbness": True},
    ),
    ("My wife (48) has had back pain for a week", True, {"age": 48, "sex": "female"}),
    ("My father is 84 and his legs are weak", True, {"age": 84, "leg_weakness": True}),
    ("my daughter is 15, she hurt her back at netball", True, {"age": 15, "sex": "female"}),
    ("she's 62 and she can't pee properly", True, {"age": 62, "bladder_retention": True}),
    # the writer's own story, with other people in it
    (
        "My mum had cancer and my back went yesterday lifting a box",
        False,
        {"trigger_lifting": True},
    ),
    ("I helped my husband move a sofa and my back went", False, {"trigger_lifting": True}),
    ("My dad died of bowel cancer and my sister has osteoporosis.", False, {}),
    ("My brother has a slipped disc and he says this is the same. I've never had one.", False, {}),
]


@pytest.mark.parametrize(("text", "other", "expected"), ROWS)
def test_subject_and_findings(text: str, other: bool, expected: dict[str, object]) -> None:
    parsed = parse_text(text, SATURDAY, reader())
    assert parsed.subject.other is other
    for name, value in expected.items():
        assert parsed.findings.get(name) == value, name
    if not other:
        assert "history_of_cancer" not in parsed.findings
        assert "known_disc_problem" not in parsed.findings


def test_the_evidence_quotes_the_original_words() -> None:
    parsed = parse_text("My wife (48) says her bum feels numb", SATURDAY, reader())
    assert parsed.evidence["saddle_numbness"] == "bum feels numb"
    assert parsed.evidence["sex"] == "My wife"
