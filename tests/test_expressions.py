"""The condition language: parsing, Kleene three-valued logic, and readable errors."""

from __future__ import annotations

import pytest

from backspasm.expressions import All, AtLeast, Test, describe, findings_in, open_findings, parse


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
