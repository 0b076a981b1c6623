"""The interview as screens: related questions shown together, every row answered on its own.

A layer over the interview: the interview decides what must be asked, in its order; this
module decides what is shown together, from screens.yaml. The next screen is

1. the first opening screen (screens.yaml `opening`) with a row still to ask, while no
   emergency is certain; then
2. the screen of the first question the interview would ask next, with every other row of
   that screen still to ask (`every_row`), or only those the interview would ask now
   (`when_needed`).

A row is "still to ask" when it is not answered and its context holds (`ask_when`); a row
whose context is not yet known waits for it, as in the interview, and comes on a short
follow-up of its screen if the context turns out to hold. Nothing here answers anything:
each row on a screen gets its own explicit answer from the person, and an unanswered row
stays unknown.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from backspasm.engine.answers import AnswerValue, Facts, facts_from
from backspasm.engine.interview import InterviewStep, Question, next_questions, question_for
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.schema import URGENCY
from backspasm.engine.screen_plan import ScreenSpec

EVERY_PENDING = 10_000  # ask the interview for all its pending questions, not just the first
EMERGENCY = URGENCY["emergency"]


@dataclass(frozen=True)
class Screen:
    """One thing the person answers before the interview moves on."""

    id: str
    heading: str
    why: str
    questions: tuple[Question, ...]
    none_of_these: bool  # one "None of these" may answer every row "no"
    reason: str

    @property
    def grid(self) -> bool:
        """Several rows shown together; a screen of one row is a plain question."""
        return len(self.questions) > 1


@dataclass(frozen=True)
class ScreenStep:
    done: bool
    screen: Screen | None
    number: int  # this screen's place, from 1 (when done: the screens answered)
    estimate: int  # about how many screens in all, this one included
    level: int  # the urgency already certain from the answers so far


def next_screen(kb: KnowledgeBase, answers: Mapping[str, AnswerValue], shown: int) -> ScreenStep:
    """The next screen after `shown` screens, for these answers. Pure: same input, same step."""
    facts = facts_from(kb, answers)
    return screen_for(kb, facts, next_questions(kb, answers, EVERY_PENDING, facts), shown)


def screen_for(kb: KnowledgeBase, facts: Facts, step: InterviewStep, shown: int) -> ScreenStep:
    """The screen for facts already worked out and the interview's step for them (asked with
    `limit=EVERY_PENDING`), so an interview session can supply both."""
    level = certain_level(kb, facts) if step.certain_level is None else step.certain_level
    if step.done:
        return ScreenStep(True, None, shown, shown, level)
    pending = [question.id for question in step.questions]
    screen = _opening_screen(kb, facts, level) or _engine_screen(kb, facts, step, pending, level)
    stage = step.questions[0].stage
    estimate = shown + _screens_left(kb, facts, level, screen.id, pending, stage)
    return ScreenStep(False, screen, shown + 1, max(estimate, shown + 1), level)


def certain_level(kb: KnowledgeBase, facts: Facts) -> int:
    """The urgency of the most urgent rule that certainly holds (0 when none does)."""
    values = facts.values
    return max((urgency for _, test, urgency in kb.index.rule_tests if test(values)), default=0)


def rows_to_ask(
    kb: KnowledgeBase, facts: Facts, spec: ScreenSpec, needed: Collection[str] = ()
) -> list[str]:
    """The rows of this screen still to ask, in the screen's order.

    `needed` are rows that must be on it whatever the screen's `ask` says (the interview's
    next questions); a `when_needed` screen shows only those. A row whose context is not yet
    known waits, as it would in the interview: it is asked once its context holds.
    """
    rows = []
    for name in spec.rows:
        if name in facts.settled:
            continue
        if spec.ask == "when_needed" and name not in needed:
            continue
        gate = kb.findings[name].ask_when
        if name not in needed and gate is not None and gate.evaluate(facts.values) is None:
            continue
        rows.append(name)
    return rows


def _opening_screen(kb: KnowledgeBase, facts: Facts, level: int) -> Screen | None:
    if level >= EMERGENCY:
        return None
    for spec in kb.screens.opening:
        rows = rows_to_ask(kb, facts, spec)
        if rows:
            return _screen(kb, spec, rows, "about you and the pain")
    return None


def _engine_screen(
    kb: KnowledgeBase, facts: Facts, step: InterviewStep, pending: list[str], level: int
) -> Screen:
    """The screen of the interview's next question. Once an emergency is certain, only what
    could make it more urgent is asked: the interview's own questions, and the screen's other
    findings of rules more urgent than the level already certain."""
    first = step.questions[0]
    spec = kb.screens.screen_of[first.id]
    needed: Collection[str] = pending
    if level >= EMERGENCY:  # only what could still make it more urgent
        spec = spec.model_copy(update={"ask": "when_needed"})
        needed = kb.index.rule_findings_above[level].union(pending)
    elif spec.ask == "when_needed":
        needed = kb.screens.plan_checks_from[level].union(pending)
    rows = rows_to_ask(kb, facts, spec, needed)
    if first.id not in rows:  # the interview's own next question is always on its screen
        rows.insert(0, first.id)
    return _screen(kb, spec, rows, step.reason, first.stage)


def _screen(
    kb: KnowledgeBase, spec: ScreenSpec, rows: list[str], reason: str, stage: str = "about_you"
) -> Screen:
    questions = tuple(question_for(kb, name, stage) for name in rows)
    none_ok = spec.none_of_these and len(questions) > 1
    return Screen(spec.id, spec.heading, spec.why, questions, none_ok, reason)


def _screens_left(
    kb: KnowledgeBase, facts: Facts, level: int, current: str, pending: list[str], stage: str
) -> int:
    """About how many screens are left, this one included: the screens holding a row that is
    still open and could still matter - an opening row, a finding of a rule that could raise
    the level, a safety check of the advice at this level or above, evidence for a contributor
    until the interview has passed that stage, or a question the interview would ask now."""
    plan = kb.screens
    could_matter = kb.index.rule_findings_above[level] | plan.plan_checks_from[level]
    could_matter |= set(pending)
    if stage in ("about_you", "red_flags"):  # the contributor questions are still to come
        could_matter |= plan.evidence
    screens = {current}
    for spec in plan.screens:
        if spec.id in screens:
            continue
        opening = spec.opening is not None and level < EMERGENCY
        for name in spec.rows:
            if name in facts.settled:
                continue
            if opening or name in could_matter:
                screens.add(spec.id)
                break
    return len(screens)
