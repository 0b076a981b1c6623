"""The expression language of the knowledge base (`when:` and its kin): all / any / not /
at_least / comparisons.

Expressions are data, parsed from YAML into small frozen nodes; nothing is ever `eval`ed.
Evaluation is three-valued (Kleene): a finding that was not asked, or answered "not sure",
is *unknown*, so a red-flag question left open can never quietly count as "no".

YAML forms:
    saddle_numbness                      a yes/no finding is yes
    {age: {gte: 50}}                     comparisons: eq ne lt lte gt gte in
    {pain_course: worsening}             shorthand for eq
    {all: [...]} {any: [...]} {not: ...}
    {at_least: 2, of: [...]}             two or more of the list are true
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Union

Scalar = bool | int | float | str
Truth = bool | None  # None means unknown

COMPARISONS = ("eq", "ne", "lt", "lte", "gt", "gte", "in")


Evaluator = Callable[[Mapping[str, Scalar]], Truth]


@dataclass(frozen=True, slots=True)
class Test:
    """Compare one finding's value; unknown when the finding has no usable value."""

    __test__ = False  # not a pytest test class

    finding: str
    op: str
    value: Scalar | tuple[Scalar, ...]
    evaluate: Evaluator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "evaluate", _compile_test(self.finding, self.op, self.value))


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Expr, ...]
    evaluate: Evaluator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "evaluate", _compile_all(self.items))


@dataclass(frozen=True, slots=True)
class Any:
    items: tuple[Expr, ...]
    evaluate: Evaluator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "evaluate", _compile_any(self.items))


@dataclass(frozen=True, slots=True)
class Not:
    item: Expr
    evaluate: Evaluator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        inner = self.item.evaluate

        def run(values: Mapping[str, Scalar]) -> Truth:
            result = inner(values)
            return None if result is None else not result

        object.__setattr__(self, "evaluate", run)


@dataclass(frozen=True, slots=True)
class AtLeast:
    count: int
    items: tuple[Expr, ...]
    evaluate: Evaluator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fns = tuple(item.evaluate for item in self.items)
        need = self.count

        def run(values: Mapping[str, Scalar]) -> Truth:
            true = unknown = 0
            for fn in fns:
                result = fn(values)
                if result is True:
                    true += 1
                    if true >= need:
                        return True
                elif result is None:
                    unknown += 1
            return None if true + unknown >= need else False

        object.__setattr__(self, "evaluate", run)


# Expressions are evaluated hundreds of times per interview step, so each node is compiled once
# into a closure: no per-call dispatch on the node type or the operator.
def _compile_test(finding: str, op: str, want: Scalar | tuple[Scalar, ...]) -> Evaluator:
    if op == "eq":

        def eq(values: Mapping[str, Scalar]) -> Truth:
            got = values.get(finding)
            return None if got is None else got == want

        return eq
    if op == "ne":

        def ne(values: Mapping[str, Scalar]) -> Truth:
            got = values.get(finding)
            return None if got is None else got != want

        return ne
    if op == "in":
        options = want if isinstance(want, tuple) else (want,)

        def within(values: Mapping[str, Scalar]) -> Truth:
            got = values.get(finding)
            return None if got is None else got in options

        return within
    compare = _ORDERINGS[op]
    if isinstance(want, str | tuple):

        def incomparable(values: Mapping[str, Scalar]) -> Truth:
            return None  # an ordering against text or a list is never known (the loader refuses it)

        return incomparable

    def ordered(values: Mapping[str, Scalar]) -> Truth:
        got = values.get(finding)
        if got is None or isinstance(got, str):
            return None
        return compare(got, want)

    return ordered


_ORDERINGS: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def _split_equalities(
    items: tuple[Expr, ...],
) -> tuple[tuple[tuple[str, Scalar | tuple[Scalar, ...]], ...], tuple[Evaluator, ...]]:
    """Plain "finding equals value" tests, checked inline by the parent (most tests are
    "this yes/no finding is yes"), and the evaluators of everything else."""
    equalities = tuple(
        (item.finding, item.value) for item in items if isinstance(item, Test) and item.op == "eq"
    )
    others = tuple(
        item.evaluate for item in items if not (isinstance(item, Test) and item.op == "eq")
    )
    return equalities, others


def _compile_all(items: tuple[Expr, ...]) -> Evaluator:
    return _compile_junction(items, decisive=False)  # one false item makes "all" false


def _compile_any(items: tuple[Expr, ...]) -> Evaluator:
    return _compile_junction(items, decisive=True)  # one true item makes "any" true


def _compile_junction(items: tuple[Expr, ...], decisive: bool) -> Evaluator:
    """All and any in one: an item equal to `decisive` settles the whole; otherwise any
    unknown item leaves it unknown, and with none it is the opposite of `decisive`."""
    equalities, others = _split_equalities(items)

    def run(values: Mapping[str, Scalar]) -> Truth:
        unknown = False
        for finding, want in equalities:
            got = values.get(finding)
            if got is None:
                unknown = True
            elif (got == want) is decisive:
                return decisive
        for fn in others:
            result = fn(values)
            if result is decisive:
                return decisive
            if result is None:
                unknown = True
        return None if unknown else not decisive

    return run


