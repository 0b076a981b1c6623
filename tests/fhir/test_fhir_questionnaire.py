"""The intake Questionnaire: what it contains, that it validates, and that its gates enable
exactly the questions the engine would ask for the same answers."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from fhirpathpy import evaluate as fhirpath
from fhirpathpy.models import models
from hypothesis import given, settings
from hypothesis import strategies as st

from backspasm.engine import logic as ex
from backspasm.engine.answers import UNSURE, facts_from
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.fhir import names
from backspasm.fhir.gates import gate_for
from backspasm.fhir.questionnaire import build_questionnaire
from backspasm.fhir.responses import response_for

ROOT = Path(__file__).resolve().parents[2]


def _items(questionnaire: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            out[item["linkId"]] = item
            walk(item.get("item", []))

    walk(questionnaire["item"])
    return out


def _extension(item: dict[str, Any], url: str) -> dict[str, Any] | None:
    return next((e for e in item.get("extension", []) if e["url"] == url), None)


def test_every_finding_is_an_item_with_its_id_as_link_id(kb: KnowledgeBase) -> None:
    items = _items(build_questionnaire(kb))
    questions = {k: v for k, v in items.items() if v["type"] not in ("group", "display")}
    assert sorted(questions) == sorted(kb.findings)
    groups = [item for item in build_questionnaire(kb)["item"] if item["type"] == "group"]
    assert [g["text"] for g in groups] == [spec.heading for spec in kb.screens.screens]
    for group, spec in zip(groups, kb.screens.screens, strict=True):
        assert [item["linkId"] for item in group["item"]] == spec.rows  # a group per screen
    for name, item in questions.items():
        assert item["text"] == kb.findings[name].question


def test_header_names_version_profile_and_canonical(kb: KnowledgeBase) -> None:
    questionnaire = build_questionnaire(kb)
    assert questionnaire["version"] == kb.version
    assert questionnaire["url"] == names.INTAKE_URL
    assert questionnaire["meta"]["profile"] == [names.SDC_QUESTIONNAIRE]
    assert questionnaire["status"] == ("active" if kb.meta.status == "reviewed" else "draft")


def test_types_options_and_not_sure(kb: KnowledgeBase) -> None:
    items = _items(build_questionnaire(kb))
    for name, finding in kb.findings.items():
        item = items[name]
        codes = [o["valueCoding"]["code"] for o in item.get("answerOption", [])]
        if finding.type == "bool" and finding.unsure:
            assert (item["type"], codes) == ("choice", ["yes", "no", "unsure"])
        elif finding.type == "bool":
            assert item["type"] == "boolean" and not codes
        elif finding.type == "choice":
            offered = [*finding.options, *(["unsure"] if finding.unsure else [])]
            assert (item["type"], codes) == ("choice", offered)
        else:
            assert item["type"] == ("integer" if finding.type == "int" else "decimal")
            low = _extension(item, names.EXT_MIN_VALUE)
            high = _extension(item, names.EXT_MAX_VALUE)
            assert low is not None and high is not None
            key = "valueInteger" if finding.type == "int" else "valueDecimal"
            assert (low[key], high[key]) == (finding.min, finding.max)
        assert item.get("required", False) == finding.required


def test_sex_offers_prefer_not_to_say_and_reads_it_back_as_unknown(kb: KnowledgeBase) -> None:
    sex = _items(build_questionnaire(kb))["sex"]
    assert sex["answerOption"][-1]["valueCoding"]["display"] == "Prefer not to say"
    # a gate on sex reads the declined answer as unknown, so pregnancy is still asked
    pregnant = _items(build_questionnaire(kb))["pregnant"]
    expression = next(
        e["valueExpression"]["expression"]
        for e in pregnant["extension"]
        if e["url"] == names.EXT_ENABLE_WHEN_EXPRESSION
    )

    def asked(sex: str) -> object:
        response = {
            "resourceType": "QuestionnaireResponse",
            "status": "in-progress",
            "item": [
                {"linkId": "age", "answer": [{"valueInteger": 30}]},
                {"linkId": "sex", "answer": [{"valueCoding": {"code": sex}}]},
            ],
        }
        return fhirpath(response, expression, {"resource": response}, model=models["r4"])

    assert (asked("female"), asked("male"), asked("unsure")) == ([True], [False], [True])


def test_only_verified_codes(kb: KnowledgeBase) -> None:
    """LOINC 72514-3 on the pain item is the only external code (see fhir/names.py)."""
    coded = {k: v["code"] for k, v in _items(build_questionnaire(kb)).items() if "code" in v}
    assert coded == {
        "pain_severity": [
            {
                "system": "http://loinc.org",
                "code": "72514-3",
                "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            }
        ]
    }


def test_every_gate_becomes_enable_when_or_an_expression(kb: KnowledgeBase) -> None:
    items = _items(build_questionnaire(kb))
    flat = expression = 0
    for name, finding in kb.findings.items():
        item = items[name]
        has_expression = _extension(item, names.EXT_ENABLE_WHEN_EXPRESSION) is not None
        if finding.ask_when is None:
            assert "enableWhen" not in item and not has_expression
            continue
        assert ("enableWhen" in item) != has_expression, name  # SDC: never both
        if len(item.get("enableWhen", [])) > 1:
            assert item["enableBehavior"] in ("any", "all")
        flat += "enableWhen" in item
        expression += has_expression
    assert flat >= 10 and expression >= 1  # both forms are exercised by this knowledge


def test_passes_every_validation_layer(kb: KnowledgeBase, validate: Any) -> None:
    assert validate(build_questionnaire(kb)) == {"models": [], "schema": [], "invariants": []}


def test_matches_golden_file(kb: KnowledgeBase, golden: Any) -> None:
    golden("questionnaire.json", build_questionnaire(kb))


def test_cli_prints_the_same_questionnaire(kb: KnowledgeBase) -> None:
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "backspasm"), "fhir", "questionnaire"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert json.loads(out) == build_questionnaire(kb)


# --- gates: a renderer following the Questionnaire asks what the engine asks -------------------
def _enable_when_holds(condition: dict[str, Any], response: dict[str, Any]) -> bool:
    """R4 enableWhen semantics for one condition (Questionnaire.item.enableWhen)."""
    answers = [
        answer
        for item in _response_items(response)
        if item["linkId"] == condition["question"]
        for answer in item.get("answer", [])
    ]
    if condition["operator"] == "exists":
        return bool(answers) == condition["answerBoolean"]
    ((key, want),) = [(k, v) for k, v in condition.items() if k.startswith("answer")]
    for answer in answers:
        got = answer.get(key.replace("answer", "value"))
        if got is None and key in ("answerDecimal", "answerInteger"):
            got = answer.get("valueInteger", answer.get("valueDecimal"))
        if got is None:
            continue
        if key == "answerCoding":
            got, want_ = (got["system"], got["code"]), (want["system"], want["code"])
        else:
            want_ = want
        op = condition["operator"]
        if (
            (op == "=" and got == want_)
            or (op == "!=" and got != want_)
            or (op == ">" and got > want_)
            or (op == "<" and got < want_)
            or (op == ">=" and got >= want_)
            or (op == "<=" and got <= want_)
        ):
            return True
    return False


def _response_items(response: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            out.append(item)
            walk(item.get("item", []))

    walk(response.get("item", []))
    return out


def _form_enabled(item: dict[str, Any], response: dict[str, Any]) -> bool:
    """Whether a renderer shows the item, using fhirpathpy for enableWhenExpression."""
    expression = _extension(item, names.EXT_ENABLE_WHEN_EXPRESSION)
    if expression is not None:
        run = _compiled(expression["valueExpression"]["expression"])
        return run(response, {"resource": response}) == [True]
    conditions = item.get("enableWhen", [])
    if not conditions:
        return True
    results = [_enable_when_holds(c, response) for c in conditions]
    return any(results) if item.get("enableBehavior", "all") == "any" else all(results)


@cache
def _compiled(expression: str) -> Any:
    from fhirpathpy import compile as compile_fhirpath
    from fhirpathpy.models import models

    return compile_fhirpath(expression, models["r4"])


@cache
def _questionnaire_items(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    return _items(build_questionnaire(kb))


def _values_for(kb: KnowledgeBase, gated: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """Candidate answers for the findings the gates of `gated` (default: all) mention:
    None (unanswered), every yes/no/not-sure or option, and each number at the gates'
    thresholds, one either side, and the bounds, so boundaries are always in play."""
    owners = [n for n, f in kb.findings.items() if f.ask_when is not None]
    mentioned: set[str] = set()
    thresholds: dict[str, set[float]] = {}
    for owner in owners if gated is None else gated:
        gate = kb.findings[owner].ask_when
        if gate is None:
            continue
        for test in _comparisons(gate):
            mentioned.add(test.finding)
            values = test.value if isinstance(test.value, tuple) else (test.value,)
            for value in values:
                if isinstance(value, int | float) and not isinstance(value, bool):
                    thresholds.setdefault(test.finding, set()).update({value - 1, value, value + 1})
    out: dict[str, list[Any]] = {}
    for name in sorted(mentioned | set(owners)):
        finding = kb.findings[name]
        if finding.type == "bool":
            out[name] = [None, True, False] + ([UNSURE] if finding.unsure else [])
        elif finding.type == "choice":
            out[name] = [None, *finding.options] + ([UNSURE] if finding.unsure else [])
        else:
            assert finding.min is not None and finding.max is not None
            numbers = {finding.min, finding.max} | thresholds.get(name, set())
            cast = int if finding.type == "int" else float
            out[name] = [None, *sorted(cast(n) for n in numbers if finding.min <= n <= finding.max)]
    return out


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data())
def test_gates_enable_exactly_what_the_engine_asks(kb: KnowledgeBase, data: Any) -> None:
    """Fill a form as a renderer would (disabled items lose their answers, until stable);
    then every gated item is shown exactly when the engine would ask it."""
    candidates = _values_for(kb)
    intended = {
        name: data.draw(st.sampled_from(values), label=name) for name, values in candidates.items()
    }
    items = _questionnaire_items(kb)
    gated = [name for name, f in kb.findings.items() if f.ask_when is not None]
    shown = {name: True for name in gated}
    for _ in range(len(gated) + 1):
        answers = {k: v for k, v in intended.items() if v is not None and shown.get(k, True)}
        response = response_for(kb, answers)
        now_shown = {name: _form_enabled(items[name], response) for name in gated}
        if now_shown == shown:
            break
        shown = now_shown
    else:
        raise AssertionError("the form's enabled state did not settle")
    facts = facts_from(kb, answers)
    for name in gated:
        gate = kb.findings[name].ask_when
        assert gate is not None
        engine_asks = gate.evaluate(facts.values) is not False
        assert shown[name] == engine_asks, (name, answers)


def _comparisons(expr: ex.Expr) -> Iterator[ex.Test]:
    """Every comparison in a condition, walked here so these tests need only the node types."""
    if isinstance(expr, ex.Test):
        yield expr
    elif isinstance(expr, ex.Not):
        yield from _comparisons(expr.item)
    else:
        for item in expr.items:
            yield from _comparisons(item)


def _closure(kb: KnowledgeBase, name: str) -> list[str]:
    """The findings a gate depends on, through the gates of gated yes/no findings it names."""
    out: list[str] = []
    pending = [name]
    while pending:
        gate = kb.findings[pending.pop()].ask_when
        if gate is None:
            continue
        for test in _comparisons(gate):
            if test.finding not in out:
                out.append(test.finding)
                pending.append(test.finding)
    return out


def _settled(kb: KnowledgeBase, answers: dict[str, Any]) -> dict[str, Any]:
    """Drop answers to questions the engine would not ask, until nothing changes."""
    current = dict(answers)
    while True:
        facts = facts_from(kb, current)
        kept = {
            k: v
            for k, v in current.items()
            if kb.findings[k].ask_when is None
            or kb.findings[k].ask_when.evaluate(facts.values) is not False  # type: ignore[union-attr]
        }
        if kept == current:
            return current
        current = kept


def test_every_gate_agrees_with_the_engine_on_every_combination(kb: KnowledgeBase) -> None:
    """Exhaustive over the answers each gate depends on (None = unanswered), boundary values
    for numbers: the published enableWhen / expression shows the item iff the engine asks."""
    from itertools import product

    items = _questionnaire_items(kb)
    for name, finding in kb.findings.items():
        if finding.ask_when is None:
            continue
        closure = _closure(kb, name)
        candidates = _values_for(kb, [name, *closure])
        seen: set[frozenset[tuple[str, Any]]] = set()
        for combination in product(*(candidates[f] for f in closure)):
            raw = {f: v for f, v in zip(closure, combination, strict=True) if v is not None}
            answers = _settled(kb, raw)
            key = frozenset(answers.items())
            if key in seen:
                continue
            seen.add(key)
            response = response_for(kb, answers)
            asks = finding.ask_when.evaluate(facts_from(kb, answers).values) is not False
            assert _form_enabled(items[name], response) == asks, (name, answers)


def test_flat_gates_agree_with_their_expression(kb: KnowledgeBase) -> None:
    """Each flat gate also carries an equivalent expression; the property test above checks
    the published form, this one pins that both forms exist for every gate."""
    for name, finding in kb.findings.items():
        gate = gate_for(kb, name)
        assert (gate is None) == (finding.ask_when is None)
        if gate is not None:
            assert gate.expression.startswith("iif(")


def test_cli_import_pulls_in_no_web_or_fhir_libraries() -> None:
    """The fhir sub-commands import lazily, so `backspasm --help` stays fast."""
    code = (
        "import sys, backspasm.cli.main; "
        "print([m for m in ('fastapi', 'fhir.resources', 'fhirpathpy', 'jsonschema', "
        "'backspasm.fhir.questionnaire') if m in sys.modules])"
    )
    python = ROOT / ".venv" / "bin" / "python"
    out = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
