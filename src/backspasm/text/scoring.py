"""Measure `parse_text` on annotated sentences (cases/text/) and on case narratives.

Annotated sentences list every finding the text states, with its value, and the findings it
leaves uncertain. A (finding, value) pair counts as found only on an exact value match; an
uncertain finding counts as the pair (finding, "unsure"), so reporting it false is an error.
Figures: precision, recall and F1 overall and per finding group, recall on red-flag findings
(all of them, and those the text raises: present or in doubt, not denied), and how often an
uncertain finding came out false. Both sides are compared in the shared vocabulary's words
(`in_spec_words`: "feels faint" is a part of "fainting or collapse"), and in a set that never
names one of our own findings (`own: true`, written in the spec's words) reading one is no error.

Case narratives (cases/*.yaml) were written for the triage evaluation, not for the parser, and
a narrative may leave out a fact, so they give a third, rougher figure on yes-findings only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backspasm.engine.knowledge_base import KnowledgeBase, value_problem
from backspasm.text.reading import ParsedText, Reader, Value, parse_text

DEFAULT_TODAY = dt.date(2026, 11, 21)  # the date the annotated sentences assume (a Saturday)
UNSURE = "unsure"
Pair = tuple[str, Value]


class TextCaseError(ValueError):
    """An annotated sentence is malformed; the message names the file, the case and why."""


class TextCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    text: str = Field(min_length=1)
    today: dt.date = DEFAULT_TODAY
    findings: dict[str, Value] = {}
    uncertain: list[str] = []
    subject: Literal["self", "other"] = "self"  # who the findings are about
    general_negation: list[str] = []  # red flags the text denies only in general words


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def figures(self) -> dict[str, float | int]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class SetReport:
    name: str
    cases: int = 0
    overall: Counts = field(default_factory=Counts)
    groups: dict[str, Counts] = field(default_factory=dict)
    red_flags: Counts = field(default_factory=Counts)
    # red flags the text states present or in doubt (not denials): what reading them is for
    raised: Counts = field(default_factory=Counts)
    uncertain_as_false: int = 0
    closed_by_general_negation: int = 0  # (text, red flag) pairs read false from general words
    carer: Counts = field(default_factory=Counts)  # pairs over texts about someone else
    carer_cases: int = 0
    blind: bool = False  # held out: no per-case misses are kept or printed
    misses: list[dict[str, object]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "cases": self.cases,
            "overall": self.overall.figures(),
            "groups": {name: counts.figures() for name, counts in sorted(self.groups.items())},
            "red_flag_recall": self.red_flags.figures()["recall"],
            "red_flag_pairs": self.red_flags.tp + self.red_flags.fn,
            "raised_red_flag_recall": self.raised.figures()["recall"],
            "raised_red_flag_pairs": self.raised.tp + self.raised.fn,
            "uncertain_as_false": self.uncertain_as_false,
            "closed_by_general_negation": self.closed_by_general_negation,
            "carer": {"cases": self.carer_cases, **self.carer.figures()},
            "misses": self.misses,
        }


def load_text_cases(kb: KnowledgeBase, paths: Iterable[Path]) -> list[TextCase]:
    cases: list[TextCase] = []
    seen: set[str] = set()
    for file in _files(paths):
        data = yaml.safe_load(file.read_text("utf-8"))
        if not isinstance(data, list):
            raise TextCaseError(f"{file}: expected a list of cases")
        for index, raw in enumerate(data):
            try:
                case = TextCase.model_validate(raw)
            except ValidationError as error:
                label = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
                raise TextCaseError(f"{file}: {label}: {error}") from error
            problems = _case_problems(kb, case)
            if case.id in seen:
                problems.append("id used twice")
            if problems:
                raise TextCaseError(f"{file}: {case.id}: " + "; ".join(problems))
            seen.add(case.id)
            cases.append(case)
    return cases


def _files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")))
        elif path.is_file():
            files.append(path)
        else:
            raise TextCaseError(f"{path}: no such file or folder")
    return files


def _case_problems(kb: KnowledgeBase, case: TextCase) -> list[str]:
    problems = []
    for name, value in case.findings.items():
        finding = kb.findings.get(name)
        if finding is None:
            problems.append(f"{name}: not a finding")
        elif problem := value_problem(finding, value):
            problems.append(f"{name}: {problem}")
    for name in case.general_negation:
        finding = kb.findings.get(name)
        if finding is None:
            problems.append(f"general_negation {name}: not a finding")
        elif not finding.red_flag:
            problems.append(f"general_negation {name}: not a red flag")
    for name in case.uncertain:
        if name not in kb.findings:
            problems.append(f"uncertain {name}: not a finding")
        elif name in case.findings:
            problems.append(f"{name}: both a value and uncertain")
    return problems


def pairs(findings: dict[str, Value], uncertain: Sequence[str]) -> set[Pair]:
    out: set[Pair] = {(name, _plain(value)) for name, value in findings.items()}
    return out | {(name, UNSURE) for name in uncertain}


def in_spec_words(kb: KnowledgeBase, found: set[Pair]) -> set[Pair]:
    """Pairs in the words of the shared vocabulary, which the annotations use: a yes (or "not
    sure") for a finding that is `part_of` a wider one is that for the wider one; its "no"
    says nothing about the wider one and is left out."""
    out: set[Pair] = set()
    for name, value in found:
        wider = kb.findings[name].part_of
        if not wider:
            out.add((name, value))
        elif value is True or value == UNSURE:
            out.add((wider, value))
    return out


def _plain(value: Value) -> Value:
    """1.0 and 1 are the same value; True stays a bool."""
    if isinstance(value, float) and not isinstance(value, bool) and value.is_integer():
        return int(value)
    return value


def score_text_cases(
    reader: Reader, name: str, cases: Sequence[TextCase], *, blind: bool = False
) -> SetReport:
    """Score each case. A red flag the text denies only in general words (`general_negation`)
    must not come out false: false counts in `closed_by_general_negation` (and as a wrong
    pair); left unknown or "not sure" it is no miss. A blind report keeps no per-case misses."""
    kb = reader.kb
    report = SetReport(name, len(cases), blind=blind)
    own = {name for name, finding in kb.findings.items() if finding.own}
    # a set written in the shared vocabulary's words could not name our own findings, so
    # reading one there is no error: those are left out of what was read
    unnameable = set() if any(_names(case) & own for case in cases) else own
    for case in cases:
        parsed = parse_text(case.text, case.today, reader)
        general = set(case.general_negation)
        gold_findings = {n: v for n, v in case.findings.items() if n not in general}
        gold = in_spec_words(kb, pairs(gold_findings, case.uncertain))
        got = in_spec_words(kb, pairs(parsed.findings, parsed.uncertain))
        got = {pair for pair in got if pair[0] not in unnameable}
        got_known = {p for p in got if not (p[0] in general and p[1] == UNSURE)}
        counts = _count(kb, report, case.id, gold, got_known)
        if case.subject == "other":
            report.carer_cases += 1
            report.carer.add(counts)
        report.uncertain_as_false += sum(
            1 for n in case.uncertain if parsed.findings.get(n) is False
        )
        report.closed_by_general_negation += sum(
            1 for n in general if parsed.findings.get(n) is False
        )
    return report


def _names(case: TextCase) -> set[str]:
    return {*case.findings, *case.uncertain, *case.general_negation}


def score_narratives(
    reader: Reader, name: str, stories: Sequence[tuple[str, str, dict[str, Any]]]
) -> SetReport:
    """Narratives against their facts, yes-findings only: (id, narrative, facts)."""
    report = SetReport(name, len(stories))
    for case_id, narrative, facts in stories:
        parsed: ParsedText = parse_text(narrative, DEFAULT_TODAY, reader)
        gold: set[Pair] = {(n, True) for n, v in facts.items() if v is True}
        got: set[Pair] = {(n, True) for n, v in parsed.findings.items() if v is True}
        _count(reader.kb, report, case_id, gold, got)
    return report


def _count(
    kb: KnowledgeBase, report: SetReport, case_id: str, gold: set[Pair], got: set[Pair]
) -> Counts:
    total = Counts()
    for pair in gold | got:
        finding = kb.findings[pair[0]]
        counts = Counts(
            tp=int(pair in gold and pair in got),
            fp=int(pair in got - gold),
            fn=int(pair in gold - got),
        )
        report.overall.add(counts)
        total.add(counts)
        report.groups.setdefault(finding.group, Counts()).add(counts)
        if finding.red_flag and pair in gold:
            report.red_flags.add(Counts(tp=counts.tp, fn=counts.fn))
            if pair[1] is not False:
                report.raised.add(Counts(tp=counts.tp, fn=counts.fn))
    missed, extra = sorted(gold - got, key=str), sorted(got - gold, key=str)
    if (missed or extra) and not report.blind:
        report.misses.append(
            {"id": case_id, "missed": [list(p) for p in missed], "extra": [list(p) for p in extra]}
        )
    return total
