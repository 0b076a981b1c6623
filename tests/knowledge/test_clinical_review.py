"""The care-plan answers to the independent clinical review (docs/clinical-review.md).

Each test names the review finding (CR-nn) it holds to; the triage answers are held by the
cases in cases/review.yaml. Answers are "no" to every yes/no question unless stated, the
calmest person who truthfully reports only what the finding is about.
"""

from __future__ import annotations

import pytest

from backspasm.engine.answers import UNSURE
from backspasm.engine.assessment import assess, with_numbers
from backspasm.engine.numbers import Numbers
from tests.support.knowledge import knowledge

KB = knowledge()


def answers(**overrides):
    values = {name: False for name, finding in KB.findings.items() if finding.type == "bool"}
    values.update(age=35, sex="male", pain_duration_days=8, pain_severity=6)
    values.update(pain_course="unchanged", pain_region="lower_back")
    values.update(overrides)
    return values


def plan_ids(result):
    return [item.id for item in result.plan]


def withheld(result):
    return {item.id: item.because for item in result.withheld}


def test_cr05_no_benzodiazepine_for_sciatica():
    result = assess(KB, answers(leg_pain_below_knee=True, muscle_spasms=True))
    assert result.disposition.id == "consultation"
    assert "clinician_muscle_relaxant" not in plan_ids(result)
    assert any("sciatica" in why for why in withheld(result)["clinician_muscle_relaxant"])


def test_cr11_codeine_and_diazepam_are_never_offered_together():
    result = assess(KB, answers(age=40, stomach_ulcer_or_bleed=True, muscle_spasms=True))
    shown = plan_ids(result)
    assert "clinician_weak_opioid" in shown
    assert "clinician_muscle_relaxant" not in shown
    codeine = next(item for item in result.plan if item.id == "clinician_weak_opioid")
    assert "diazepam" in codeine.text


def test_cr10_pregnancy_gets_paracetamol_first_and_no_codeine_offer():
    result = assess(KB, answers(age=30, sex="female", pregnant=True, pain_duration_days=10))
    shown = plan_ids(result)
    assert "paracetamol_in_pregnancy" in shown
    assert "paracetamol_limits" not in shown
    assert "clinician_weak_opioid" not in shown
    assert any("midwife" in why for why in withheld(result)["clinician_weak_opioid"])


def test_cr10_codeine_is_not_offered_without_a_kidney_check():
    result = assess(KB, answers(kidney_disease=True))
    assert "clinician_weak_opioid" in withheld(result)


def test_cr12_possible_labour_has_one_first_action():
    result = assess(
        KB,
        answers(
            age=31,
            sex="female",
            pregnant=True,
            pregnancy_weeks="20_weeks_or_more",
            pregnancy_pain_waves=True,
        ),
    )
    assert result.disposition.id == "emergency"
    assert plan_ids(result)[0] == "ring_maternity_unit_first"
    assert "go_to_emergency_department" not in plan_ids(result)
    assert "nothing_more_by_mouth" not in plan_ids(result)


@pytest.mark.parametrize(
    "pregnancy",
    [
        {"pregnancy_pain_waves": True, "onset_sudden": True},  # rule possible_labour
        {"abdominal_pain": True, "onset_sudden": False},  # rule pregnant_belly_and_back_pain
    ],
)
def test_cr12_ringing_the_maternity_unit_is_the_one_first_action(pregnancy):
    later = {"pregnant": True, "pregnancy_weeks": "20_weeks_or_more"}
    result = assess(KB, answers(age=30, sex="female", **later, **pregnancy))
    assert result.disposition.id == "emergency"
    first = result.first_action
    assert first is not None and first.id == "ring_maternity_unit_first"
    assert plan_ids(result)[0] == first.id
    assert [item.id for item in result.plan if item.first_action] == [first.id]
    assert "call_maternity_unit" not in plan_ids(result)  # said once, not twice
    assert "go_to_emergency_department" not in plan_ids(result)
    assert "Call {emergency_number} instead if there is heavy bleeding" in first.text
    abroad = with_numbers(result, Numbers(emergency="112", urgent="116117"))
    assert abroad.first_action is not None
    assert "Call 112 instead if there is heavy bleeding" in abroad.first_action.text
    assert abroad.answers == result.answers


