"""Screens: related questions shown together without weakening a single safety guarantee.

Every row of a screen gets its own answer, an unanswered row stays unknown, every red flag that
could raise the level is answered explicitly, and grouping never changes the care level.
"""

from __future__ import annotations

import shutil
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backspasm.engine.answers import UNSURE, facts_from
from backspasm.engine.assessment import assess
from backspasm.engine.interview import InterviewSession
from backspasm.engine.knowledge_base import KnowledgeError, default_directory, read_knowledge
from backspasm.engine.schema import URGENCY
from backspasm.engine.screens import (
    EVERY_PENDING,
    ScreenStep,
    certain_level,
    next_screen,
    screen_for,
)
from backspasm.evaluation import simulated_answer
from tests.engine.test_interview import complete_answers
from tests.support.knowledge import knowledge
from tests.support.strategies import case_facts

KB = knowledge()
EMERGENCY = URGENCY["emergency"]
STRAIN = {
    "age": 34,
    "sex": "male",
    "pain_duration_days": 2,
    "pain_severity": 6,
    "pain_course": "unchanged",
    "trigger_lifting": True,
    "muscle_spasms": True,
}


def answer(facts, name):
    """The simulated patient, who may say "not sure" where the case says so."""
    if facts.get(name) == UNSURE:
        return UNSURE
    return simulated_answer(KB, facts, name)


def journey(facts, opening=None):
    """Answer screen after screen with the stateless `next_screen`, checking on the way that
    no row is pre-answered or asked twice; returns the answers and the steps shown."""
    answers = dict(opening or {})
    steps: list[ScreenStep] = []
    while True:
        step = next_screen(KB, answers, len(steps))
        steps.append(step)
        if step.screen is None:
            return answers, steps
        settled = facts_from(KB, answers).settled
        rows = [question.id for question in step.screen.questions]
        assert rows and len(rows) == len(set(rows))
        assert not settled & set(rows), f"{step.screen.id} shows rows already known"
        for name in rows:
            answers[name] = answer(facts, name)


def unsure_facts():
    """Case facts where some red flags that offer "not sure" are answered that way."""
    unsure_able = [name for name in KB.red_flags if KB.findings[name].unsure]
    return st.tuples(
        case_facts(KB), st.lists(st.sampled_from(unsure_able), max_size=3, unique=True)
    ).map(lambda pair: {**pair[0], **dict.fromkeys(pair[1], UNSURE)})


def test_the_lifting_spasm_takes_ten_screens_or_fewer_and_asks_about_the_spasm():
    answers, steps = journey(STRAIN)
    shown = [step.screen.id for step in steps if step.screen]
    assert len(shown) <= 10
    assert shown[:3] == ["happening_now", "the_pain", "how_it_feels"]
    assert {"trigger_twist_bend", "muscle_spasms", "trigger_lifting"} <= set(answers)
    assert assess(KB, answers).disposition.id == "self_care"


def test_cauda_equina_questions_share_one_screen_each_row_explicit_and_no_none_of_these():
    _, steps = journey(STRAIN)
    (screen,) = [step.screen for step in steps if step.screen and step.screen.id == "cauda_equina"]
    rows = {question.id for question in screen.questions}
    assert {"saddle_numbness", "bladder_retention", "bowel_incontinence"} <= rows
    assert not screen.none_of_these
    saddle = next(q for q in screen.questions if q.id == "saddle_numbness")
    assert "when you wipe" in saddle.text and saddle.unsure_allowed


def test_no_screen_lets_none_of_these_answer_a_cauda_equina_question():
    ces = set(KB.index.rule_findings["cauda_equina_signs"])
    assert ces <= KB.screens.explicit_only
    for spec in KB.screens.screens:
        if spec.none_of_these:
            assert not ces & set(spec.rows), spec.id
            assert all(KB.findings[row].type == "bool" for row in spec.rows), spec.id


def test_a_screen_with_one_row_left_is_a_plain_question():
    answers = {
        **STRAIN,
        "chest_pain": False,
        "one_side_body_weakness": False,
        "trauma_major": False,
        "feels_faint": False,
    }
    step = next_screen(KB, answers, 0)
    assert step.screen is not None and step.screen.id == "happening_now"
    assert [q.id for q in step.screen.questions] == ["fainting_or_collapse"]
    assert not step.screen.grid and not step.screen.none_of_these


def test_a_row_waits_for_its_context_on_the_same_screen():
    """'Both legs?' is not put to someone before they have said whether a leg hurts at all."""
    _, steps = journey({**STRAIN, "leg_pain_below_knee": True})
    legs = [step.screen for step in steps if step.screen and step.screen.id == "legs"]
    assert "leg_pain_both_legs" not in {q.id for q in legs[0].questions}
    assert "leg_pain_both_legs" in {q.id for q in legs[1].questions}


