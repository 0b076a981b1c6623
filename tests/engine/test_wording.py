"""Questions about someone else: every question reads in the third person, from the table."""

from __future__ import annotations

import re

import pytest

from backspasm.engine.wording import about
from tests.support.knowledge import knowledge

KB = knowledge()


@pytest.mark.parametrize("pronoun", ["he", "she", "they"])
def test_no_question_about_someone_else_still_says_you(pronoun: str) -> None:
    left = [
        about(KB, name, pronoun)
        for name in KB.findings
        if re.search(r"\byou(r|rself)?\b", about(KB, name, pronoun), re.IGNORECASE)
    ]
    assert left == []


@pytest.mark.parametrize(
    ("finding", "pronoun", "question"),
    [
        ("age", "he", "How old is he?"),
        ("age", "they", "How old are they?"),
        ("fever", "she", "Has she had a fever, chills or shaking, or a temperature of 38 °C "
         "(100.4 °F) or more?"),
        ("stiffness", "he", "Does his back feel stiff or tight?"),
        ("confusion", "she", "Has she become newly confused or unusually drowsy?"),
        ("unable_to_stand_or_sit", "they",
         "Is the pain so bad that they cannot stand or sit at all?"),
    ],
)  # fmt: skip
def test_questions_read_naturally(finding: str, pronoun: str, question: str) -> None:
    assert about(KB, finding, pronoun) == question


def test_the_writer_is_asked_as_before() -> None:
    assert all(about(KB, name, "") == f.question for name, f in KB.findings.items())


def test_the_person_is_never_him_where_he_does_something() -> None:
    """'when him cough', 'can him not lift': an object pronoun before a verb or 'not' ('her'
    is also the possessive, so 'he' is the form that shows the mistake)."""
    verbs = r"(not|cough|might|sleep|can|is|has|have|does|was|walk|need|rest|sit|wipe|pee)"
    wrong = [
        about(KB, name, "he")
        for name in KB.findings
        if re.search(rf"\bhim {verbs}\b", about(KB, name, "he"))
    ]
    assert wrong == []
