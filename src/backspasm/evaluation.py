"""Evaluate the real interview on cases, with a simulated patient who answers from the facts.

Case format and metrics: shared/spec/case-format.md. A bad case stops the run with the file,
case and field named; nothing is silently skipped.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backspasm.engine.answers import AnswerError, AnswerValue, validate_answers
from backspasm.engine.assessment import Assessment, assess
from backspasm.engine.interview import InterviewSession
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.schema import URGENCY, Level
from backspasm.engine.screens import EVERY_PENDING, screen_for


class CaseError(ValueError):
    """A case file is malformed; the message names the file, the case and the field."""


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disposition: Level
    causes_include: list[str] = []


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    narrative: str = ""
    facts: dict[str, Any]
    expected: Expected
    source: str = ""


@dataclass(frozen=True)
class CaseResult:
    case: Case
    got: str
    findings_asked: int
    findings_volunteered: int  # stated by the narrative before the interview, so not asked
    assessment: Assessment
    screens: int  # screens the person answered (a grid of rows counts once)

    @property
    def top_causes(self) -> list[str]:
        return [cause.id for cause in self.assessment.causes[:3]]

    @property
    def causes_ok(self) -> bool:
        return set(self.case.expected.causes_include) <= set(self.top_causes)


def load_cases(kb: KnowledgeBase, paths: Iterable[Path]) -> list[Case]:
    """Every case in the given files, and in the YAML files under the given folders.

    A folder named `text` below a given folder holds free-text cases for `eval-text`, so it is
    skipped; a `text` folder above the given path (a checkout inside one) is not.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p for p in path.rglob("*.yaml") if "text" not in p.relative_to(path).parts[:-1]
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            raise CaseError(f"{path}: no such file or folder")
    cases: list[Case] = []
    seen: dict[str, Path] = {}
    for file in files:
        for raw in _read_case_file(file):
            case = _parse_case(kb, file, raw)
            if case.id in seen:
                raise CaseError(f"{file}: {case.id}: id already used in {seen[case.id]}")
            seen[case.id] = file
            cases.append(case)
    if not cases:
        raise CaseError("no cases found in " + ", ".join(str(p) for p in paths))
    return cases


