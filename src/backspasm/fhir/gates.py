"""A finding's `ask_when` gate in FHIR: flat `enableWhen` where it fits, else FHIRPath.

The engine asks a gated question unless its gate is *definitely* false: an unanswered or
"not sure" context means ask (see `expressions`). Two things make that more than a
one-to-one translation:

- A yes/no finding whose own gate is false counts as "no" (`answers.facts_from`). In a form
  that item is simply disabled and unanswered, so a gate that mentions it must re-derive
  "ruled out" from that item's own gate.
- `enableWhen` can state only a flat any-of or all-of single-answer tests. We build the
  "not definitely false" expression in disjunctive normal form over such tests, simplify it,
  and use `enableWhen` only when it comes out flat; otherwise the item gets an SDC
  `enableWhenExpression`.

The FHIRPath form is a direct translation, because FHIRPath's `and`/`or`/`not()` on empty
collections are the same three-valued logic the engine uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.logic import All, AtLeast, Expr, Not, Test, describe
from backspasm.engine.logic import Any as AnyOf
from backspasm.fhir.names import ANSWER_SYSTEM, UNSURE_CODE, YES

JsonValue = bool | int | float | str | tuple[str, str]


@dataclass(frozen=True, order=True)
class Atom:
    """One enableWhen entry: question, operator, and the answer[x] it compares with."""

    question: str
    operator: str
    kind: str  # Boolean | Integer | Decimal | Coding
    value: JsonValue

    def to_fhir(self) -> dict[str, object]:
        if self.kind == "Coding":
            assert isinstance(self.value, tuple)
            system, code = self.value
            answer: object = {"system": system, "code": code}
        else:
            answer = self.value
        return {"question": self.question, "operator": self.operator, f"answer{self.kind}": answer}


Clause = frozenset[Atom]
Dnf = frozenset[Clause]

_OPERATORS = {"eq": "=", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


@dataclass(frozen=True)
class Gate:
    """How an item's enabled state is written: enableWhen (+ behaviour) or an expression."""

    enable_when: tuple[Atom, ...]
    behavior: str  # "any" | "all"
    expression: str  # always set; used in the Questionnaire only when enable_when is empty
    description: str


def gate_for(kb: KnowledgeBase, name: str) -> Gate | None:
    """The gate of one finding, or None when it is always asked."""
    finding = kb.findings[name]
    if finding.ask_when is None:
        return None
    expression = enabled_expression(kb, name)
    dnf = _not_false(kb, finding.ask_when, frozenset({name}))
    description = f"asked unless this is known to be false: {describe(finding.ask_when)}"
    if dnf is not None:
        order = {finding: index for index, finding in enumerate(kb.findings)}

        def ordered(atoms: frozenset[Atom]) -> tuple[Atom, ...]:
            return tuple(sorted(atoms, key=lambda a: (order[a.question], a.operator, str(a.value))))

        if all(len(clause) == 1 for clause in dnf):
            return Gate(ordered(frozenset().union(*dnf)), "any", expression, description)
        if len(dnf) == 1:
            return Gate(ordered(next(iter(dnf))), "all", expression, description)
    return Gate((), "", expression, description)


# --- FHIRPath ------------------------------------------------------------------------------------
def enabled_expression(kb: KnowledgeBase, name: str) -> str:
    """FHIRPath that is true when the engine would ask this finding, over `%resource`."""
    gate = kb.findings[name].ask_when
    assert gate is not None
    return f"iif(({_fhirpath(kb, gate, frozenset({name}))}) = false, false, true)"


def _answer(name: str) -> str:
    return f"%resource.repeat(item).where(linkId='{name}').answer"


def _bool_value(kb: KnowledgeBase, name: str, seen: frozenset[str]) -> str:
    """true / false / empty (unknown) for a yes/no finding, as the engine sees it."""
    finding = kb.findings[name]
    if finding.unsure:
        raw = f"({_answer(name)}.value.where(code != '{UNSURE_CODE}').code = '{YES}')"
    else:
        raw = f"{_answer(name)}.value"
    if finding.ask_when is None:
        return raw
    if name in seen:
        raise ValueError(f"ask_when gates form a cycle through {name!r}")
    gate = _fhirpath(kb, finding.ask_when, seen | {name})
    return f"iif({_answer(name)}.exists(), {raw}, iif(({gate}) = false, false, {{}}))"


def _fhirpath(kb: KnowledgeBase, expr: Expr, seen: frozenset[str]) -> str:
    if isinstance(expr, Test):
        return _fhirpath_test(kb, expr, seen)
    if isinstance(expr, Not):
        return f"({_fhirpath(kb, expr.item, seen)}).not()"
    if isinstance(expr, AtLeast):
        return _fhirpath(kb, _expand(expr), seen)
    joiner = " and " if isinstance(expr, All) else " or "
    return "(" + joiner.join(_fhirpath(kb, item, seen) for item in expr.items) + ")"


