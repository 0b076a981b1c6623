"""The engine's safety and honesty guarantees: monotone urgency, caution on unknowns,
determinism, screened medicines, and explanations for every cause."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backspasm.engine.answers import UNSURE
from backspasm.engine.assessment import assess
from backspasm.engine.knowledge_base import default_directory, read_knowledge
from backspasm.engine.schema import URGENCY
from tests.support.knowledge import knowledge
from tests.support.strategies import answer_sets

KB = knowledge()
RED_FLAGS = KB.red_flags
BASE = {"age": 38, "sex": "male", "pain_duration_days": 3, "pain_severity": 5}


def everything_no(**overrides):
    """A person who answered every yes/no question "no": the calmest possible case."""
    answers = {n: False for n, f in KB.findings.items() if f.type == "bool"}
    answers.update(BASE, pain_course="improving", pain_region="lower_back")
    answers.update(overrides)
    return answers


@pytest.mark.slow  # 1,200 examples; the interview's own red-flag property stays in `make check`
@settings(max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_sets(KB), flag=st.sampled_from(RED_FLAGS))
def test_adding_a_red_flag_never_lowers_urgency(answers, flag):
    before = assess(KB, answers).disposition.urgency
    after = assess(KB, {**answers, flag: True}).disposition.urgency
    assert after >= before, f"setting {flag} lowered urgency"


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_sets(KB), flag=st.sampled_from(RED_FLAGS))
def test_unknown_red_flag_is_never_read_as_no(answers, flag):
    said_no = assess(KB, {**answers, flag: False}).disposition.urgency
    unknown = {k: v for k, v in answers.items() if k != flag}
    assert assess(KB, unknown).disposition.urgency >= said_no
    if KB.findings[flag].unsure:
        assert assess(KB, {**answers, flag: UNSURE}).disposition.urgency >= said_no


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_sets(KB))
def test_prefer_not_to_say_sex_is_never_less_cautious_than_saying_it(answers):
    """Not giving one's sex stands for either: the level is at least that of each answer."""
    declined = assess(KB, {**answers, "sex": UNSURE}).disposition.urgency
    for sex in KB.findings["sex"].options:
        assert declined >= assess(KB, {**answers, "sex": sex}).disposition.urgency, sex


def test_prefer_not_to_say_keeps_the_rule_for_either_sex_at_its_own_level():
    """Sudden unexplained pain at 55 with high blood pressure: the AAA rule names men of 50
    or over; a person who prefers not to say is sent as a man would be, not a level lower."""
    sudden = everything_no(age=55, onset_sudden=True, high_blood_pressure=True, pain_severity=4)
    assert assess(KB, {**sudden, "sex": "female"}).disposition.id == "self_care"
    assert assess(KB, {**sudden, "sex": "male"}).disposition.id == "emergency"
    assert assess(KB, {**sudden, "sex": UNSURE}).disposition.id == "emergency"


def test_calm_case_is_self_care_with_a_plan_and_safety_net():
    result = assess(KB, everything_no())
    assert result.disposition.id == "self_care"
    assert result.reasons == []
    stages = {item.stage for item in result.plan}
    assert {"now", "next_48h", "next_weeks"} <= stages
    assert result.safety_net and result.check_in.within_days == 7
    assert all(item.sources for item in result.plan)


# Red flags that count only in context (Finucane 2020: read flags in clusters), with it.
CONTEXT = {
    "trauma_minor": {"osteoporosis": True},
    "abdominal_pain": {"age": 60},
    "abdomen_pulsating": {"age": 60},
    "vomiting": {"pain_side_to_groin": True},
    "pregnant": {"abdominal_pain": True},
    "pregnancy_pain_waves": {"pregnant": True},
    "pain_tearing": {"onset_sudden": True},
}


def test_each_red_flag_raises_urgency_beyond_its_context():
    for flag in RED_FLAGS:
        context = everything_no(**CONTEXT.get(flag, {}))
        without = assess(KB, context).disposition.urgency
        result = assess(KB, {**context, flag: True})
        assert result.disposition.urgency > without, f"{flag} did not raise the care level"
        assert result.reasons and all(reason.sources for reason in result.reasons)


def test_context_flags_alone_stay_calm():
    for flag in CONTEXT:
        assert assess(KB, everything_no(**{flag: True})).disposition.id == "self_care", flag


def test_unsure_about_saddle_numbness_is_same_day_not_self_care():
    result = assess(KB, everything_no(saddle_numbness=UNSURE))
    assert result.disposition.id == "consultation_24"
    reason = next(r for r in result.reasons if r.rule == "cauda_equina_signs")
    assert reason.confirmed is False
    assert "saddle_numbness" in result.unknown_red_flags


def test_emergency_result_leads_with_the_action_and_no_home_plan():
    result = assess(KB, everything_no(bladder_retention=True))
    assert result.disposition.id == "emergency" and result.disposition.emergency
    assert result.plan[0].id == "go_to_emergency_department"
    assert {item.stage for item in result.plan} <= {"now", "clinician"}
    assert {sign.action for sign in result.safety_net} == {"emergency_ambulance"}
    assert result.causes[0].id == "cauda_equina_syndrome"


def test_age_alone_is_not_an_emergency():
    assert assess(KB, everything_no(age=82)).disposition.id == "self_care"


def test_contraindicated_medicine_is_withheld_with_its_reason():
    result = assess(KB, everything_no(sex="female", pregnant=True))
    withheld = {item.id: item.because for item in result.withheld}
    assert "anti_inflammatory" in withheld
    assert any("baby" in reason for reason in withheld["anti_inflammatory"])
    assert "anti_inflammatory" not in {item.id for item in result.plan}


def test_unchecked_contraindication_is_spelled_out_not_cleared():
    answers = everything_no()
    del answers["takes_blood_thinners"]
    result = assess(KB, answers)
    nsaid = next(item for item in result.plan if item.id == "anti_inflammatory")
    assert any("blood thinner" in check for check in nsaid.check_first)


def test_heat_and_ice_withheld_when_skin_feeling_is_reduced():
    result = assess(KB, everything_no(reduced_skin_feeling=True, pain_duration_days=1))
    assert {"heat", "ice"} <= {item.id for item in result.withheld}


def test_muscle_relaxant_screened_for_older_people():
    answers = everything_no(age=70, muscle_spasms=True, pain_duration_days=50)
    result = assess(KB, answers)
    assert result.disposition.id == "consultation"
    assert "clinician_muscle_relaxant" in {item.id for item in result.withheld}


def test_causes_are_explained_and_never_a_diagnosis():
    result = assess(KB, everything_no(trigger_lifting=True, muscle_spasms=True))
    top = result.causes[0]
    assert top.id == "muscle_strain"
    assert "it started while lifting or carrying" in top.likely_because
    assert "diagnosis" in result.disclaimer.lower()
    radiculopathy = next(c for c in result.causes if c.id == "lumbar_radiculopathy")
    assert "the pain does not travel below the knee" in radiculopathy.less_likely_because


def test_same_answers_same_result_and_knowledge_stamp():
    answers = everything_no(leg_pain_below_knee=True, high_stress=True)
    first = assess(KB, answers).model_dump(mode="json")
    second = assess(
        read_knowledge(default_directory()), dict(reversed(list(answers.items())))
    ).model_dump(mode="json")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["knowledge"] == {"version": KB.version, "hash": KB.content_hash}


def test_urgency_scale_matches_the_five_levels():
    assert sorted(URGENCY, key=URGENCY.get) == [
        "self_care",
        "consultation",
        "consultation_24",
        "emergency",
        "emergency_ambulance",
    ]
