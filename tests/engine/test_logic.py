"""The condition language: parsing, Kleene three-valued logic, and readable errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backspasm.engine.logic import (
    All,
    AtLeast,
    Not,
    Test,
    describe,
    findings_in,
    open_findings,
    parse,
)


@pytest.mark.parametrize(
    ("raw", "values", "expected"),
    [
        ("fever", {"fever": True}, True),
        ("fever", {"fever": False}, False),
        ("fever", {}, None),
        ({"not": "fever"}, {}, None),
        ({"not": "fever"}, {"fever": False}, True),
        ({"all": ["a", "b"]}, {"a": True}, None),
        ({"all": ["a", "b"]}, {"a": False}, False),
        ({"all": ["a", "b"]}, {"a": True, "b": True}, True),
        ({"any": ["a", "b"]}, {"b": True}, True),
        ({"any": ["a", "b"]}, {"a": False}, None),
        ({"any": ["a", "b"]}, {"a": False, "b": False}, False),
        ({"age": {"gte": 50}}, {"age": 50}, True),
        ({"age": {"gte": 50, "lt": 70}}, {"age": 70}, False),
        ({"age": {"gte": 50}}, {}, None),
        ({"pain_course": "worsening"}, {"pain_course": "improving"}, False),
        ({"pain_course": {"in": ["unchanged", "worsening"]}}, {"pain_course": "unchanged"}, True),
        ({"at_least": 2, "of": ["a", "b", "c"]}, {"a": True, "b": True}, True),
        ({"at_least": 2, "of": ["a", "b", "c"]}, {"a": True, "b": False}, None),
        ({"at_least": 2, "of": ["a", "b", "c"]}, {"a": False, "b": False}, False),
    ],
)
def test_three_valued_evaluation(raw, values, expected):
    assert parse(raw).evaluate(values) is expected


def test_shorthand_and_nodes():
    assert parse("fever") == Test("fever", "eq", True)
    expr = parse({"age": {"gte": 50, "lt": 70}})
    assert isinstance(expr, All) and len(expr.items) == 2
    assert isinstance(parse({"at_least": 1, "of": ["a"]}), AtLeast)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"age": {"about": 50}}, "unknown comparison"),
        ({"all": []}, "non-empty list"),
        ({"a": 1, "b": 2}, "one key per mapping"),
        ({"at_least": 3, "of": ["a", "b"]}, "more than the 2 items"),
        ({"at_least": 0, "of": ["a"]}, "whole number of 1 or more"),
        (["a"], "expected a finding id or a mapping"),
        ({"age": {"in": []}}, "non-empty list"),
    ],
)
def test_malformed_conditions_are_refused_with_a_path(raw, message):
    with pytest.raises(ValueError, match=message):
        parse(raw)


def test_nested_error_names_its_path():
    with pytest.raises(ValueError, match=r"when\.all\[1\]\.any"):
        parse({"all": ["a", {"any": []}]})


def test_open_findings_skip_decided_branches():
    expr = parse({"all": ["fever", {"any": ["iv", "immuno"]}]})
    assert open_findings(expr, {}, frozenset()) == ["fever", "iv", "immuno"]
    assert open_findings(expr, {"fever": False}, frozenset({"fever"})) == []
    assert open_findings(expr, {"iv": True}, frozenset({"iv"})) == ["fever"]


def test_findings_in_and_describe():
    expr = parse({"all": ["fever", {"not": "x"}, {"age": {"gte": 50}}, "fever"]})
    assert findings_in(expr) == ["fever", "x", "age"]
    assert describe(expr) == "(fever and not (x) and age ≥ 50 and fever)"


# The compiled evaluators take shortcuts (equality tests checked inline by their parent, short
# circuits). A plain recursive reading of Kleene logic must agree with them on any condition.
_NAMES = ("a", "b", "c", "n")
_leaf = st.one_of(
    st.sampled_from(("a", "b", "c")),
    st.builds(lambda name, v: {name: v}, st.sampled_from(("a", "b")), st.booleans()),
    st.builds(
        lambda op, v: {"n": {op: v}},
        st.sampled_from(("eq", "ne", "lt", "lte", "gt", "gte")),
        st.integers(0, 3),
    ),
    st.builds(lambda vs: {"n": {"in": vs}}, st.lists(st.integers(0, 3), min_size=1, max_size=3)),
)
_conditions = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=4)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=4)),
        st.builds(lambda x: {"not": x}, inner),
        st.builds(
            lambda k, xs: {"at_least": min(k, len(xs)), "of": xs},
            st.integers(1, 3),
            st.lists(inner, min_size=1, max_size=4),
        ),
    ),
    max_leaves=12,
)
_values = st.fixed_dictionaries(
    {},
    optional={"a": st.booleans(), "b": st.booleans(), "c": st.booleans(), "n": st.integers(0, 3)},
)


def _reference(expr, values):
    if isinstance(expr, Test):
        got = values.get(expr.finding)
        if got is None:
            return None
        want = expr.value
        return {
            "eq": lambda: got == want,
            "ne": lambda: got != want,
            "lt": lambda: got < want,
            "lte": lambda: got <= want,
            "gt": lambda: got > want,
            "gte": lambda: got >= want,
            "in": lambda: got in (want if isinstance(want, tuple) else (want,)),
        }[expr.op]()
    if isinstance(expr, Not):
        inner = _reference(expr.item, values)
        return None if inner is None else not inner
    results = [_reference(item, values) for item in expr.items]
    if isinstance(expr, AtLeast):
        true, unknown = results.count(True), results.count(None)
        return True if true >= expr.count else (None if true + unknown >= expr.count else False)
    if isinstance(expr, All):
        return False if False in results else (None if None in results else True)
    return True if True in results else (None if None in results else False)


@settings(max_examples=600, deadline=None)
@given(_conditions, _values)
def test_compiled_evaluation_agrees_with_plain_kleene_logic(raw, values):
    expr = parse(raw)
    assert expr.evaluate(values) is _reference(expr, values)