def test_an_ambulance_call_is_never_replaced_by_a_first_action():
    result = assess(
        KB, answers(age=30, sex="female", pregnant=True, pregnancy_pain_waves=True, chest_pain=True)
    )
    assert result.disposition.id == "emergency_ambulance"
    assert result.first_action is None
    assert plan_ids(result)[0] == "call_ambulance"
    assert "call_maternity_unit" in plan_ids(result)  # ring them as well


@pytest.mark.parametrize(
    "other", [{"saddle_numbness": True}, {"leg_weakness_worsening": True}, {"trauma_major": True}]
)
def test_pr03_a_pregnant_person_with_another_emergency_goes_to_the_emergency_department(other):
    """The maternity unit leads only when the rules that set the level are its own: cauda
    equina signs in labour still need the emergency department (review PR-03)."""
    result = assess(
        KB, answers(age=30, sex="female", pregnant=True, pregnancy_pain_waves=True, **other)
    )
    assert result.disposition.id == "emergency"
    assert result.first_action is None
    assert "go_to_emergency_department" in plan_ids(result)
    assert "call_maternity_unit" in plan_ids(result)  # ring them as well


def test_cr12_unsure_about_waves_is_not_read_as_no():
    result = assess(KB, answers(age=31, sex="female", pregnant=True, pregnancy_pain_waves=UNSURE))
    assert result.disposition.id == "emergency"


def test_cr13_chest_pain_defers_to_the_call_handler_not_no_painkillers():
    result = assess(KB, answers(age=58, chest_pain=True, pain_region="upper_back"))
    assert result.disposition.id == "emergency_ambulance"
    assert plan_ids(result)[0] == "call_ambulance"
    hold = next(item for item in result.plan if item.id == "nothing_more_by_mouth")
    assert "call handler" in hold.text and "aspirin" in hold.text


def test_emergency_actions_carry_no_stray_cautions_for_a_man():
    result = assess(
        KB,
        {
            "age": 45,
            "sex": "male",
            "pain_duration_days": 2,
            "pain_severity": 7,
            "saddle_numbness": True,
        },
    )
    for item in result.plan:
        if item.stage == "now":
            assert not item.check_first, item.id


def test_cr17_no_heat_or_ice_on_numb_legs_and_no_hot_water_bottle():
    result = assess(KB, answers(leg_numbness_tingling=True, pain_duration_days=1))
    assert {"heat", "ice"} <= set(withheld(result))
    heat = next(item for item in KB.care.items if item.id == "heat")
    assert "water bottle" not in heat.text


def test_cr23_no_imaging_doubt_or_reassurance_where_it_misleads():
    emergency = assess(KB, answers(saddle_numbness=True))
    assert "clinician_imaging" not in plan_ids(emergency)
    after_cancer = assess(KB, answers(history_of_cancer=True, pain_course="improving"))
    assert "reassurance" not in plan_ids(after_cancer)


def test_cr25_no_anti_inflammatory_while_vomiting_or_short_of_fluids():
    for finding in ("vomiting", "low_fluids_or_sweating"):
        result = assess(KB, answers(**{finding: True}))
        assert "anti_inflammatory" in withheld(result), finding


def _shown_sources(result):
    return {ref.id for item in result.plan for ref in item.sources}


def test_sources_about_someone_else_are_not_shown_as_support():
    from tests.support.people import interviewed

    strain = {"age": 34, "sex": "male", "pain_duration_days": 2, "pain_severity": 6}
    man = assess(KB, interviewed(KB, {**strain, "muscle_spasms": True, "trigger_lifting": True}))
    assert man.disposition.id == "self_care"
    assert "anti_inflammatory" in plan_ids(man)
    shown = _shown_sources(man)
    assert "ags_beers_2023" not in shown  # geriatric prescribing criteria, for a 34-year-old
    assert "fda_nsaid_pregnancy_2020" not in shown  # pregnancy advice, for a man
    assert "nhs_ibuprofen" in shown  # who can take ibuprofen: everyone's
    ibuprofen = next(item for item in man.plan if item.id == "anti_inflammatory")
    assert all("pregnancy" not in ref.locator for ref in ibuprofen.sources)


