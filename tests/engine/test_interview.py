"""The adaptive interview: red flags first, early stop in emergencies, and skipping that never
changes the care level."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backspasm.engine.answers import UNSURE, facts_from
from backspasm.engine.assessment import assess
from backspasm.engine.interview import next_questions
from backspasm.evaluation import simulated_answer
from tests.support.knowledge import knowledge
from tests.support.strategies import case_facts

KB = knowledge()
STRAIN = {
    "age": 38,
    "sex": "male",
    "pain_duration_days": 3,
    "pain_severity": 6,
    "trigger_lifting": True,
    "muscle_spasms": True,
}


def interview(facts, answer=None):
    """Run the real interview against a simulated patient; return answers in asked order."""
    answers: dict = {}
    while True:
        step = next_questions(KB, answers)
        if step.done:
            return answers, step
        (question,) = step.questions
        settled = facts_from(KB, answers).settled
        assert question.id not in settled, f"asked {question.id} twice or after ruling it out"
        answers[question.id] = (answer or simulated_answer)(KB, facts, question.id)


def complete_answers(facts):
    """Every finding answered as the simulated patient would, nothing skipped for relevance.

    Questions whose context rules them out (`ask_when`, e.g. pregnancy for a man, or "cannot
    stand or sit at all" with mild pain) are a clinical choice, not a skip: they stay "no".
    """
    full = {
        name: simulated_answer(KB, facts, name)
        for name in KB.findings
        if KB.findings[name].type in ("bool", "choice") or name in facts
    }
    changed = True
    while changed:
        changed = False
        for name, finding in KB.findings.items():
            gate = finding.ask_when
            if gate is not None and full.get(name) is True and gate.evaluate(full) is False:
                full[name] = False
                changed = True
    return full


def test_opens_with_age_then_red_flags_most_urgent_first():
    answers, _ = interview(STRAIN)
    order = list(answers)
    assert order[:2] == ["age", "pain_duration_days"]
    first_flags = order[2:6]
    # ambulance-level red flags, and the context their questions wait for (sudden onset opens
    # the tearing-pain question; belly pain opens the known-aneurysm question)
    ambulance = {
        "one_side_body_weakness",
        "chest_pain",
        "fainting_or_collapse",
        "trauma_major",
        "fever",
        "onset_sudden",
        "abdominal_pain",
        "pain_tearing",
        "feels_faint",
    }
    assert set(first_flags) <= ambulance


def test_emergency_stops_as_soon_as_it_is_certain():
    facts = {**STRAIN, "saddle_numbness": True}
    answers, step = interview(facts)
    assert step.reason == "an emergency is certain"
    assert list(answers)[-1] == "saddle_numbness"
    # the ambulance-level checks (stroke, chest, aorta, and the pain region that decides
    # breathless_with_upper_back_pain) come first, then the leg symptoms that make an unsure
    # saddle answer an emergency (cauda_equina_with_leg_symptoms)
    assert len(answers) <= 15
    assert assess(KB, answers).disposition.id == "emergency"


def test_ambulance_case_is_short():
    answers, _ = interview({**STRAIN, "chest_pain": True})
    assert assess(KB, answers).disposition.id == "emergency_ambulance"
    assert len(answers) <= 5


def test_not_sure_is_not_asked_again_and_keeps_caution():
    def unsure_about_saddle(kb, facts, name):
        return UNSURE if name == "saddle_numbness" else simulated_answer(kb, facts, name)

    answers, _ = interview(STRAIN, unsure_about_saddle)
    assert answers["saddle_numbness"] == UNSURE
    result = assess(KB, answers)
    assert result.disposition.id == "consultation_24"
    assert "saddle_numbness" in result.unknown_red_flags


def test_context_questions_are_skipped_when_ruled_out():
    answers, _ = interview(STRAIN)
    assert "pregnant" not in answers  # a man
    assert "abdomen_pulsating" not in answers  # 38, no fainting or belly pain
    assert "leg_pain_both_legs" not in answers  # no leg symptoms at all


def test_same_answers_same_next_question():
    answers = {"age": 50, "pain_duration_days": 10, "fever": False}
    assert next_questions(KB, answers) == next_questions(KB, dict(answers))


def test_step_offers_what_a_front_end_needs():
    step = next_questions(
        KB,
        {
            "age": 40,
            "pain_duration_days": 2,
            "one_side_body_weakness": False,
            "chest_pain": False,
            "fainting_or_collapse": False,
            "trauma_major": False,
            "fever": False,
        },
    )
    (question,) = step.questions
    assert question.stage == "red_flags" and question.text.endswith("?")
    assert question.unsure_allowed == KB.findings[question.id].unsure
    assert step.remaining_estimate > 0 and step.asked == 7


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=case_facts(KB))
def test_skipping_never_changes_the_care_level(facts):
    answers, _ = interview(facts)
    asked = assess(KB, answers).disposition.id
    assert asked == assess(KB, complete_answers(facts)).disposition.id


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=case_facts(KB), flag=st.sampled_from(KB.red_flags))
def test_interview_urgency_never_falls_when_a_red_flag_is_added(facts, flag):
    before = assess(KB, interview(facts)[0]).disposition.urgency
    after = assess(KB, interview({**facts, flag: True})[0]).disposition.urgency
    assert after >= before


def test_plan_safety_checks_are_asked_for_the_advice_given():
    answers, _ = interview({**STRAIN, "stomach_ulcer_or_bleed": True})
    for check in (
        "nsaid_reaction",
        "stomach_ulcer_or_bleed",
        "kidney_disease",
        "reduced_skin_feeling",
    ):
        assert check in answers, f"{check} was not screened"
    result = assess(KB, answers)
    assert "anti_inflammatory" in {item.id for item in result.withheld}
    nsaid_checks = [item.check_first for item in result.plan if item.id == "anti_inflammatory"]
    assert nsaid_checks == []  # withheld, not offered with caveats


def test_screened_plan_has_nothing_left_to_check():
    answers, _ = interview(STRAIN)
    result = assess(KB, answers)
    assert all(item.check_first == [] for item in result.plan)


def test_emergency_interview_skips_plan_checks():
    answers, _ = interview({**STRAIN, "chest_pain": True})
    assert not {"nsaid_reaction", "kidney_disease", "reduced_skin_feeling"} & set(answers)


def test_a_stage_can_be_fetched_whole_as_a_checklist():
    answers, _ = interview(STRAIN)
    for name in ("nsaid_reaction", "kidney_disease", "heart_failure"):
        answers.pop(name)
    step = next_questions(KB, answers, limit=20)
    assert {q.stage for q in step.questions} == {"plan_safety"}
    assert {"nsaid_reaction", "kidney_disease", "heart_failure"} <= {q.id for q in step.questions}
