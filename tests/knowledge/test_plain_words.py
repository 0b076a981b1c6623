"""Plain words where a person reads them: a clinical term appears only in brackets, after the
plain words that say what it is ("the space for the nerves in the spine is narrowed (spinal
stenosis)"). Clinicians' fields (`name`, `summary`, `rationale`) keep the clinical terms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tests.support.knowledge import knowledge

KB = knowledge()
TERMS = (
    "spondylolisthesis",
    "stenosis",
    "pyelonephritis",
    "aorta",
    "vertebra",
    "SSRI",
    "benzodiazepine",
    "epidural",
    "ankylosing",
    "diuretic",
)


def person_read() -> Iterator[tuple[str, str]]:
    for name, condition in KB.conditions.items():
        yield f"conditions.{name}.lay_name", condition.lay_name
        yield f"conditions.{name}.explain", condition.explain
        for evidence in condition.evidence:
            yield f"conditions.{name}.because", evidence.because
    for item in KB.care.items:
        yield f"care.{item.id}", f"{item.title}. {item.text}"
        for contra in item.contraindicated_when:
            yield f"care.{item.id}.because", contra.because
    for name, finding in KB.findings.items():
        yield f"findings.{name}.means", finding.means
        yield f"findings.{name}.question", finding.question
    for rule in KB.rules:
        yield f"triage.{rule.id}.tell", rule.tell


def outside_brackets(text: str) -> str:
    return re.sub(r"\([^()]*\)", "", text)


def test_clinical_terms_are_only_in_brackets_where_a_person_reads_them() -> None:
    bare = [
        (where, term)
        for where, text in person_read()
        for term in TERMS
        if term.lower() in outside_brackets(text).lower()
    ]
    assert not bare, bare
