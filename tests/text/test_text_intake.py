"""parse_text on small, named behaviours: one row per rule it must keep.

Each row is (text, expected findings, expected uncertain). The rows are data; the meta-test at
the bottom proves the harness fails on a wrong row, so a passing table means something.
"""

from __future__ import annotations

import datetime as dt

import pytest

from backspasm.text.reading import ParsedText, parse_text
from tests.support.knowledge import reader

SATURDAY = dt.date(2026, 11, 21)

ROWS: list[tuple[str, dict[str, object], list[str]]] = [
    # negation
    # a general negation never closes a red flag: "no numbness" leaves the saddle area unknown
    ("no numbness", {"leg_numbness_tingling": False}, []),
    ("no numbness around my bottom", {"saddle_numbness": False}, []),
    ("I don't have any numbness in my legs", {"leg_numbness_tingling": False}, []),
    ("Denies fever.", {"fever": False}, []),
    ("back pain without any pain down my leg", {"leg_pain_below_knee": False}, []),
    (
        "No fever, but pins and needles in my foot.",
        {"fever": False, "leg_numbness_tingling": True},
        [],
    ),
    ("I don't drink or smoke.", {"heavy_alcohol": False, "smoker": False}, []),
    ("my leg isn't weak", {"leg_weakness": False}, []),
    ("I can't stand up straight", {"cannot_stand_straight": True}, []),
    # uncertainty: unknown, never false
    ("not sure if I have a temperature", {}, ["fever"]),
    ("I might have lost some weight, I don't know", {}, ["weight_loss_unexplained"]),
    ("No fever, not sure about the numbness in my bottom", {"fever": False}, ["saddle_numbness"]),
    # other people and hypotheticals
    ("my mother had cancer", {}, []),
    ("My dad had a heart attack. I have high blood pressure.", {"high_blood_pressure": True}, []),
    ("if I get numbness I should go to A&E", {}, []),
    ("I'm worried I might have an aneurysm", {}, []),
    ("helped my mate move a sofa", {"trigger_lifting": True}, []),
    # numbers
    ("I'm 38", {"age": 38}, []),
    ("38M", {"age": 38, "sex": "male"}, []),
    ("no fever, 38M", {"fever": False, "age": 38, "sex": "male"}, []),
    ("a 67 year old woman", {"age": 67, "sex": "female"}, []),
    ("I'm 30 weeks pregnant", {"pregnant": True}, []),
    ("pain 7 out of 10", {"pain_severity": 7}, []),
    ("7/10, up to 9/10 at night", {"pain_severity": 9}, []),
    ("for two weeks", {"pain_duration_days": 14}, []),
    ("since Monday", {"pain_duration_days": 5}, []),
    ("3 days ago", {"pain_duration_days": 3}, []),
    ("it started yesterday", {"pain_duration_days": 1}, []),
    (
        "I had cancer five years ago and the pain started 3 days ago",
        {"history_of_cancer": True, "pain_duration_days": 3},
        [],
    ),
    # words that look like a finding but are not (issue 14, third set)
    ("I can only bend about 90 degrees", {}, []),
    ("my temperature was 36.9", {"fever": False}, []),
    ("I'm 6 weeks into physio", {"pain_duration_days": 42}, []),
    ("I came off my bike on the bypass", {"trauma_major": True}, []),
    ("I can't remember if the doctor said aneurysm", {}, ["known_aortic_aneurysm"]),
    # choices
    ("it's getting worse", {"pain_course": "worsening"}, []),
    ("it was getting worse but now it's getting better", {"pain_course": "improving"}, []),
    ("pain between my shoulder blades", {"pain_region": "upper_back"}, []),
    ("it's not getting worse", {}, []),
]


def check(text: str, findings: dict[str, object], uncertain: list[str]) -> None:
    parsed = parse_text(text, SATURDAY, reader())
    assert parsed.findings == findings, text
    assert sorted(parsed.uncertain) == sorted(uncertain), text


@pytest.mark.parametrize(("text", "findings", "uncertain"), ROWS, ids=[r[0] for r in ROWS])
def test_rows(text: str, findings: dict[str, object], uncertain: list[str]) -> None:
    check(text, findings, uncertain)


def test_a_wrong_row_fails() -> None:
    with pytest.raises(AssertionError):
        check("no numbness", {"leg_numbness_tingling": True, "saddle_numbness": False}, [])
    with pytest.raises(AssertionError):
        check("not sure if I have a temperature", {"fever": False}, [])


def test_since_a_weekday_depends_on_today() -> None:
    wednesday = dt.date(2026, 11, 25)
    assert parse_text("since Monday", wednesday, reader()).findings == {"pain_duration_days": 2}
    assert parse_text("since Monday", SATURDAY, reader()).findings == {"pain_duration_days": 5}


def test_evidence_names_the_words_and_json_has_the_documented_keys() -> None:
    parsed = parse_text("My back went into spasm, no numbness", SATURDAY, reader())
    assert parsed.evidence["muscle_spasms"] == "back went into spasm"
    assert parsed.evidence["leg_numbness_tingling"] == "numbness"
    assert set(parsed.to_json()) == {"findings", "evidence", "uncertain", "subject"}


def test_parsing_is_pure() -> None:
    text = "I'm 50, lifted a box on Tuesday, no fever, not sure about numbness"
    first, second = parse_text(text, SATURDAY, reader()), parse_text(text, SATURDAY, reader())
    assert first == second
    assert isinstance(first, ParsedText)


def test_curly_apostrophes_read_as_plain_ones() -> None:
    assert parse_text("I can\u2019t stand up straight", SATURDAY, reader()).findings == {
        "cannot_stand_straight": True
    }
