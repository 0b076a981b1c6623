"""An interview session is `next_questions` on the answers so far: the same steps exactly.

The session keeps only the answers and, per session, the cause scores it worked out; these
tests replay real cases and random answer orders (including "not sure", changed answers and
answers to questions their context had ruled out) and compare every step.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backspasm.engine.interview import InterviewSession, next_questions
from backspasm.evaluation import load_cases, simulated_answer
from tests.support.knowledge import knowledge
from tests.support.paths import CASES
from tests.support.strategies import value_for

KB = knowledge()


@pytest.mark.slow  # every step of every case; random answer orders stay in `make check`
def test_every_case_step_matches_the_stateless_interview() -> None:
    compared = 0
    for case in load_cases(KB, [CASES]):
        for limit in (1, 4):
            session = InterviewSession(KB)
            while True:
                step = session.next(limit)
                assert step == next_questions(KB, session.answers, limit), case.id
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
        assert session.next(3) == next_questions(KB, session.answers, 3)


def test_a_session_can_start_from_answers_given_up_front() -> None:
    given_answers = {"age": 70, "pain_duration_days": 2, "fever": True}
    session = InterviewSession(KB, given_answers)
    assert session.next() == next_questions(KB, given_answers)