def test_a_source_for_a_check_not_yet_made_stays():
    not_asked = answers(age=30, sex="female")
    del not_asked["pregnant"]  # an answer set given without the interview: never asked
    result = assess(KB, not_asked)
    item = next(item for item in result.plan if item.id == "anti_inflammatory")
    assert any("baby" in check for check in item.check_first)
    assert "fda_nsaid_pregnancy_2020" in {ref.id for ref in item.sources}


@pytest.mark.parametrize(
    "signs",
    [
        {"baby_moving_less": True},
        {"pregnancy_bleeding_or_fluid": True},
        {"vomiting": True, "pain_region": "mid_back"},
        {"vomiting": True, "pain_region": "mid_back", "baby_moving_less": True},  # two rules
    ],
)
def test_later_pregnancy_warning_signs_lead_with_the_maternity_unit(signs):
    """Every rule that tells her to ring the maternity unit leads with it, alone or together
    (re-review RR-02: a second obstetric sign used to flip the headline back to A&E)."""
    later = {"pregnant": True, "pregnancy_weeks": "20_weeks_or_more"}
    result = assess(KB, answers(age=30, sex="female", **later, **signs))
    assert result.disposition.id == "emergency"
    assert result.first_action is not None
    assert result.first_action.id == "ring_maternity_unit_first"


def test_every_rule_that_says_ring_the_maternity_unit_now_is_the_first_actions():
    ring = next(item for item in KB.care.items if item.id == "ring_maternity_unit_first")
    says_so = {
        rule.id
        for rule in KB.rules
        if "Ring your maternity unit now" in rule.tell and rule.disposition == "emergency"
    }
    assert says_so <= set(ring.first_action_for), says_so - set(ring.first_action_for)


def test_with_the_weeks_unknown_the_emergency_department_stands():
    """The maternity unit is for later pregnancy: not knowing the weeks keeps A&E first."""
    result = assess(
        KB,
        answers(age=30, sex="female", pregnant=True, pregnancy_weeks=UNSURE, baby_moving_less=True),
    )
    assert result.disposition.id == "emergency"
    assert result.first_action is None
    assert "go_to_emergency_department" in plan_ids(result)


# --- PR-13: "not sure if pregnant" is not steered to ibuprofen ----------------------------------


def _anti_inflammatory(result):
    return next((item for item in result.plan if item.id == "anti_inflammatory"), None)


def test_pr13_not_sure_if_pregnant_withholds_anti_inflammatories_with_the_reason():
    result = assess(KB, answers(age=30, sex="female", pregnant=UNSURE))
    assert _anti_inflammatory(result) is None
    (reason,) = withheld(result)["anti_inflammatory"]
    assert reason.startswith("you are not sure whether you are pregnant")
    assert "do not take ibuprofen" in reason and "paracetamol is the usual first choice" in reason


def test_pr13_not_sure_if_pregnant_is_told_paracetamol_is_the_usual_choice():
    result = assess(KB, answers(age=30, sex="female", pregnant=UNSURE))
    assert "paracetamol_in_pregnancy" in plan_ids(result)
    item = next(item for item in result.plan if item.id == "paracetamol_in_pregnancy")
    assert "if you could be pregnant" in item.text
    # and not also told that paracetamol alone is unlikely to help
    assert "paracetamol_limits" not in plan_ids(result)
    assert "not sure whether you are pregnant" in withheld(result)["paracetamol_limits"][0]


