"""Load the knowledge files, check every cross-reference, and fingerprint the content.

Loading is strict: a problem anywhere (unknown key, dangling id, uncited item, unused source,
a value of the wrong type, a red flag used in a way that could lower urgency) stops the load
with every problem listed by file and item. The sha256 of every knowledge file (FILES and
ALSO_HASHED: each `*.yaml` in the folder, a test checks) is the knowledge version that every
result records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from backspasm.engine.exercise_schema import (
    ExercisesFile,
    NextStepsFile,
    check_exercises,
    check_next_steps,
)
from backspasm.engine.hazards import hazard_problems
from backspasm.engine.index import KnowledgeIndex, build_index
from backspasm.engine.logic import Expr, Test, comparisons_in, describe, findings_in
from backspasm.engine.numbers import placeholder_problems
from backspasm.engine.schema import (
    URGENCY,
    CareFile,
    CareItem,
    Condition,
    ConditionsFile,
    Finding,
    FindingsFile,
    FollowupFile,
    Measure,
    Meta,
    Rewording,
    Rule,
    SafetyNet,
    Source,
    SourcesFile,
    TriageFile,
)
from backspasm.engine.screen_plan import ScreenPlan, ScreensFile, plan_problems
from backspasm.engine.yaml_files import DuplicateKeyError, load_yaml

FILES: dict[str, type[BaseModel]] = {
    "meta.yaml": Meta,
    "sources.yaml": SourcesFile,
    "findings.yaml": FindingsFile,
    "triage.yaml": TriageFile,
    "conditions.yaml": ConditionsFile,
    "care.yaml": CareFile,
    "followup.yaml": FollowupFile,
    "screens.yaml": ScreensFile,
    "exercises.yaml": ExercisesFile,
    "next_steps.yaml": NextStepsFile,
}
# Read by their own loaders, and part of the content hash too: the lexicon changes what a
# person's words are read as; the hazard log gates the load (it must cover every rule) and the
# safety case it prints names this hash, so two different logs never claim the same one.
ALSO_HASHED = ("lexicon.yaml", "hazards.yaml")


class KnowledgeError(Exception):
    """The knowledge files are inconsistent; `problems` lists each as 'file: item: message'."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """The loaded knowledge, with the indexes derived from it (`index`), computed once."""

    meta: Meta
    sources: dict[str, Source]
    findings: dict[str, Finding]
    rules: tuple[Rule, ...]
    conditions: dict[str, Condition]
    care: CareFile
    followup: FollowupFile
    content_hash: str
    screens: ScreenPlan
    exercises: ExercisesFile
    next_steps: NextStepsFile
    index: KnowledgeIndex
    rewording: tuple[Rewording, ...] = ()  # questions about someone else (engine/wording.py)

    @property
    def version(self) -> str:
        return self.meta.version

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def red_flags(self) -> tuple[str, ...]:
        return self.index.red_flags


def default_directory() -> Path:
    return Path(str(resources.files("backspasm") / "knowledge"))


def load_knowledge() -> KnowledgeBase:
    """Read the packaged knowledge base. Each call reads and checks the files again: the faces
    (web app, command line) load it once and hold it; the engine keeps no copy."""
    return read_knowledge(default_directory())


def read_knowledge(folder: Path) -> KnowledgeBase:
    """Read and check the knowledge files in `folder`, every time (for review and tests)."""
    raw: dict[str, bytes] = {}
    problems: list[str] = []
    parsed: dict[str, BaseModel] = {}
    for name, model in FILES.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: file is missing")
            continue
        raw[name] = path.read_bytes()
        try:
            data = load_yaml(raw[name])
        except DuplicateKeyError as error:
            problems.append(f"{name}: {error}")
            continue
        except yaml.YAMLError as error:
            problems.append(f"{name}: not valid YAML: {error}")
            continue
        problems += placeholder_problems(name, data)
        try:
            parsed[name] = model.model_validate(data)
        except ValidationError as error:
            problems.extend(_describe_validation(name, data, error))
    for name in ALSO_HASHED:
        if (folder / name).is_file():
            raw[name] = (folder / name).read_bytes()
    if problems:
        raise KnowledgeError(problems)
    digest = hashlib.sha256()
    for name in sorted(raw):
        digest.update(name.encode() + b"\0" + raw[name] + b"\0")
    meta = parsed["meta.yaml"]
    sources = parsed["sources.yaml"]
    findings = parsed["findings.yaml"]
    triage = parsed["triage.yaml"]
    conditions = parsed["conditions.yaml"]
    care = parsed["care.yaml"]
    followup = parsed["followup.yaml"]
    screens = parsed["screens.yaml"]
    assert isinstance(followup, FollowupFile) and isinstance(screens, ScreensFile)
    exercises, next_steps = parsed["exercises.yaml"], parsed["next_steps.yaml"]
    assert isinstance(exercises, ExercisesFile) and isinstance(next_steps, NextStepsFile)
    assert isinstance(meta, Meta) and isinstance(sources, SourcesFile)
    assert isinstance(findings, FindingsFile) and isinstance(triage, TriageFile)
    assert isinstance(conditions, ConditionsFile) and isinstance(care, CareFile)
    kb = KnowledgeBase(
        meta=meta,
        sources=sources.sources,
        findings=findings.findings,
        rules=tuple(triage.rules),
        conditions=conditions.conditions,
        care=care,
        followup=followup,
        content_hash=digest.hexdigest(),
        screens=ScreenPlan.build(screens, conditions.conditions, care),
        exercises=exercises,
        next_steps=next_steps,
        index=build_index(
            findings.findings,
            triage.rules,
            conditions.conditions,
            sources.sources,
            care.items,
        ),
        rewording=tuple(findings.about_someone_else),
    )
    problems = list(_cross_check(kb))
    problems += hazard_problems(folder, kb)  # the hazard log (hazards.py) must cover the rules
    problems += plan_problems(screens, kb.findings)  # every finding on exactly one screen
    if problems:
        raise KnowledgeError(problems)
    return kb


def _describe_validation(file: str, data: object, error: ValidationError) -> list[str]:
    out = []
    for item in error.errors():
        location = list(item["loc"])
        label = _item_label(data, location)
        where = ".".join(str(part) for part in location)
        out.append(f"{file}: {label}{where}: {item['msg']}")
    return out


def _item_label(data: object, location: list[Any]) -> str:
    """Name list items by their id, so an error says which rule rather than rules.17."""
    if len(location) >= 2 and isinstance(data, dict) and isinstance(location[1], int):
        items = data.get(location[0])
        if isinstance(items, list) and location[1] < len(items):
            entry = items[location[1]]
            if isinstance(entry, dict) and "id" in entry:
                return f"[{entry['id']}] "
    return ""


def _cross_check(kb: KnowledgeBase) -> Iterable[str]:
    used_sources: set[str] = set()

    def cites(file: str, item: str, citations: Iterable[Any]) -> Iterable[str]:
        for citation in citations:
            used_sources.add(citation.source)
            if citation.source not in kb.sources:
                yield f"{file}: {item}: cites unknown source {citation.source!r}"

    def expression(file: str, item: str, expr: Expr) -> Iterable[str]:
        for test, _ in comparisons_in(expr):
            yield from _check_test(kb.findings, file, item, test)

    for name, finding in kb.findings.items():
        if finding.ask_when is not None:
            yield from expression("findings.yaml", name, finding.ask_when)
        if finding.part_of:
            wider = kb.findings.get(finding.part_of)
            if wider is None or wider.type != "bool" or wider.part_of:
                yield f"findings.yaml: {name}: part_of names no yes/no finding {finding.part_of!r}"

    seen: set[str] = set()
    for rule in kb.rules:
        if rule.id in seen:
            yield f"triage.yaml: {rule.id}: duplicate rule id"
        seen.add(rule.id)
        yield from cites("triage.yaml", rule.id, rule.sources)
        yield from expression("triage.yaml", rule.id, rule.when)
        for name in rule.look_alikes:
            if name not in kb.findings:
                yield f"triage.yaml: {rule.id}: look_alikes names unknown finding {name!r}"
        for condition in rule.suspects:
            if condition not in kb.conditions:
                yield f"triage.yaml: {rule.id}: suspects unknown condition {condition!r}"
        for test, negated in comparisons_in(rule.when):
            used = kb.findings.get(test.finding)
            if used and used.red_flag and (negated or test.value is not True):
                yield (
                    f"triage.yaml: {rule.id}: red flag {test.finding!r} is used negatively; "
                    "that could let a new red flag lower the urgency"
                )

    for name, entry in kb.conditions.items():
        yield from cites("conditions.yaml", name, entry.sources)
        for index, evidence in enumerate(entry.evidence):
            yield from expression("conditions.yaml", f"{name}.evidence[{index}]", evidence.when)

    yield from _check_care(kb, cites, expression)
    yield from _check_followup(kb, cites)
    yield from check_exercises(
        kb.exercises,
        kb.followup,
        cites,
        lambda file, item, expr: expression(file, item, expr),
        _check_measures,
    )
    yield from check_next_steps(
        kb.next_steps, cites, lambda file, item, expr: expression(file, item, expr)
    )

    for unused in sorted(set(kb.sources) - used_sources):
        yield f"sources.yaml: {unused}: not cited by any rule, condition or advice"
    for level in URGENCY:
        if level not in kb.meta.dispositions:
            yield f"meta.yaml: dispositions: {level!r} has no plain-language text"
        if level not in kb.meta.level_titles:
            yield f"meta.yaml: level_titles: {level!r} has no title"


def _check_care(kb: KnowledgeBase, cites: Any, expression: Any) -> Iterable[str]:
    ids: set[str] = set()
    entries: list[CareItem | SafetyNet] = [*kb.care.items, *kb.care.safety_net]
    for entry in entries:
        if entry.id in ids:
            yield f"care.yaml: {entry.id}: duplicate id"
        ids.add(entry.id)
        yield from cites("care.yaml", entry.id, entry.sources)
        if entry.applies_when is not None:
            yield from expression("care.yaml", entry.id, entry.applies_when)
    for sign in kb.care.safety_net:
        for action in sign.first_action:
            if action.when is not None:
                yield from expression("care.yaml", f"{sign.id} (first_action)", action.when)
    items = {item.id: item for item in kb.care.items}
    for item in kb.care.items:
        for contra in item.contraindicated_when:
            yield from expression("care.yaml", item.id, contra.when)
            if contra.if_unsure == "withhold" and not _offers_unsure(kb, contra.when):
                yield (
                    f"care.yaml: {item.id}: if_unsure: withhold, but no finding in "
                    f"{describe(contra.when)} can be answered 'not sure'"
                )
        if item.applies_if_unsure and (
            item.applies_when is None or not _offers_unsure(kb, item.applies_when)
        ):
            yield (
                f"care.yaml: {item.id}: applies_if_unsure, but no finding in its "
                "applies_when can be answered 'not sure'"
            )
        if all(citation.when is not None for citation in item.sources):
            yield f"care.yaml: {item.id}: needs a source that concerns everyone (one without when)"
        for citation in item.sources:
            if citation.when is not None:
                yield from expression("care.yaml", f"{item.id} ({citation.source})", citation.when)
        for name in item.first_action_for:
            try:
                rule = kb.rule(name)
            except KeyError:
                yield f"care.yaml: {item.id}: first_action_for names unknown rule {name!r}"
                continue
            if rule.disposition not in item.levels:
                yield f"care.yaml: {item.id}: first_action_for rule {name!r} sets another level"
        for name in item.replaces:
            other = items.get(name)
            if other is None:
                yield f"care.yaml: {item.id}: replaces unknown care item {name!r}"
            elif other is item or other.first_action:
                yield f"care.yaml: {item.id}: cannot replace {name!r} (itself or a first action)"
            elif not set(item.levels) & set(other.levels):
                yield f"care.yaml: {item.id}: replaces {name!r}, which shares none of its levels"
    for review in kb.care.reviews:
        yield from cites("care.yaml", f"reviews.{review.level}", review.sources)
    levels = {review.level for review in kb.care.reviews}
    for level in URGENCY:
        if level not in levels:
            yield f"care.yaml: reviews: no check-in time for {level!r}"


def _offers_unsure(kb: KnowledgeBase, expr: Expr) -> bool:
    """Whether any finding of `expr` offers a "not sure" answer (unknown names are reported
    by the expression check)."""
    return any(name in kb.findings and kb.findings[name].unsure for name in findings_in(expr))


def _check_followup(kb: KnowledgeBase, cites: Any) -> Iterable[str]:
    """Follow-up expressions test measures, not findings; the diary names findings and care."""
    file = "followup.yaml"
    followup = kb.followup
    measures = {
        name: Finding(
            type=m.type, means=m.means, question="", group="measure", min=m.min, max=m.max
        )
        for name, m in followup.measures.items()
    }

    def expression(item: str, expr: Expr) -> Iterable[str]:
        for test, _ in comparisons_in(expr):
            yield from _check_test(measures, file, item, test)

    for name, measure in followup.measures.items():
        if not (measure.says and measure.says_otherwise):
            yield f"{file}: measures.{name}: needs says and says_otherwise (the summary's words)"
    for name in followup.diary.symptoms:
        finding = kb.findings.get(name)
        if finding is None:
            yield f"{file}: diary.symptoms: unknown finding {name!r}"
        elif finding.type != "bool":
            yield f"{file}: diary.symptoms: {name} is {finding.type}; a symptom is yes/no"
    care_ids = {item.id for item in kb.care.items}
    for name in followup.diary.tried:
        if name not in care_ids:
            yield f"{file}: diary.tried: unknown care item {name!r}"
    yield from cites(file, "retriage", followup.retriage.sources)
    yield from expression("retriage.worsening", followup.retriage.pain_course.worsening)
    yield from expression("retriage.improving", followup.retriage.pain_course.improving)
    for kind, entries in (
        ("rules", followup.rules),
        ("stages", followup.stages),
        ("check_ins", followup.check_ins),
    ):
        ids = [entry.id for entry in entries]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            yield f"{file}: {kind}: duplicate id {duplicate!r}"
    for rule in followup.rules:
        yield from cites(file, rule.id, rule.sources)
        yield from expression(rule.id, rule.when)
    for stage in followup.stages:
        yield from cites(file, stage.id, stage.sources)
        if stage.enter_when is not None:
            yield from expression(stage.id, stage.enter_when)
        for item in stage.items:
            if item not in care_ids:
                yield f"{file}: {stage.id}: unknown care item {item!r}"
    for name, move in (("hold", followup.hold), ("step_back", followup.step_back)):
        yield from cites(file, name, move.sources)
        yield from expression(name, move.when)
    for check_in in followup.check_ins:
        yield from cites(file, check_in.id, check_in.sources)


def _check_measures(
    measures: dict[str, Measure], file: str, item: str, expr: Expr
) -> Iterable[str]:
    """A condition over computed measures (not findings), checked like one over findings."""
    as_findings = {
        name: Finding(
            type=m.type, means=m.means, question="", group="measure", min=m.min, max=m.max
        )
        for name, m in measures.items()
    }
    for test, _ in comparisons_in(expr):
        yield from _check_test(as_findings, file, item, test)


def _check_test(findings: dict[str, Finding], file: str, item: str, test: Test) -> Iterable[str]:
    finding = findings.get(test.finding)
    if finding is None:
        yield f"{file}: {item}: unknown finding {test.finding!r}"
        return
    values = test.value if isinstance(test.value, tuple) else (test.value,)
    for value in values:
        problem = value_problem(finding, value)
        if problem:
            yield f"{file}: {item}: {test.finding} {test.op} {value!r}: {problem}"
    if finding.type in ("bool", "choice") and test.op in ("lt", "lte", "gt", "gte"):
        yield f"{file}: {item}: {test.finding} is {finding.type}; {test.op} needs a number"


def value_problem(finding: Finding, value: object) -> str:
    """Why a value does not fit the finding, or '' when it fits."""
    if finding.type == "bool":
        return "" if isinstance(value, bool) else "expected true or false"
    if finding.type == "choice":
        if value in finding.options:
            return ""
        return f"expected one of {', '.join(finding.options)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "expected a number"
    if finding.type == "int" and not float(value).is_integer():
        return "expected a whole number"
    assert finding.min is not None and finding.max is not None
    if not finding.min <= value <= finding.max:
        return f"expected a number from {finding.min:g} to {finding.max:g}"
    return ""


__all__ = ["KnowledgeBase", "KnowledgeError", "load_knowledge", "read_knowledge", "value_problem"]
