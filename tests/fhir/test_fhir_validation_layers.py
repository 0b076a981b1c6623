"""Meta-tests: each validation layer rejects a resource broken in the way it exists to catch,
so a layer that silently stopped checking would fail here, and the golden harness can fail."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import fhir_validation
import pytest


def _questionnaire(**item: Any) -> dict[str, Any]:
    base = {"linkId": "a", "type": "boolean", "text": "A?"}
    return {
        "resourceType": "Questionnaire",
        "status": "draft",
        "item": [{**base, **item}] if item else [base],
    }


def test_a_sound_sample_passes_every_layer(validate: Any) -> None:
    assert validate(_questionnaire()) == {"models": [], "schema": [], "invariants": []}


def test_models_catch_two_values_in_one_answer(validate: Any) -> None:
    """Only the models know a choice element value[x] takes one type; the schema does not."""
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [{"linkId": "a", "answer": [{"valueBoolean": True, "valueInteger": 1}]}],
    }
    result = validate(response)
    assert result["models"] and not result["schema"] and not result["invariants"]


def test_schema_catches_a_code_outside_a_required_binding(validate: Any) -> None:
    """fhir.resources accepts any string as a code; the R4 JSON Schema knows the value set."""
    broken = {**_questionnaire(), "status": "bogus"}
    result = validate(broken)
    assert result["schema"] and not result["models"] and not result["invariants"]


@pytest.mark.parametrize(
    ("key", "broken"),
    [
        (
            "que-2",
            {
                "resourceType": "Questionnaire",
                "status": "draft",
                "item": [
                    {"linkId": "a", "type": "boolean", "text": "A?"},
                    {"linkId": "a", "type": "boolean", "text": "Again?"},
                ],
            },
        ),
        ("que-1", _questionnaire(type="group")),
        ("que-6", _questionnaire(type="display", required=True)),
        (
            "que-12",  # the fixed form: two conditions need enableBehavior
            _questionnaire(
                enableWhen=[
                    {"question": "x", "operator": "exists", "answerBoolean": True},
                    {"question": "y", "operator": "exists", "answerBoolean": True},
                ]
            ),
        ),
        (
            "que-7",
            _questionnaire(
                enableWhen=[{"question": "x", "operator": "exists", "answerInteger": 1}]
            ),
        ),
        ("que-5", _questionnaire(answerOption=[{"valueString": "x"}])),
        (
            "ras-2",
            {
                "resourceType": "RiskAssessment",
                "status": "final",
                "subject": {"display": "someone"},
                "prediction": [{"probabilityDecimal": 150}],
            },
        ),
        (
            "qrs-1",
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "item": [
                    {
                        "linkId": "a",
                        "answer": [{"valueBoolean": True}],
                        "item": [{"linkId": "b"}],
                    }
                ],
            },
        ),
        (
            "cpl-3",
            {
                "resourceType": "CarePlan",
                "status": "active",
                "intent": "plan",
                "subject": {"display": "someone"},
                "activity": [
                    {
                        "reference": {"reference": "ServiceRequest/1"},
                        "detail": {"status": "not-started"},
                    }
                ],
            },
        ),
    ],
)
def test_invariants_catch_what_structure_cannot(validate: Any, key: str, broken: Any) -> None:
    result = validate(broken)
    assert not result["models"] and not result["schema"], result
    assert any(f"{key} fails" for f in result["invariants"] if key in f), result["invariants"]


def test_invariants_reach_nested_contained_and_bundled_resources(validate: Any) -> None:
    inner = _questionnaire(type="group")
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "contained": [{**inner, "id": "q"}],
        "questionnaire": "#q",
    }
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": response}]}
    assert any("que-1" in problem for problem in validate(bundle)["invariants"])


def test_every_questionnaire_invariant_is_evaluated(js_deps: Any) -> None:
    nested = _questionnaire()
    nested["item"][0] = {
        "linkId": "g",
        "type": "group",
        "text": "G",
        "item": [
            {
                "linkId": "a",
                "type": "boolean",
                "text": "A?",
                "enableWhen": [{"question": "b", "operator": "exists", "answerBoolean": True}],
            }
        ],
    }
    keys = fhir_validation.invariant_keys_checked(nested)
    assert {f"que-{n}" for n in range(1, 14)} <= keys


def test_golden_harness_fails_on_a_difference(golden: Any, tmp_path: Path) -> None:
    sample = _questionnaire()
    (tmp_path / "sample.json").write_text(json.dumps(sample))
    golden("sample.json", sample, directory=tmp_path, update=False)  # equal: passes
    changed = copy.deepcopy(sample)
    changed["item"][0]["text"] = "Changed?"
    with pytest.raises(pytest.fail.Exception, match="differs from its golden file"):
        golden("sample.json", changed, directory=tmp_path, update=False)
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        golden("absent.json", sample, directory=tmp_path, update=False)