@pytest.mark.parametrize(
    "who",
    [
        {"sex": "male"},  # never asked: a man
        {"sex": "female", "age": 60},  # never asked: ruled out by age
        {"sex": "female", "pregnant": False},  # answered no
    ],
    ids=["man", "female-60", "answered-no"],
)
def test_pr13_anti_inflammatories_stay_where_pregnancy_is_ruled_out(who):
    person = answers(**who)
    if who.get("sex") == "male" or who.get("age") == 60:
        del person["pregnant"]  # the interview does not ask it
    result = assess(KB, person)
    item = _anti_inflammatory(result)
    assert item is not None, withheld(result)
    assert not any("pregnan" in check or "baby" in check for check in item.check_first)
    assert "paracetamol_in_pregnancy" not in plan_ids(result)


@pytest.mark.parametrize(
    ("finding", "words"),
    [
        ("takes_blood_thinners", "not sure whether you take a blood thinner"),
        ("nsaid_reaction", "not sure whether you have reacted"),
    ],
)
def test_pr13_other_not_sure_answers_that_withhold_anti_inflammatories(finding, words):
    result = assess(KB, answers(**{finding: UNSURE}))
    assert _anti_inflammatory(result) is None
    assert any(words in reason for reason in withheld(result)["anti_inflammatory"])


def test_pr13_a_not_sure_left_to_a_pharmacist_keeps_the_check_first_line():
    """Where the knowledge keeps 'check first' (a past ulcer), not sure still shows the check."""
    result = assess(KB, answers(stomach_ulcer_or_bleed=UNSURE))
    item = _anti_inflammatory(result)
    assert item is not None
    assert "they can cause another ulcer or bleed" in item.check_first


# --- RR-04: the maternity warning line is one action, not the level's own --------------------


def _pregnancy_line(result):
    (line,) = [sign for sign in result.safety_net if sign.sign.startswith("In pregnancy, pains")]
    return line


def test_rr04_from_20_weeks_the_warning_line_says_ring_the_maternity_unit_first():
    later = answers(age=30, sex="female", pregnant=True, pregnancy_weeks="20_weeks_or_more")
    result = with_numbers(assess(KB, later), Numbers(emergency="112", urgent="116117"))
    assert result.disposition.id != "emergency"  # the line is shown below the emergency level
    line = _pregnancy_line(result)
    assert line.first_action
    words = line.action_text
    assert words.startswith("Ring your maternity unit now")
    assert "emergency department" not in words and "A&E" not in words
    assert words.count("Ring") == 1  # one thing to do ...
    assert words.endswith("If you cannot get through, call 112.")  # ... and the fallback
    assert "(" not in line.sign  # the sign says what to look for, the action what to do


def test_rr04_before_20_weeks_the_warning_line_says_the_early_pregnancy_unit():
    early = answers(age=30, sex="female", pregnant=True, pregnancy_weeks="under_20_weeks")
    line = _pregnancy_line(with_numbers(assess(KB, early), Numbers()))
    assert line.action_text.startswith("Ring your early pregnancy unit or GP now, or 111.")
    assert "maternity unit" not in line.action_text


def test_rr04_with_the_weeks_unknown_the_warning_line_names_both_and_the_fallback():
    unknown = answers(age=30, sex="female", pregnant=True, pregnancy_weeks=UNSURE)
    line = _pregnancy_line(with_numbers(assess(KB, unknown), Numbers()))
    assert line.action_text.startswith("Ring your maternity unit now (before 20 weeks")
    assert "go to an emergency department or call 999" in line.action_text


def test_other_warning_lines_keep_the_levels_own_words():
    result = assess(KB, answers(age=30, sex="female", pregnant=True))
    others = [sign for sign in result.safety_net if not sign.first_action]
    assert others and all(sign.action_text == KB.meta.dispositions[sign.action] for sign in others)


@pytest.mark.parametrize("name", ["bladder_incontinence", "bowel_incontinence"])
def test_tr04_not_sure_about_bladder_or_bowel_control_is_answered_and_kept_urgent(name):
    """A carer cannot know whether the person still feels a full bladder: "not sure" is an
    answer of its own, never forced to "no", and it keeps the caution of the cauda equina rules."""
    assert KB.findings[name].unsure
    calm = assess(KB, answers(**{name: False})).disposition
    unsure = assess(KB, answers(**{name: UNSURE})).disposition
    assert unsure.urgency > calm.urgency