def _fhirpath_test(kb: KnowledgeBase, test: Test, seen: frozenset[str]) -> str:
    finding = kb.findings[test.finding]
    values = test.value if isinstance(test.value, tuple) else (test.value,)
    op = "=" if test.op == "in" else _OPERATORS[test.op]
    if finding.type == "bool":
        left = f"({_bool_value(kb, test.finding, seen)})"
        literals = ["true" if value else "false" for value in values]
    elif finding.type == "choice":
        # "Prefer not to say" (the unsure code) leaves the value empty: unknown, not a match
        skip = f".where(code != '{UNSURE_CODE}')" if finding.unsure else ""
        left = f"{_answer(test.finding)}.value{skip}.code"
        literals = [f"'{value}'" for value in values]
    else:
        left = f"{_answer(test.finding)}.value"
        literals = [_number(value) for value in values]
    parts = [f"{left} {op} {literal}" for literal in literals]
    return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


def _number(value: object) -> str:
    assert isinstance(value, int | float) and not isinstance(value, bool)
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _expand(expr: AtLeast) -> Expr:
    """at least k of n == any of the all-of every k-combination (also in three-valued logic)."""
    return AnyOf(tuple(All(combo) for combo in combinations(expr.items, expr.count)))


# --- enableWhen: "not definitely false" in disjunctive normal form -------------------------------
def _not_false(kb: KnowledgeBase, expr: Expr, seen: frozenset[str]) -> Dnf | None:
    """The answers under which `expr` is not definitely false, or None if not flat-expressible."""
    if isinstance(expr, Test):
        return _test_not_false(kb, expr, seen)
    if isinstance(expr, AtLeast):
        return _not_false(kb, _expand(expr), seen)
    if isinstance(expr, Not):
        return None  # would need "definitely true", which enableWhen cannot state for unknowns
    parts = [_not_false(kb, item, seen) for item in expr.items]
    if any(part is None for part in parts):
        return None
    result = parts[0]
    for part in parts[1:]:
        assert result is not None and part is not None
        result = _and(result, part) if isinstance(expr, All) else _or(result, part)
    return result


def _test_not_false(kb: KnowledgeBase, test: Test, seen: frozenset[str]) -> Dnf | None:
    name, finding = test.finding, kb.findings[test.finding]
    unknown = _unknown(kb, name, seen)
    if unknown is None:
        return None
    values = test.value if isinstance(test.value, tuple) else (test.value,)
    if finding.type == "bool":
        if test.op != "eq" or values != (True,):
            return None  # "no" includes "ruled out by context", which needs the gate negated
        if finding.unsure:
            holds = Atom(name, "=", "Coding", (ANSWER_SYSTEM, YES))
        else:
            holds = Atom(name, "=", "Boolean", True)
        return _or(unknown, _single(holds))
    if test.op == "ne":
        return None  # R4 leaves "!=" on an unanswered question open to interpretation
    if finding.type == "choice":
        atoms = [Atom(name, "=", "Coding", (ANSWER_SYSTEM, str(value))) for value in values]
    else:
        kind = "Integer" if finding.type == "int" else "Decimal"
        op = "=" if test.op == "in" else _OPERATORS[test.op]
        atoms = [Atom(name, op, kind, _typed(kind, value)) for value in values]
    result = unknown
    for atom in atoms:
        result = _or(result, _single(atom))
    return result


def _unknown(kb: KnowledgeBase, name: str, seen: frozenset[str]) -> Dnf | None:
    """Answers under which the engine has no value for this finding."""
    finding = kb.findings[name]
    absent = _single(Atom(name, "exists", "Boolean", False))
    if finding.type == "bool" and finding.ask_when is not None:
        if name in seen:
            raise ValueError(f"ask_when gates form a cycle through {name!r}")
        gate = _not_false(kb, finding.ask_when, seen | {name})
        if gate is None:
            return None
        absent = _and(absent, gate)  # absent *and* not ruled out by its own context
    if finding.unsure:
        return _or(absent, _single(Atom(name, "=", "Coding", (ANSWER_SYSTEM, UNSURE_CODE))))
    return absent


def _typed(kind: str, value: object) -> int | float:
    assert isinstance(value, int | float) and not isinstance(value, bool)
    return int(value) if kind == "Integer" else float(value)


def _single(atom: Atom) -> Dnf:
    return frozenset({frozenset({atom})})


def _or(left: Dnf, right: Dnf) -> Dnf:
    return _minimal(left | right)


def _and(left: Dnf, right: Dnf) -> Dnf:
    return _minimal(frozenset(a | b for a in left for b in right))


def _minimal(dnf: Dnf) -> Dnf:
    """Drop every clause that a smaller clause already covers (absorption)."""
    return frozenset(c for c in dnf if not any(other < c for other in dnf))