def _read_case_file(file: Path) -> list[object]:
    """The raw cases of one file: a list of cases, or one case on its own."""
    try:
        data = yaml.safe_load(file.read_text())
    except (OSError, UnicodeDecodeError) as error:
        raise CaseError(f"{file}: cannot read: {error}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise CaseError(f"{file}: not valid YAML{where}: {problem}") from error
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    raise CaseError(f"{file}: expected a list of cases or one case (a mapping), got {_kind(data)}")


def _kind(data: object) -> str:
    if data is None:
        return "an empty file"
    return {str: "text", int: "a number", float: "a number", bool: "true or false"}.get(
        type(data), type(data).__name__
    )


def _parse_case(kb: KnowledgeBase, file: Path, raw: object) -> Case:
    if not isinstance(raw, dict):
        raise CaseError(f"{file}: expected each case to be a mapping, got {_kind(raw)}")
    label = raw.get("id", "?")
    try:
        case = Case.model_validate(raw)
    except ValidationError as error:
        raise CaseError(f"{file}: {label}: {_one_line(error)}") from error
    try:
        validate_answers(kb, case.facts)
    except AnswerError as error:
        raise CaseError(f"{file}: {case.id}: facts: {error}") from error
    missing = [n for n, f in kb.findings.items() if f.required and n not in case.facts]
    if missing:
        raise CaseError(f"{file}: {case.id}: facts: required finding(s) missing: {missing}")
    unknown = [c for c in case.expected.causes_include if c not in kb.conditions]
    if unknown:
        raise CaseError(f"{file}: {case.id}: expected.causes_include: unknown {unknown}")
    return case


def _one_line(error: ValidationError) -> str:
    """Each problem as `field: message`, joined on one line."""
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "case"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def simulated_answer(kb: KnowledgeBase, facts: Mapping[str, Any], finding_id: str) -> AnswerValue:
    """What the patient says: the fact if given, else "no" or the finding's default."""
    if finding_id in facts:
        value: AnswerValue = facts[finding_id]
        return value
    finding = kb.findings[finding_id]
    if finding.type == "bool":
        return False
    if finding.type == "choice" and isinstance(finding.default, str):
        return finding.default
    raise CaseError(f"the interview asked {finding_id!r}, which the case does not give")


Intake = Callable[[str], Iterable[str]]  # narrative -> ids of findings it states
# narrative -> the answers read from it, as the reader gives them (right or wrong)
Reading = Callable[[str], Mapping[str, AnswerValue]]


def run_case(
    kb: KnowledgeBase,
    case: Case,
    intake: Intake | None = None,
    uncorrected: Reading | None = None,
) -> CaseResult:
    """Interview the simulated patient, screen by screen; with `intake`, start from the
    case's narrative.

    The findings the narrative states are shown to the patient, who confirms or corrects them
    (so their values are the facts); per the case format they do not count as asked, and the
    description is not a screen. Every row of a screen is answered on its own.
    With `uncorrected` instead, what the reader makes of the narrative stands as answered,
    misreadings included: a stress test of the reader (what if nobody fixes a misreading?).
    """
    volunteered: dict[str, AnswerValue] = {}
    if uncorrected is not None and case.narrative:
        volunteered.update(uncorrected(case.narrative))
    elif intake is not None and case.narrative:
        for name in intake(case.narrative):
            volunteered[name] = simulated_answer(kb, case.facts, name)
    session = InterviewSession(kb, volunteered)
    shown = 0
    for _ in range(len(kb.findings) + 1):
        step = screen_for(kb, session.facts(), session.next(EVERY_PENDING), shown)
        if step.screen is None:
            break
        for question in step.screen.questions:
            session.answer(question.id, simulated_answer(kb, case.facts, question.id))
        shown += 1
    else:  # pragma: no cover - the interview always settles; this guards the loop
        raise RuntimeError(f"{case.id}: the interview did not finish")
    answers = session.answers
    result = assess(kb, answers)
    asked = len(answers) - len(volunteered)
    return CaseResult(case, result.disposition.id, asked, len(volunteered), result, shown)


class Report(BaseModel):
    cases: int
    exact: float
    under_triage: int
    over_triage: int
    emergency_missed: int
    safe: float
    causes_top3: float
    median_findings_asked: float
    median_screens: float
    per_case: list[dict[str, Any]]


def evaluate(
    kb: KnowledgeBase,
    cases: list[Case],
    intake: Intake | None = None,
    uncorrected: Reading | None = None,
) -> tuple[Report, list[CaseResult]]:
    results = [run_case(kb, case, intake, uncorrected) for case in cases]
    gaps = [URGENCY[r.got] - URGENCY[r.case.expected.disposition] for r in results]
    emergency = URGENCY["emergency"]
    report = Report(
        cases=len(results),
        exact=_share(gap == 0 for gap in gaps),
        under_triage=sum(gap < 0 for gap in gaps),
        over_triage=sum(gap > 0 for gap in gaps),
        emergency_missed=sum(
            URGENCY[r.case.expected.disposition] >= emergency and URGENCY[r.got] < emergency
            for r in results
        ),
        safe=_share(gap >= -1 for gap in gaps),
        causes_top3=_share(r.causes_ok for r in results),
        median_findings_asked=statistics.median(r.findings_asked for r in results),
        median_screens=statistics.median(r.screens for r in results),
        per_case=[
            {
                "id": r.case.id,
                "expected": r.case.expected.disposition,
                "got": r.got,
                "findings_asked": r.findings_asked,
                "screens": r.screens,
                "findings_volunteered": r.findings_volunteered,
                "top_causes": r.top_causes,
            }
            for r in results
        ],
    )
    return report, results


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return round(sum(values) / len(values), 4) if values else 0.0