Expr = Union[Test, All, Any, Not, AtLeast]  # noqa: UP007 - a runtime alias used in annotations


def parse(raw: object, path: str = "when") -> Expr:
    """Turn the YAML form into nodes; raise ValueError naming the path of the first problem."""
    if isinstance(raw, str):
        return Test(raw, "eq", True)
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"{path}: expected a finding id or a mapping, got {raw!r}")
    if "at_least" in raw:
        if set(raw) != {"at_least", "of"}:
            raise ValueError(f"{path}: at_least takes exactly the keys at_least and of")
        count, items = raw["at_least"], raw["of"]
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ValueError(f"{path}.at_least: expected a whole number of 1 or more")
        parsed = _parse_list(items, f"{path}.of")
        if count > len(parsed):
            raise ValueError(f"{path}.at_least: {count} is more than the {len(parsed)} items")
        return AtLeast(count, parsed)
    if len(raw) != 1:
        raise ValueError(f"{path}: one key per mapping, got {sorted(raw)}")
    ((key, body),) = raw.items()
    if key == "all":
        return All(_parse_list(body, f"{path}.all"))
    if key == "any":
        return Any(_parse_list(body, f"{path}.any"))
    if key == "not":
        return Not(parse(body, f"{path}.not"))
    if not isinstance(key, str):
        raise ValueError(f"{path}: {key!r} is not a finding id")
    if isinstance(body, dict):
        return _parse_comparisons(key, body, f"{path}.{key}")
    if isinstance(body, bool | int | float | str):
        return Test(key, "eq", body)
    raise ValueError(f"{path}.{key}: expected a value or comparisons, got {body!r}")


def _parse_list(raw: object, path: str) -> tuple[Expr, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{path}: expected a non-empty list")
    return tuple(parse(item, f"{path}[{index}]") for index, item in enumerate(raw))


def _parse_comparisons(finding: str, body: dict[object, object], path: str) -> Expr:
    tests: list[Expr] = []
    for op, value in body.items():
        if op not in COMPARISONS:
            raise ValueError(f"{path}: unknown comparison {op!r}; use one of {COMPARISONS}")
        if op == "in":
            if not isinstance(value, list) or not value:
                raise ValueError(f"{path}.in: expected a non-empty list")
            tests.append(Test(finding, "in", tuple(value)))
        elif isinstance(value, bool | int | float | str):
            tests.append(Test(finding, str(op), value))
        else:
            raise ValueError(f"{path}.{op}: expected a single value, got {value!r}")
    if not tests:
        raise ValueError(f"{path}: no comparisons given")
    return tests[0] if len(tests) == 1 else All(tuple(tests))


def comparisons_in(expr: Expr, negated: bool = False) -> Iterator[tuple[Test, bool]]:
    """Every comparison in the expression, with whether it sits under an odd number of nots."""
    if isinstance(expr, Test):
        yield expr, negated
    elif isinstance(expr, Not):
        yield from comparisons_in(expr.item, not negated)
    else:
        for item in expr.items:
            yield from comparisons_in(item, negated)


def findings_in(expr: Expr) -> list[str]:
    """Finding ids in the order they are written, each once."""
    seen: dict[str, None] = {}
    for test, _ in comparisons_in(expr):
        seen.setdefault(test.finding, None)
    return list(seen)


def open_findings(expr: Expr, values: Mapping[str, Scalar], settled: frozenset[str]) -> list[str]:
    """Unsettled findings that could still change this expression's value, in written order.

    A branch whose value is already decided is skipped, so an interview asks only
    what can still matter.
    """
    out: list[str] = []
    _collect_open(expr, values, settled, out)
    return out


def _collect_open(
    expr: Expr, values: Mapping[str, Scalar], settled: frozenset[str], out: list[str]
) -> None:
    if expr.evaluate(values) is not None:
        return
    if isinstance(expr, Test):
        if expr.finding not in settled and expr.finding not in out:
            out.append(expr.finding)
    elif isinstance(expr, Not):
        _collect_open(expr.item, values, settled, out)
    else:
        for item in expr.items:
            _collect_open(item, values, settled, out)


def describe(expr: Expr) -> str:
    """A compact human-readable form, for `kb explain` and error messages."""
    if isinstance(expr, Test):
        if expr.op == "eq" and expr.value is True:
            return expr.finding
        if expr.op == "eq" and expr.value is False:
            return f"not {expr.finding}"
        symbol = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥", "in": "in"}
        value = list(expr.value) if isinstance(expr.value, tuple) else expr.value
        return f"{expr.finding} {symbol[expr.op]} {value}"
    if isinstance(expr, Not):
        return f"not ({describe(expr.item)})"
    if isinstance(expr, AtLeast):
        inner = ", ".join(describe(item) for item in expr.items)
        return f"at least {expr.count} of ({inner})"
    joiner = " and " if isinstance(expr, All) else " or "
    return "(" + joiner.join(describe(item) for item in expr.items) + ")"
