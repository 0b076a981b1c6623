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
    # a person the writer calls "they"
    (
        "My partner is 34 and their back went yesterday lifting a sofa. They can't feel their "
        "bum when they wipe and they haven't peed since last night.",
        True,
        {"age": 34, "saddle_numbness": True, "bladder_retention": True, "trigger_lifting": True},
    ),
    (
        "my flatmate (29) hurt their back at the gym, they say it's an 8 out of 10",
        True,
        {"age": 29, "pain_severity": 8},
    ),
    # a note of the pronouns the person uses, a first name, an age in words, a name after a comma
    (
        "My partner (they/them, 29) did their back in at the climbing wall. They can't "
        "straighten up.",
        True,
        {"age": 29, "cannot_stand_straight": True},
    ),
    ("flatmate (they) is 27 and has had back pain for 5 weeks", True, {"age": 27}),
    ("My pal Jo (she/her, 44) hurt her back on a run, she says it's 3/10", True, {"age": 44}),
    ("Dad's seventy-two. His back's been bad and his legs are weak.", True, {"age": 72}),
    (
        "at the hospital now, mum (84) slipped on the floor this morning and hurt her back",
        True,
        {"age": 84, "pain_duration_days": 0},
    ),
    # the age before the person (review TR-07): a 15-year-old goes to the children's page
    ("My 15yo daughter has back pain, she wakes at night with it", True, {"age": 15}),
    ("my 70 year old dad has had back pain for a week", True, {"age": 70}),
    # the writer's own story, with other people in it
    (
        "My mum had cancer and my back went yesterday lifting a box",
        False,
        {"trigger_lifting": True},
    ),
    ("I helped my husband move a sofa and my back went", False, {"trigger_lifting": True}),
    ("My dad died of bowel cancer and my sister has osteoporosis.", False, {}),
    ("My brother has a slipped disc and he says this is the same. I've never had one.", False, {}),
    # care notes: a resident named by title and initial, the age in brackets or commas; words
    # in quotes ("'killing her' since Wednesday"); a bracketed aside is its own clause, so the
    # steroids in it do not date the back pain
    (
        "Client (Mrs H, 88, on prednisolone for years for her chest) says her back is "
        "'killing her' since Wednesday.",
        True,
        {"age": 88, "sex": "female", "pain_duration_days": 3},
    ),
    (
        "Mr J (85) has had increasing back pain, dragging his right foot.",
        True,
        {"age": 85, "sex": "male"},
    ),
    ("Resident (Mr S, 79) reports low back pain 7/10.", True, {"age": 79}),
    # "ma boy's 35", "our young lad is 26": the person's age, not a possessive
    ("Ma boy's 35 an he's hurt his back.", True, {"age": 35, "sex": "male"}),
    ("Our young lad is 26, in a bad way with his back.", True, {"age": 26, "sex": "male"}),
    # "they" as the doctors, in the writer's own story
    ("They said at the hospital it was a disc. My back went on Monday lifting a box.", False, {}),
    (
        "they felt my back and they reckon it's a disc. My back went on Monday lifting a box.",
        False,
        {"trigger_lifting": True},
    ),
]


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("I am 50, my dad is 79 and his back has been bad since Tuesday", 79, "male"),
        ("I'm 38, writing about my boy who is 13, he hurt his back at football", 13, "male"),
        # two ages and no word tying one to the son: the age is asked, never guessed
        ("52F here, asking for my son who is 12. He can't stand up straight.", None, "male"),
    ],
)
def test_the_writers_own_age_and_sex_are_never_the_persons(
    text: str, age: int | None, sex: str
) -> None:
    """A carer's age read as the patient's would send a child to adult care (review TR-01)."""
    parsed = parse_text(text, SATURDAY, reader())
    assert parsed.subject.other
    assert parsed.findings.get("age") == age
    assert parsed.findings["sex"] == sex


def test_the_writers_own_symptoms_are_not_the_persons() -> None:
    text = (
        "My husband is 70 and his back has been killing him since he fell. He can't stand up "
        "straight. I can't feel my bum when I wipe either, funnily enough."
    )
    parsed = parse_text(text, SATURDAY, reader())
    assert parsed.subject.other
    assert parsed.findings["cannot_stand_straight"] is True
    assert "saddle_numbness" not in parsed.findings


def test_a_clause_about_the_writer_alone_is_not_read_about_the_person() -> None:
    """Review TR-06: the carer's own "I'm peeing fine" is not the husband's denial."""
    text = "My husband's back has gone, he can't feel his bum. I have back pain too but I'm peeing fine"
    parsed = parse_text(text, SATURDAY, reader())
    assert parsed.findings["saddle_numbness"] is True
    assert "bladder_retention" not in parsed.findings


def test_a_person_called_they_is_asked_about_as_they() -> None:
    parsed = parse_text("My partner is 34 and they can't feel their legs", SATURDAY, reader())
    assert (parsed.subject.other, parsed.subject.pronoun, parsed.subject.sex) == (True, "they", "")
    assert "sex" not in parsed.findings


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
