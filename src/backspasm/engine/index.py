"""Indexes derived from the knowledge alone, computed once by the loader.

The interview, triage and contributor ranking look these up on every step; they depend on
nothing but the knowledge files, so they are worked out when the knowledge base is loaded
and held, frozen, by it. The builder tolerates dangling references (the loader's cross-check
runs on the same knowledge base and reports them), so it never fails a load by itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from backspasm.engine.citations import SourceRef, source_ref
from backspasm.engine.logic import Evaluator, comparisons_in, findings_in
from backspasm.engine.schema import (
    DISPOSITIONS,
    URGENCY,
    CareItem,
    Citation,
    Condition,
    Finding,
    Rule,
    Source,
)

# (condition, prior, ((evidence test, weight, because), ...)) for each condition, in file order
EvidenceRow = tuple[str, float, tuple[tuple[Evaluator, float, str], ...]]
# (condition, evidence test, weight) for one evidence item that reads a finding
Touch = tuple[str, Evaluator, float]


@dataclass(frozen=True)
class KnowledgeIndex:
    red_flags: tuple[str, ...]
    # each rule with its compiled test and its urgency, in file order
    rule_tests: tuple[tuple[Rule, Evaluator, int], ...]
    # (urgency, its rules in file order), most urgent first
    rules_by_urgency: tuple[tuple[int, tuple[Rule, ...]], ...]
    # rule id -> the findings its condition reads
    rule_findings: Mapping[str, tuple[str, ...]]
    # rule id -> the findings its condition asks to be "yes" (not negated)
    rule_yes_findings: Mapping[str, tuple[str, ...]]
    # urgency -> the findings of every rule more urgent than it
    rule_findings_above: tuple[frozenset[str], ...]
    # the questions asked first, in their `ask_first` order
    opening_order: tuple[str, ...]
    # yes/no findings with a context gate (compiled), each after the gated findings it reads
    gated: tuple[tuple[str, Evaluator], ...]
    # each condition's prior and evidence as plain tuples, in file order
    evidence_table: tuple[EvidenceRow, ...]
    # condition -> its position in the file (breaks ties in the ranking)
    condition_order: Mapping[str, int]
    # finding -> each evidence item that reads it
    touched: Mapping[str, tuple[Touch, ...]]
    # finding -> condition -> the most one answer to that finding can move its score
    reach: Mapping[str, Mapping[str, float]]
    # findings the contributor scan can depend on: evidence, and the gates of those findings
    contributor_reads: frozenset[str]
    # yes/no findings that are evidence for some condition, in the order they are written
    contributor_candidates: tuple[str, ...]
    # (source, locator) -> the reference a result shows, for every rule's and advice's citation
    source_refs: Mapping[tuple[str, str], SourceRef]


def build_index(
    findings: Mapping[str, Finding],
    rules: Sequence[Rule],
    conditions: Mapping[str, Condition],
    sources: Mapping[str, Source],
    care_items: Sequence[CareItem],
) -> KnowledgeIndex:
    rule_findings = {rule.id: tuple(findings_in(rule.when)) for rule in rules}
    touched = _touched(conditions)
    return KnowledgeIndex(
        red_flags=tuple(name for name, finding in findings.items() if finding.red_flag),
        rule_tests=tuple((rule, rule.when.evaluate, URGENCY[rule.disposition]) for rule in rules),
        rules_by_urgency=tuple(
            (level, tuple(rule for rule in rules if URGENCY[rule.disposition] == level))
            for level in sorted({URGENCY[rule.disposition] for rule in rules}, reverse=True)
        ),
        rule_findings=MappingProxyType(rule_findings),
        rule_yes_findings=MappingProxyType(
            {
                rule.id: tuple(
                    test.finding
                    for test, negated in comparisons_in(rule.when)
                    if not negated and test.value is True
                )
                for rule in rules
            }
        ),
        rule_findings_above=tuple(
            frozenset(
                name
                for rule in rules
                if URGENCY[rule.disposition] > level
                for name in rule_findings[rule.id]
            )
            for level in range(len(DISPOSITIONS))
        ),
        opening_order=tuple(
            name
            for _, name in sorted(
                (f.ask_first, name) for name, f in findings.items() if f.ask_first is not None
            )
        ),
        gated=_gated(findings),
        evidence_table=tuple(
            (name, c.prior, tuple((e.when.evaluate, e.weight, e.because) for e in c.evidence))
            for name, c in conditions.items()
        ),
        condition_order=MappingProxyType({name: i for i, name in enumerate(conditions)}),
        touched=MappingProxyType(touched),
        reach=MappingProxyType(_reach(touched)),
        contributor_reads=_contributor_reads(findings, conditions),
        contributor_candidates=tuple(
            name for name, finding in findings.items() if finding.type == "bool" and name in touched
        ),
        source_refs=MappingProxyType(_source_refs(sources, rules, care_items)),
    )


def _source_refs(
    sources: Mapping[str, Source], rules: Sequence[Rule], care_items: Sequence[CareItem]
) -> dict[tuple[str, str], SourceRef]:
    cited: list[Citation] = [c for rule in rules for c in rule.sources]
    cited += [c for item in care_items for c in item.sources]
    return {
        (c.source, c.locator): source_ref(sources[c.source], c)
        for c in cited
        if c.source in sources  # an unknown source is reported by the loader's cross-check
    }


def _touched(conditions: Mapping[str, Condition]) -> dict[str, tuple[Touch, ...]]:
    touched: dict[str, list[Touch]] = {}
    for name, condition in conditions.items():
        for evidence in condition.evidence:
            for finding in findings_in(evidence.when):
                touched.setdefault(finding, []).append(
                    (name, evidence.when.evaluate, evidence.weight)
                )
    return {key: tuple(value) for key, value in touched.items()}


def _reach(touched: Mapping[str, tuple[Touch, ...]]) -> dict[str, Mapping[str, float]]:
    reach: dict[str, Mapping[str, float]] = {}
    for finding, items in touched.items():
        moves: dict[str, float] = {}
        for name, _, weight in items:
            moves[name] = moves.get(name, 0.0) + abs(weight)
        reach[finding] = MappingProxyType(moves)
    return reach


def _contributor_reads(
    findings: Mapping[str, Finding], conditions: Mapping[str, Condition]
) -> frozenset[str]:
    reads = {f for c in conditions.values() for e in c.evidence for f in findings_in(e.when)}
    pending = list(reads)
    while pending:
        finding = findings.get(pending.pop())
        gate = finding.ask_when if finding is not None else None
        for name in findings_in(gate) if gate is not None else ():
            if name not in reads:
                reads.add(name)
                pending.append(name)
    return frozenset(reads)


def _gated(findings: Mapping[str, Finding]) -> tuple[tuple[str, Evaluator], ...]:
    """Yes/no findings with a context gate, each after the gated findings its gate reads.

    In that order one pass settles them all. (A cycle of gates would leave some unsettled,
    which is safe: an unsettled question is asked.)
    """
    gates = {
        name: finding.ask_when
        for name, finding in findings.items()
        if finding.type == "bool" and finding.ask_when is not None
    }
    ordered: list[str] = []

    def visit(name: str, path: frozenset[str]) -> None:
        if name in ordered or name in path:
            return
        for needed in findings_in(gates[name]):
            if needed in gates:
                visit(needed, path | {name})
        ordered.append(name)

    for name in gates:
        visit(name, frozenset())
    return tuple((name, gates[name].evaluate) for name in ordered)


__all__ = ["KnowledgeIndex", "build_index"]
