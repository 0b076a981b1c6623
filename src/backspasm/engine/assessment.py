"""assess(answers) -> one Assessment: care level, reasons, likely contributors, plan, safety-net.

Pure: no clock, database or network. The result carries the knowledge version and content
hash, so a stored result can be replayed and compared exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from backspasm.engine.answers import AnswerValue, Facts, facts_from
from backspasm.engine.care_plan import build_plan
from backspasm.engine.citations import SourceRef, source_ref
from backspasm.engine.contributors import TOP, rank_causes
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import open_findings
from backspasm.engine.numbers import Numbers, fill_all
from backspasm.engine.schema import URGENCY, Citation
from backspasm.engine.triage import Triage, triage


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Reason(Out):
    rule: str
    summary: str
    tell: str
    level: str
    confirmed: bool
    sources: list[SourceRef]


class LikelyContributor(Out):
    """A clinical condition (conditions.yaml) as a result shows it: a likely contributor,
    never a diagnosis."""

    id: str
    name: str
    lay_name: str
    explain: str
    likelihood: str
    score: float
    serious: bool
    likely_because: list[str]
    less_likely_because: list[str]


class PlanItem(Out):
    id: str
    stage: str
    title: str
    text: str
    medicine_class: str
    check_first: list[str]
    sources: list[SourceRef]
    # The level's one first action (care.yaml `first_action`): faces show it in place of the
    # level's own instruction, as the headline and the single thing to do.
    first_action: bool = False


class Withheld(Out):
    id: str
    title: str
    because: list[str]


class SafetyNetItem(Out):
    sign: str
    action: str  # the level the sign calls for
    action_text: str  # what to do: the level's instruction, or the sign's own first action
    # The sign's own first action (care.yaml safety_net `first_action`): faces show
    # `action_text` whole, with the level's call only as the fallback its text names.
    first_action: bool = False


class CheckIn(Out):
    within_days: int
    text: str


class Disposition(Out):
    id: str
    urgency: int
    text: str
    emergency: bool


class KnowledgeStamp(Out):
    version: str
    hash: str


class Assessment(Out):
    disposition: Disposition
    reasons: list[Reason]
    # The likely contributors, most likely first. The JSON key stays `causes`: it is the
    # published API shape, stored results are read back with it, and the spec's evaluation
    # keys (`causes_include`, `top_causes`) use the same word.
    causes: list[LikelyContributor]
    plan: list[PlanItem]
    withheld: list[Withheld]
    safety_net: list[SafetyNetItem]
    check_in: CheckIn
    unknown_red_flags: list[str]
    answers: dict[str, AnswerValue]
    disclaimer: str
    knowledge: KnowledgeStamp

    @property
    def first_action(self) -> PlanItem | None:
        """The care item that is this level's one first action, if one applies (care.yaml
        `first_action`): every face shows it in place of the level's own instruction."""
        return next((item for item in self.plan if item.first_action), None)


def assess(kb: KnowledgeBase, answers: Mapping[str, AnswerValue]) -> Assessment:
    """Assess validated answers (see `answers.validate_answers`)."""
    facts = facts_from(kb, answers)
    result = triage(kb, facts)
    ranked = rank_causes(kb, facts.values, _suspected(result), explain=TOP + 2)
    plan = build_plan(
        kb, result.disposition, facts.values, _level_rules(result, facts), facts.unsure
    )
    meaning: dict[str, str] = {str(k): v for k, v in kb.meta.dispositions.items()}
    return Assessment(
        disposition=Disposition(
            id=result.disposition,
            urgency=URGENCY[result.disposition],
            text=meaning[result.disposition],
            emergency=result.urgency >= URGENCY["emergency"],
        ),
        reasons=[
            Reason(
                rule=o.rule.id,
                summary=o.rule.summary,
                tell=o.rule.tell,
                level=o.level,
                confirmed=o.confirmed,
                sources=source_refs(kb, o.rule.sources),
            )
            for o in result.outcomes
            if o.urgency > 0
        ],
        causes=[
            LikelyContributor(
                id=cause.id,
                name=cause.condition.name,
                lay_name=cause.condition.lay_name,
                explain=cause.condition.explain,
                likelihood=cause.likelihood,
                score=cause.score,
                serious=cause.condition.serious,
                likely_because=list(cause.likely_because),
                less_likely_because=list(cause.less_likely_because),
            )
            for cause in ranked
        ],
        plan=[
            PlanItem(
                id=p.item.id,
                stage=p.item.stage,
                title=p.item.title,
                text=p.item.text,
                medicine_class=p.item.medicine_class,
                check_first=list(p.check_first),
                sources=source_refs(kb, p.sources),
                first_action=p.item.first_action,
            )
            for p in plan.items
        ],
        withheld=[
            Withheld(id=w.item.id, title=w.item.title, because=list(w.because))
            for w in plan.withheld
        ],
        safety_net=[
            SafetyNetItem(
                sign=s.sign.sign,
                action=s.sign.action,
                action_text=s.first_action or meaning[s.sign.action],
                first_action=bool(s.first_action),
            )
            for s in plan.safety_net
        ],
        check_in=CheckIn(within_days=plan.review.within_days, text=plan.review.text),
        unknown_red_flags=[name for name in kb.red_flags if name not in facts.values],
        answers=dict(answers),
        disclaimer=kb.meta.disclaimer,
        knowledge=KnowledgeStamp(version=kb.version, hash=kb.content_hash),
    )


def with_numbers(result: Assessment, numbers: Numbers) -> Assessment:
    """The result as a person reads it, with this deployment's phone numbers in its texts
    (`numbers.py`). The answers are left as given."""
    data = result.model_dump(mode="json")
    filled = {key: data[key] if key == "answers" else fill_all(data[key], numbers) for key in data}
    return Assessment.model_validate(filled)


def _suspected(result: Triage) -> list[str]:
    """What `triage.suspected_by` gives, read off the outcomes instead of evaluating again.

    Outcomes are sorted most urgent first, keeping the rules' written order within a level,
    and a confirmed outcome's level is its rule's disposition, so the order is the same.
    """
    return [c for outcome in result.outcomes if outcome.confirmed for c in outcome.rule.suspects]


def source_refs(kb: KnowledgeBase, citations: Sequence[Citation]) -> list[SourceRef]:
    """The rules' and advice's citations were resolved by the loader; others are made here."""
    table = kb.index.source_refs
    return [
        table.get((c.source, c.locator)) or source_ref(kb.sources[c.source], c) for c in citations
    ]


def _level_rules(result: Triage, facts: Facts) -> list[str]:
    """The rules that set the level from what the person said: those that hold, and those
    left open only by a "not sure" answer. A rule open because its questions were never asked
    (the interview stops asking once nothing could raise the level) says nothing about them."""
    return [
        outcome.rule.id
        for outcome in result.outcomes
        if outcome.level == result.disposition
        and (outcome.confirmed or not open_findings(outcome.rule.when, facts.values, facts.settled))
    ]
