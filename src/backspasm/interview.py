"""The adaptive interview: which question to ask next, or that we are done.

Order: the opening questions, then red flags from the most urgent rule down, then what can
still change the three likeliest contributors. A question is skipped when its answer cannot
change the care level or the top three; the interview stops as soon as an emergency is
certain. Medicine-safety questions are not asked here: the plan screens what it knows and
lists the remaining checks beside each medicine (see `care_plan`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from backspasm.answers import AnswerValue, Facts, facts_from
from backspasm.causes import could_change_top, scores
from backspasm.expressions import open_findings
from backspasm.knowledge_base import KnowledgeBase
from backspasm.knowledge_files import URGENCY, Finding
from backspasm.triage import settled_level_and_open_rules, suspected_by

EMERGENCY = URGENCY["emergency"]


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    """One finding put to the person, with everything a front end needs to render it."""

    id: str
    text: str
    type: str
    stage: str  # about_you | red_flags | contributors
    help: str = ""
    why: str = ""
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    unit: str = ""
    unsure_allowed: bool = False


@dataclass(frozen=True)
class InterviewStep:
    done: bool
    questions: tuple[Question, ...]
    reason: str
    asked: int
    remaining_estimate: int
    rules_pending: tuple[str, ...] = field(default=())


def question_for(kb: KnowledgeBase, finding_id: str, stage: str) -> Question:
    finding: Finding = kb.findings[finding_id]
    options = tuple(
        Option(value, finding.option_labels.get(value, value.replace("_", " ").capitalize()))
        for value in finding.options
    )
    return Question(
        id=finding_id,
        text=finding.question,
        type=finding.type,
        stage=stage,
        help=finding.help,
        why=finding.why,
        options=options,
        min=finding.min,
        max=finding.max,
        unit=finding.unit,
        unsure_allowed=finding.unsure,
    )


def next_questions(
    kb: KnowledgeBase, answers: Mapping[str, AnswerValue], limit: int = 1
) -> InterviewStep:
    """The next question(s) for these answers. Pure: same answers, same step."""
    facts = facts_from(kb, answers)
    asked = len(answers)
    opening = _opening(kb, facts)
    if opening:
        picked = opening[:limit]
        return InterviewStep(
            False,
            tuple(question_for(kb, name, "about_you") for name in picked),
            "about you",
            asked,
            len(opening) + len(kb.red_flags),
        )
    level, open_rules = settled_level_and_open_rules(kb, facts)
    red_flag_questions: list[str] = []
    for item in open_rules:
        for finding in item.findings:
            asked_first = _context_first(kb, facts, finding)
            if asked_first not in red_flag_questions:
                red_flag_questions.append(asked_first)
    if red_flag_questions:
        picked = red_flag_questions[:limit]
        return InterviewStep(
            False,
            tuple(question_for(kb, name, "red_flags") for name in picked),
            f"could raise the care level (checking: {open_rules[0].rule.id})",
            asked,
            len(red_flag_questions) + 3,
            tuple(item.rule.id for item in open_rules),
        )
    if level >= EMERGENCY:
        return InterviewStep(True, (), "an emergency is certain", asked, 0)
    suspected = suspected_by(kb, facts)
    contributors = _contributor_questions(kb, facts, suspected, limit)
    if contributors:
        return InterviewStep(
            False,
            tuple(question_for(kb, name, "contributors") for name in contributors),
            "could change the likeliest contributors",
            asked,
            len(contributors) + 1,
        )
    missing = [n for n, f in kb.findings.items() if f.required and n not in facts.settled]
    if missing:
        picked = missing[:limit]
        return InterviewStep(
            False,
            tuple(question_for(kb, name, "about_you") for name in picked),
            "completes the record",
            asked,
            len(missing),
        )
    return InterviewStep(True, (), "nothing left that could change the result", asked, 0)


def _context_first(kb: KnowledgeBase, facts: Facts, finding: str) -> str:
    """The question to ask before this one: an open finding of its context, if any.

    A question that only matters in some context (`ask_when`) waits until that context is
    known, so asking the context can make the question unnecessary.
    """
    seen = {finding}
    while True:
        gate = kb.findings[finding].ask_when
        if gate is None or gate.evaluate(facts.values) is not None:
            return finding
        pending = [f for f in open_findings(gate, facts.values, facts.settled) if f not in seen]
        if not pending:
            return finding
        finding = pending[0]
        seen.add(finding)


def _opening(kb: KnowledgeBase, facts: Facts) -> list[str]:
    firsts = [(f.ask_first, name) for name, f in kb.findings.items() if f.ask_first is not None]
    return [name for _, name in sorted(firsts) if name not in facts.settled]


def _contributor_questions(
    kb: KnowledgeBase, facts: Facts, suspected: Sequence[str], limit: int
) -> list[str]:
    current = scores(kb, facts.values, suspected)
    picked: list[str] = []
    for name, finding in kb.findings.items():
        if name in facts.settled or finding.type != "bool":
            continue
        if finding.ask_when is not None and finding.ask_when.evaluate(facts.values) is False:
            continue
        if could_change_top(kb, facts.values, current, name):
            first = _context_first(kb, facts, name)
            if first not in picked:
                picked.append(first)
            if len(picked) >= limit:
                break
    return picked
