"""The adaptive interview: which question to ask next, or that we are done.

Order: the opening questions; red flags from the most urgent rule down; what could confirm
the rule behind the level; what can still change the three likeliest contributors; then the
safety checks (contraindications) of the advice the plan will give. A question is skipped when
its answer cannot change the care level, the top three or the safety of the plan; the
interview stops as soon as an emergency is certain. Tailoring facts (smoking, weight) are not
asked for their own sake: the plan uses them when they are known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backspasm.engine.answers import AnswerValue, Facts, facts_from
from backspasm.engine.contributors import could_change_top, ranked_ids, scores
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import Expr, open_findings
from backspasm.engine.schema import DISPOSITIONS, URGENCY, Finding
from backspasm.engine.triage import settled_level_and_open_rules, suspects_of

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
    stage: str  # about_you | red_flags | contributors | plan_safety
    help: str = ""
    why: str = ""
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    unit: str = ""
    unsure_allowed: bool = False
    unsure_label: str = ""  # "" = the interface's usual "not sure"


@dataclass(frozen=True)
class InterviewStep:
    done: bool
    questions: tuple[Question, ...]
    reason: str
    asked: int
    remaining_estimate: int
    rules_pending: tuple[str, ...] = field(default=())
    # the urgency of the most urgent rule that certainly holds, when this step worked it out
    certain_level: int | None = None


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
        unsure_label=finding.unsure_label,
    )


def next_questions(
    kb: KnowledgeBase,
    answers: Mapping[str, AnswerValue],
    limit: int = 1,
    facts: Facts | None = None,
) -> InterviewStep:
    """The next question(s) for these answers, or that the interview is done; `facts` are
    `facts_from(kb, answers)` when the caller has worked them out already.

    Pure: same answers, same step. This is the one interview path; `InterviewSession` only
    keeps the answers (and the cause scores worked out from them) between calls.
    """
    return _step(kb, answers, limit, ScoreMemo(), facts)


class ScoreMemo:
    """Cause scores and contributor scans, by exactly what they read, and the questions
    built, for one interview.

    Created per call or per session, never shared between people: answers the scores cannot
    see (medicine safety checks, say) then do not make every later step repeat them.
    """

    def __init__(self) -> None:
        self._found: dict[object, Any] = {}

    def get(self, key: object, work: Callable[[], Any]) -> Any:
        if key not in self._found:
            self._found[key] = work()
        return self._found[key]


class InterviewSession:
    """An interview answered one step at a time: `next` gives what `next_questions` gives for
    the answers so far, remembering cause scores from earlier steps."""

    def __init__(self, kb: KnowledgeBase, answers: Mapping[str, AnswerValue] | None = None) -> None:
        self.kb = kb
        self.answers: dict[str, AnswerValue] = dict(answers or {})
        self._memo = ScoreMemo()
        self._facts: tuple[tuple[tuple[str, AnswerValue], ...], Facts] | None = None

    def next(self, limit: int = 1) -> InterviewStep:
        return _step(self.kb, self.answers, limit, self._memo, self.facts())

    def facts(self) -> Facts:
        """The facts for the answers so far, worked out once per set of answers."""
        answered = tuple(self.answers.items())
        if self._facts is None or self._facts[0] != answered:
            self._facts = (answered, facts_from(self.kb, self.answers))
        return self._facts[1]

    def answer(self, name: str, value: AnswerValue) -> None:
        """Record one (validated) answer."""
        self.answers[name] = value


def _step(
    kb: KnowledgeBase,
    answers: Mapping[str, AnswerValue],
    limit: int,
    memo: ScoreMemo,
    facts: Facts | None = None,
) -> InterviewStep:
    facts = facts_from(kb, answers) if facts is None else facts
    asked = len(answers)

    def question(name: str, stage: str) -> Question:  # built once per interview
        built: Question = memo.get(("question", name, stage), lambda: question_for(kb, name, stage))
        return built

    certain: int | None = None

    def ask(
        names: Sequence[str], stage: str, reason: str, remaining: int, rules: tuple[str, ...] = ()
    ) -> InterviewStep:
        questions = tuple(question(name, stage) for name in names[:limit])
        return InterviewStep(False, questions, reason, asked, remaining, rules, certain)

    opening = _opening(kb, facts)
    if opening:
        return ask(opening, "about_you", "about you", len(opening) + len(kb.red_flags))
    level, open_rules, held = settled_level_and_open_rules(kb, facts, limit)
    certain = max((URGENCY[rule.disposition] for rule in held), default=0)
    picked = _questions_among(kb, facts, (item.findings for item in open_rules), limit)
    if picked:
        remaining = _unsettled_rule_findings(kb, facts, above=level)
        return ask(
            picked,
            "red_flags",
            f"could raise the care level (checking: {open_rules[0].rule.id})",
            remaining + (0 if level >= EMERGENCY else 3),
            tuple(item.rule.id for item in open_rules),
        )
    if level >= EMERGENCY:
        return InterviewStep(True, (), "an emergency is certain", asked, 0, (), certain)
    suspected = suspects_of(held)
    scoring = _scoring_key(kb, facts, suspected)
    explaining = _explaining_questions(kb, facts, level, suspected, limit, memo, scoring)
    if explaining:
        return ask(
            explaining,
            "red_flags",
            "could confirm why this care level applies",
            len(explaining) + 1,
        )
    contributors = _contributor_questions(kb, facts, suspected, limit, memo, scoring)
    if contributors:
        return ask(
            contributors,
            "contributors",
            "could change the likeliest contributors",
            len(contributors) + 1,
        )
    checks = _safety_check_questions(kb, facts, DISPOSITIONS[level], limit)
    if checks:
        return ask(checks, "plan_safety", "checks the advice is safe for you", len(checks) + 1)
    missing = [n for n, f in kb.findings.items() if f.required and n not in facts.settled]
    if missing:
        return ask(missing, "about_you", "completes the record", len(missing))
    return InterviewStep(
        True, (), "nothing left that could change the result", asked, 0, (), certain
    )


def _unsettled_rule_findings(kb: KnowledgeBase, facts: Facts, above: int) -> int:
    """A cheap upper estimate of the red-flag questions still to come, for progress display:
    the unasked findings of rules that could still raise the level."""
    return len(kb.index.rule_findings_above[above] - facts.settled)


def _questions_deciding(
    kb: KnowledgeBase, facts: Facts, conditions: Iterable[Expr], limit: int
) -> list[str]:
    """The next questions that could decide these conditions, in order, each after its context."""
    open_lists = (open_findings(condition, facts.values, facts.settled) for condition in conditions)
    return _questions_among(kb, facts, open_lists, limit)


def _questions_among(
    kb: KnowledgeBase, facts: Facts, open_lists: Iterable[list[str]], limit: int
) -> list[str]:
    """The next questions from the open findings of several conditions (`open_findings` of
    each, in order), each after its context."""
    picked: list[str] = []
    for findings in open_lists:
        for finding in findings:
            first = _context_first(kb, facts, finding)
            if first not in picked:
                picked.append(first)
                if len(picked) >= limit:
                    return picked
    return picked


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
    return [name for name in kb.index.opening_order if name not in facts.settled]


def _explaining_questions(
    kb: KnowledgeBase,
    facts: Facts,
    level: int,
    suspected: Sequence[str],
    limit: int,
    memo: ScoreMemo,
    scoring: object,
) -> list[str]:
    """Questions that could confirm a rule at the current level pointing to a top-three cause.

    The level is already set, but the reason shown (say, an inflammatory pattern rather than
    pain lasting six weeks) changes what the person and their clinician do next.
    """
    if level == 0:
        return []
    undecided = [
        rule
        for rule in kb.rules
        if URGENCY[rule.disposition] == level
        and rule.suspects
        and rule.when.evaluate(facts.values) is None
    ]
    if not undecided:
        return []
    top = set(_current_scores(kb, facts, suspected, memo, scoring)[1][:3])
    pointing = (rule.when for rule in undecided if set(rule.suspects) & top)
    return _questions_deciding(kb, facts, pointing, limit)


def _safety_check_questions(
    kb: KnowledgeBase, facts: Facts, disposition: str, limit: int
) -> list[str]:
    """Unknown contraindications of the advice this care level will actually give."""
    checks = (
        contraindication.when
        for item in kb.care.items
        if disposition in item.levels
        and (item.applies_when is None or item.applies_when.evaluate(facts.values) is True)
        for contraindication in item.contraindicated_when
    )
    return _questions_deciding(kb, facts, checks, limit)


def _contributor_questions(
    kb: KnowledgeBase,
    facts: Facts,
    suspected: Sequence[str],
    limit: int,
    memo: ScoreMemo,
    scoring: object,
) -> list[str]:
    def scan() -> tuple[str, ...]:
        current, ranked = _current_scores(kb, facts, suspected, memo, scoring)
        return _scan_contributors(kb, facts, current, ranked, limit)

    picked: tuple[str, ...] = memo.get(("contributors", limit, scoring), scan)
    return list(picked)


def _scoring_key(kb: KnowledgeBase, facts: Facts, suspected: Sequence[str]) -> object:
    """Exactly what the cause scores and the contributor scan read: the memo's key."""
    reads = kb.index.contributor_reads
    values = facts.values
    return (
        frozenset((name, values[name]) for name in reads.intersection(values)),
        facts.settled & reads,
        tuple(suspected),  # with the facts above, this fixes the scores
    )


def _current_scores(
    kb: KnowledgeBase, facts: Facts, suspected: Sequence[str], memo: ScoreMemo, scoring: object
) -> tuple[dict[str, float], list[str]]:
    """The cause scores and their ranking."""

    def work() -> tuple[dict[str, float], list[str]]:
        current = scores(kb, facts.values, suspected)
        return current, ranked_ids(kb, current)

    found: tuple[dict[str, float], list[str]] = memo.get(("scores", scoring), work)
    return found


def _scan_contributors(
    kb: KnowledgeBase,
    facts: Facts,
    current: Mapping[str, float],
    ranked: Sequence[str],
    limit: int,
) -> tuple[str, ...]:
    picked: list[str] = []
    for name in kb.index.contributor_candidates:
        # A finding whose context rules it out is already settled (False) in `facts`.
        if name in facts.settled:
            continue
        if could_change_top(kb, facts.values, current, ranked, name):
            first = _context_first(kb, facts, name)
            if first not in picked:
                picked.append(first)
            if len(picked) >= limit:
                break
    return tuple(picked)