def test_an_emergency_from_the_description_skips_the_opening_screens():
    opening = {**STRAIN, "saddle_numbness": True}
    _, steps = journey(opening, opening)
    shown = [step.screen.id for step in steps if step.screen]
    assert "how_it_feels" not in shown and len(shown) <= 4
    assert assess(KB, journey(opening, opening)[0]).disposition.id == "emergency"


def test_the_session_gives_the_same_screens_as_the_stateless_path():
    facts = {**STRAIN, "fever": True, "leg_numbness_tingling": True}
    _, steps = journey(facts)
    session = InterviewSession(KB)
    for shown, expected in enumerate(steps):
        known = session.facts()
        assert known == facts_from(KB, session.answers)  # worked out once, never stale
        interview = session.next(EVERY_PENDING)
        assert interview.certain_level in (None, certain_level(KB, known))
        step = screen_for(KB, known, interview, shown)
        assert step == expected
        for question in step.screen.questions if step.screen else ():
            session.answer(question.id, answer(facts, question.id))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=unsure_facts(), data=st.data())
def test_every_red_flag_that_could_raise_the_level_was_answered_explicitly(facts, data):
    """Below emergency, a red flag the person did not answer (on a screen, or by confirming
    what their description said) is one whose context the knowledge rules out (pregnancy for a
    man), or one whose "yes" could not make the result more urgent."""
    told = data.draw(st.lists(st.sampled_from(sorted(facts)), unique=True), label="described")
    answers, _ = journey(facts, {name: facts[name] for name in told})
    result = assess(KB, answers).disposition.urgency
    if result >= EMERGENCY:
        return
    ruled_out = facts_from(KB, answers).ruled_out_by_context
    for flag in KB.red_flags:
        if flag in answers or flag in ruled_out:
            continue
        raised = assess(KB, {**answers, flag: True}).disposition.urgency
        assert raised <= result, f"{flag} was never asked, yet a yes would raise the level"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=case_facts(KB))
def test_grouping_never_changes_the_care_level(facts):
    """What the screens skipped would not have changed the level. Where the screens asked a
    question its context would leave out (after a serious accident, "can you walk?" may make an
    emergency an ambulance), the person's own answer stands in the full set too."""
    answers, _ = journey(facts)
    full = assess(KB, {**complete_answers(facts), **answers}).disposition.id
    assert assess(KB, answers).disposition.id == full


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=case_facts(KB), flag=st.sampled_from(KB.red_flags))
def test_screened_urgency_never_falls_when_a_red_flag_is_added(facts, flag):
    before = assess(KB, journey(facts)[0]).disposition.urgency
    after = assess(KB, journey({**facts, flag: True})[0]).disposition.urgency
    assert after >= before


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=unsure_facts())
def test_not_sure_on_a_grid_row_keeps_caution(facts):
    """A red flag answered "not sure" on a screen counts as unknown, never as "no"."""
    answers, _ = journey(facts)
    for name, value in answers.items():
        if value == UNSURE:
            said_no = assess(KB, {**answers, name: False}).disposition.urgency
            assert assess(KB, answers).disposition.urgency >= said_no


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=unsure_facts())
def test_the_step_estimate_rises_by_at_most_one_unless_urgency_rises(facts):
    _, steps = journey(facts)
    for before, after in pairwise(steps):
        assert after.number == before.number + 1 or after.screen is None
        if after.level <= before.level:
            assert after.estimate <= before.estimate + 1, [s.estimate for s in steps]
    assert steps[-1].estimate == len(steps) - 1


def test_a_finding_on_no_screen_or_on_two_is_refused(tmp_path: Path):
    folder = tmp_path / "knowledge"
    shutil.copytree(default_directory(), folder)
    screens = folder / "screens.yaml"
    text = screens.read_text()
    text = text.replace("      - known_scoliosis\n", "")
    text = text.replace("      - chest_pain\n", "      - chest_pain\n      - fever\n")
    text = text.replace(
        "    ask: every_row\n    heading: Since",
        "    none_of_these: true\n    ask: every_row\n    heading: Since",
    )
    screens.write_text(text)
    with pytest.raises(KnowledgeError) as error:
        read_knowledge(folder)
    problems = "\n".join(error.value.problems)
    assert "known_scoliosis: not on any screen" in problems
    assert "fever is already on screen happening_now" in problems
    assert "cannot answer saddle_numbness" in problems
