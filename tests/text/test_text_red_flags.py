"""Text can raise a red flag, never close one by a general negation.

Hypothesis builds sentences from general denials ("no numbness", "I don't have any problems
with my bladder or bowels", "nothing else") in many wordings, with and without a story around
them, about the writer or someone else, and checks that no red flag ever comes out false. A
red flag denied in its own words ("no numbness around my bottom") may be false, and then
`to_confirm` hands it back to the interview.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backspasm.text.reading import parse_text
from tests.support.knowledge import knowledge, reader

SATURDAY = dt.date(2026, 11, 21)
KB = knowledge()
READER = reader()
RED_FLAGS = sorted(name for name, finding in KB.findings.items() if finding.red_flag)

DENIALS = ["no", "No", "I don't have any", "I have no", "there's no", "never had any",
           "haven't got any", "not had any", "without any", "he has no", "she hasn't got any",
           "denies", "nope no", "no real", "I dont have", "they have no", "they dont have any"]  # fmt: skip
GENERAL = ["numbness", "numbness in my legs", "numbness or tingling", "leg pain or numbness",
           "weakness", "numbness anywhere", "problems", "other symptoms", "injury", "fall",
           "accident", "bladder problems", "bowel problems", "problems with my bladder or bowels",
           "waterworks issues", "trouble with the toilet", "numbness in his legs",
           "pins and needles or numbness", "tingling", "leg symptoms", "bladder or bowel changes",
           "trauma", "numbness down my leg", "weakness or numbness", "issues",
           "numbness n tingling", "numbness w/ the pain"]  # fmt: skip
FINE = ["bladder and bowels fine", "my legs are fine", "peeing and everything is normal",
        "toilet is normal", "legs feel ok", "bowels are fine", "bladder is fine",
        "going to the loo as normal", "all fine otherwise", "bladder n bowels fine",
        "bladder & bowels ok", "I can feel everything normally"]  # fmt: skip
STORIES = ["", "My back went yesterday lifting a box.", "My husband is 70 and his back hurts.",
           "Lower back pain for 3 days, 7/10.", "im 45 and my back is killing me",
           "My partner is 30 and their back went yesterday."]  # fmt: skip


@st.composite
def general_denials(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(GENERAL), min_size=1, max_size=3, unique=True))
    denial = draw(st.sampled_from(DENIALS))
    said = f"{denial} {' or '.join(parts)}"
    if draw(st.booleans()):
        said += ", " + draw(st.sampled_from(FINE))
    story = draw(st.sampled_from(STORIES))
    return f"{story} {said}." if draw(st.booleans()) else f"{said}. {story}"


@settings(max_examples=300, deadline=None)
@given(general_denials())
def test_no_general_negation_closes_a_red_flag(text: str) -> None:
    parsed = parse_text(text, SATURDAY, READER)
    closed = [name for name in RED_FLAGS if parsed.findings.get(name) is False]
    assert closed == [], text


def test_general_words_still_close_findings_that_are_not_red_flags() -> None:
    parsed = parse_text("no numbness, bladder and bowels fine", SATURDAY, READER)
    assert parsed.findings.get("leg_numbness_tingling") is False
    assert "saddle_numbness" not in parsed.findings
    assert "bladder_retention" not in parsed.findings


def test_a_red_flag_denied_in_its_own_words_is_false_and_handed_back_to_confirm() -> None:
    parsed = parse_text("my back hurts, no numbness around my bottom", SATURDAY, READER)
    assert parsed.findings["saddle_numbness"] is False
    assert parsed.to_confirm(KB) == ["saddle_numbness"]
    assert "saddle_numbness" not in parsed.settled(KB)


def test_text_can_raise_a_red_flag() -> None:
    parsed = parse_text("I can't feel my bum when I wipe", SATURDAY, READER)
    assert parsed.findings["saddle_numbness"] is True
    assert parsed.settled(KB)["saddle_numbness"] is True


def test_a_denial_far_back_in_a_new_clause_does_not_close_a_red_flag() -> None:
    text = "I didn't feel myself needing a poo and had an accident in my pants"
    parsed = parse_text(text, SATURDAY, READER)
    assert parsed.findings.get("bladder_incontinence") is not False
    listed = parse_text("Denies fever, saddle anaesthesia or leg weakness.", SATURDAY, READER)
    assert listed.findings["saddle_numbness"] is False  # one denial at the head of a list


def test_words_that_hold_their_own_negation_are_not_turned_by_another() -> None:
    text = "Haven't been for a poo in 4 days, and I can't feel when I need a wee."
    assert parse_text(text, SATURDAY, READER).findings["bladder_incontinence"] is True


def test_waves_mean_labour_only_in_a_pregnancy() -> None:
    spasm = parse_text("The spasms come in waves when I get up.", SATURDAY, READER)
    assert "pregnancy_pain_waves" not in spasm.findings
    pregnant = parse_text("I'm 30 weeks pregnant and the pain comes in waves.", SATURDAY, READER)
    assert pregnant.findings["pregnancy_pain_waves"] is True


@pytest.mark.parametrize(
    ("text", "red_flags"),
    [
        ("I'm not peeing normally", ["bladder_retention"]),
        ("no longer peeing normally", ["bladder_retention"]),
        ("it doesn't feel normal when I wipe", ["saddle_numbness"]),
    ],
)
def test_words_that_all_is_well_turned_by_a_not_raise_the_red_flag(
    text: str, red_flags: list[str]
) -> None:
    """Review TR-02: "not peeing normally" says something is wrong; it is never a denial."""
    parsed = parse_text(text, SATURDAY, READER)
    assert sorted(parsed.uncertain) == sorted(red_flags)
    assert not any(parsed.findings.get(name) is False for name in red_flags)


@pytest.mark.parametrize("text", ["no fever n numb bum", "no injury and numb down there"])
def test_a_no_does_not_reach_past_and_onto_a_red_flag(text: str) -> None:
    """Review TR-03: "no fever and a numb bum" does not deny the numbness."""
    assert parse_text(text, SATURDAY, READER).findings.get("saddle_numbness") is not False


@pytest.mark.parametrize(
    ("text", "named", "general"),
    [
        ("peeing fine", ["bladder_retention"], ["bladder_incontinence", "bowel_incontinence"]),
        ("no problems weeing", ["bladder_retention"], ["bladder_incontinence"]),
        ("pee is normal", [], ["bladder_retention", "bladder_incontinence"]),
        ("wee n poo normal", [], ["bladder_retention", "bowel_incontinence"]),
        ("pooing normally", [], ["bowel_incontinence"]),
        ("I have never wet myself", ["bladder_incontinence"], ["bladder_retention"]),
    ],
)
def test_only_words_that_name_the_thing_deny_a_bladder_or_bowel_red_flag(
    text: str, named: list[str], general: list[str]
) -> None:
    """Review TR-05: passing urine named as normal denies trouble passing it, not loss of
    control; the urine or stool described ("pee is normal") may be its colour."""
    parsed = parse_text(text, SATURDAY, READER)
    assert [name for name in named if parsed.findings.get(name) is False] == named
    assert [name for name in general if name in parsed.findings] == []
    assert set(named) <= set(parsed.to_confirm(KB))


@pytest.mark.parametrize(
    ("text", "red_flag"),
    [
        ("not sure if im imagining it but its numb round my privates", "saddle_numbness"),
        ("pee looks kinda pinkish?? idk maybe its the beetroot", "blood_in_urine"),
        ("wiping feels numb on one side, but I might be imagining it", "saddle_numbness"),
    ],
)
def test_doubt_anywhere_in_the_sentence_leaves_the_finding_to_be_asked(
    text: str, red_flag: str
) -> None:
    """Doubt about what is felt, even past a "but", makes the finding "not sure": the
    interview asks it, and it is never read as "no"."""
    parsed = parse_text(text, SATURDAY, READER)
    assert red_flag in parsed.uncertain
    assert red_flag not in parsed.findings


@pytest.mark.parametrize(
    ("text", "expected", "uncertain"),
    [
        (
            "Fever? yes. Numbness between my legs? no.",
            {"fever": True, "saddle_numbness": False},
            [],
        ),
        ("chest pain - no. fever - no.", {"chest_pain": False, "fever": False}, []),
        ("Legs weak: no. Temperature: not sure.", {"leg_weakness": False}, ["fever"]),
        ("Any numbness down below? Not sure.", {}, ["saddle_numbness"]),
        # a question of the writer's own is not a form's item
        ("Is it normal to not feel when I need a wee? My back hurts", {}, []),
    ],
)
def test_a_form_or_checklist_answers_each_item_after_it(
    text: str, expected: dict[str, bool], uncertain: list[str]
) -> None:
    parsed = parse_text(text, SATURDAY, READER)
    assert {n: parsed.findings.get(n) for n in expected} == expected
    assert sorted(set(uncertain) & set(parsed.uncertain)) == sorted(uncertain)


def test_a_denial_hedged_right_after_it_is_doubt_not_a_no() -> None:
    parsed = parse_text("I have not had a temperature that I know of.", SATURDAY, READER)
    assert "fever" in parsed.uncertain
    assert parsed.findings.get("fever") is None


def test_words_in_single_quotes_are_read_like_any_other_words() -> None:
    # a carer's note quotes the person: "Says he 'can't go' for a wee"
    text = "Mr F (79). Says he 'can't go' for a wee even though he's bursting. Back 'killing him'."
    parsed = parse_text(text, SATURDAY, READER)
    assert parsed.findings.get("bladder_retention") is True


def test_a_not_with_its_own_verb_does_not_deny_the_next_item() -> None:
    """'Not able to stand, legs giving way' does not say the legs are not giving way."""
    parsed = parse_text("Not able to stand, legs giving way", SATURDAY, READER)
    assert parsed.findings.get("difficulty_walking") is not False
