"""An interview session must give exactly the steps the stateless `next_questions` gives.

The session updates its facts and rule values from each new answer instead of working them
out again; these tests replay real cases and random answer orders (including "not sure",
changed answers and answers to questions their context had ruled out) and compare every step.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backspasm.engine.answers import facts_from, gates_are_acyclic
from backspasm.engine.interview import next_questions
from backspasm.engine.interview_session import InterviewSession
from backspasm.engine.knowledge_base import load_knowledge
from backspasm.evaluation import load_cases, simulated_answer
from tests.support.paths import CASES
from tests.support.strategies import value_for

KB = load_knowledge()


def test_the_knowledge_base_gates_have_no_cycle() -> None:
    # The session's shortcut is only taken when this holds; it falling back would hide a
    # slowdown, so say it plainly here.
    assert gates_are_acyclic(KB)


@pytest.mark.slow  # every step of every case; random answer orders stay in `make check`
def test_every_case_step_matches_the_stateless_interview() -> None:
    compared = 0
    for case in load_cases(KB, [CASES]):
        for limit in (1, 4):
            session = InterviewSession(KB)
            while True:
                step = session.next(limit)
                assert step == next_questions(KB, session.answers, limit), case.id
                assert session.facts == facts_from(KB, session.answers), case.id
                compared += 1
                if step.done:
                    break
                for question in step.questions:
                    session.answer(question.id, simulated_answer(KB, case.facts, question.id))
    assert compared > 5_000


_answer_orders = st.lists(
    st.sampled_from(sorted(KB.findings)).flatmap(
        lambda name: st.tuples(st.just(name), value_for(KB, name))
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_answer_orders)
def test_any_answer_order_matches_the_stateless_interview(order) -> None:
    session = InterviewSession(KB)
    for name, value in order:
        session.answer(name, value)
        assert session.facts == facts_from(KB, session.answers)
        assert session.next(3) == next_questions(KB, session.answers, 3)


def test_a_session_can_start_from_answers_given_up_front() -> None:
    given_answers = {"age": 70, "pain_duration_days": 2, "fever": True}
    session = InterviewSession(KB, given_answers)
    assert session.next() == next_questions(KB, given_answers)
