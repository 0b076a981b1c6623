"""Answers -> QuestionnaireResponse -> answers, and the assessment Bundle, on every evaluation
case: the FHIR view must say exactly what `assess()` says."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from fhir_support import FIXED_NOW, interview_answers_by_level
from hypothesis import given, settings
from hypothesis import strategies as st

from backspasm.engine.answers import UNSURE, Answers, validate_answers
from backspasm.engine.assessment import assess
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.evaluation import Case, load_cases
from backspasm.fhir import names
from backspasm.fhir.outcome import FhirInputError
from backspasm.fhir.responses import answers_from_response, response_for
from backspasm.fhir.results import RISK_CODES, assessment_bundle
from tests.support.knowledge import knowledge

CASES = Path(__file__).resolve().parents[2] / "cases"


def _cases() -> list[Case]:
    return load_cases(knowledge(), [CASES])


def _by_type(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}


def _bundle(kb: KnowledgeBase, answers: Answers) -> dict[str, Any]:
    return assessment_bundle(kb, assess(kb, answers), response_for(kb, answers), FIXED_NOW)


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case.id)
def test_case_round_trips_and_bundle_says_what_assess_says(kb: KnowledgeBase, case: Case) -> None:
    answers = validate_answers(kb, case.facts)
    response = response_for(kb, answers)
    assert answers_from_response(kb, response) == answers
    result = assess(kb, answers)
    resources = _by_type(assessment_bundle(kb, result, response, FIXED_NOW))

    risk = resources["RiskAssessment"]
    level, *contributors = risk["prediction"]
    assert level["outcome"]["coding"][0]["code"] == result.disposition.id
    assert [p["outcome"]["coding"][0]["code"] for p in contributors] == [
        c.id for c in result.causes
    ]
    assert [p["qualitativeRisk"]["text"] for p in contributors] == [
        c.likelihood for c in result.causes
    ]
    assert [p["qualitativeRisk"]["coding"][0]["code"] for p in contributors] == [
        RISK_CODES[c.likelihood] for c in result.causes
    ]

    activities = [a["detail"] for a in resources["CarePlan"]["activity"]]
    assert [a["code"]["coding"][0]["code"] for a in activities] == [
        *(p.id for p in result.plan),
        *(w.id for w in result.withheld),
        "check_in",
    ]
    assert [a.get("doNotPerform", False) for a in activities] == [
        *(False for _ in result.plan),
        *(True for _ in result.withheld),
        False,
    ]

    pain = resources["Observation"]
    assert pain["code"]["coding"][0]["code"] == "72514-3"
    assert pain["valueInteger"] == answers["pain_severity"]

    identifier = resources["Provenance"]["entity"][1]["what"]["identifier"]["value"]
    assert kb.version in identifier and kb.content_hash in identifier


def test_bundles_pass_every_validation_layer(kb: KnowledgeBase, validate: Any) -> None:
    """One full interview per care level, so every branch of the mapping is validated."""
    levels = interview_answers_by_level()
    assert len(levels) == 5
    for level, answers in levels.items():
        bundle = _bundle(kb, answers)
        assert validate(bundle) == {"models": [], "schema": [], "invariants": []}, level


def _stable(bundle: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """The Bundle with the content hash and the UUIDs derived from it replaced by placeholders,
    so an edit that changes only the knowledge files' bytes (a comment) keeps the golden file."""
    text = json.dumps(bundle).replace(kb.content_hash, "{content-hash}")
    found: dict[str, str] = {}
    for uuid in re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text):
        found.setdefault(uuid, f"{{uuid-{len(found) + 1}}}")
    for uuid, placeholder in found.items():
        text = text.replace(uuid, placeholder)
    return json.loads(text)  # type: ignore[no-any-return]


@pytest.mark.parametrize("case_id", ["ces-saddle-numbness-01", "sc-lifting-boxes-01"])
def test_bundle_matches_golden_file(kb: KnowledgeBase, golden: Any, case_id: str) -> None:
    case = next(c for c in _cases() if c.id == case_id)
    bundle = _bundle(kb, validate_answers(kb, case.facts))
    golden(f"bundle-{case_id}.json", _stable(bundle, kb))


def test_same_answers_same_bundle_ids(kb: KnowledgeBase) -> None:
    answers: Answers = {"age": 30, "sex": "male", "pain_duration_days": 1, "pain_severity": 3}
    first, second = _bundle(kb, answers), _bundle(kb, answers)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    other = _bundle(kb, {**answers, "pain_severity": 4})
    assert first["entry"][0]["fullUrl"] != other["entry"][0]["fullUrl"]


def test_no_pain_score_means_no_observation(kb: KnowledgeBase) -> None:
    resources = _by_type(_bundle(kb, {"age": 30}))
    assert "Observation" not in resources
    assert len(resources["RiskAssessment"]["basis"]) == 1


def _answer_strategy(kb: KnowledgeBase) -> st.SearchStrategy[dict[str, Any]]:
    per_finding: dict[str, st.SearchStrategy[Any]] = {}
    for name, finding in kb.findings.items():
        if finding.type == "bool":
            per_finding[name] = st.sampled_from(
                [True, False, UNSURE] if finding.unsure else [True, False]
            )
        elif finding.type == "choice":
            per_finding[name] = st.sampled_from(finding.options)
        elif finding.type == "int":
            per_finding[name] = st.integers(int(finding.min or 0), int(finding.max or 0))
        else:
            per_finding[name] = st.floats(finding.min or 0, finding.max or 0, allow_nan=False)
    return st.fixed_dictionaries({}, optional=per_finding)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.data())
def test_any_valid_answers_round_trip(kb: KnowledgeBase, data: Any) -> None:
    answers = validate_answers(kb, data.draw(_answer_strategy(kb)))
    assert answers_from_response(kb, response_for(kb, answers)) == answers


# --- intake problems name the item and give 422 ---------------------------------------------------
def _response(*items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": list(items),
        **extra,
    }


@pytest.mark.parametrize(
    ("response", "names_"),
    [
        (_response({"linkId": "shoe_size", "answer": [{"valueInteger": 9}]}), ["shoe_size"]),
        (_response({"linkId": "age", "answer": [{"valueInteger": 130}]}), ["age"]),
        (_response({"linkId": "age", "answer": [{"valueString": "forty"}]}), ["age"]),
        (_response({"linkId": "fever", "answer": [{"valueInteger": 1}]}), ["fever"]),
        (
            _response({"linkId": "chest_pain", "answer": [{"valueCoding": {"code": "unsure"}}]}),
            ["chest_pain"],
        ),
        (_response({"linkId": "sex", "answer": [{"valueCoding": {"code": "other"}}]}), ["sex"]),
        (
            _response({"linkId": "age", "answer": [{"valueInteger": 3}, {"valueInteger": 4}]}),
            ["age"],
        ),
        (
            _response(
                {"linkId": "age", "answer": [{"valueInteger": 300}]},
                {"linkId": "bogus", "answer": [{"valueBoolean": True}]},
            ),
            ["age", "bogus"],
        ),
    ],
)
def test_answers_that_do_not_fit_name_each_item(
    kb: KnowledgeBase, response: dict[str, Any], names_: list[str]
) -> None:
    with pytest.raises(FhirInputError) as caught:
        answers_from_response(kb, response)
    assert caught.value.status == 422
    named = " ".join(issue.expression for issue in caught.value.issues)
    for name in names_:
        assert f"linkId='{name}'" in named


def test_another_questionnaire_or_status_is_refused(kb: KnowledgeBase) -> None:
    for response in (
        _response(questionnaire="http://example.org/Questionnaire/phq-9"),
        {**_response(), "status": "entered-in-error"},
        {**_response(), "status": "done"},
    ):
        with pytest.raises(FhirInputError) as caught:
            answers_from_response(kb, response)
        assert caught.value.status == 422


def test_booleans_arrive_as_codings_too(kb: KnowledgeBase) -> None:
    coding = {"system": names.ANSWER_SYSTEM, "code": "yes"}
    response = _response({"linkId": "chest_pain", "answer": [{"valueCoding": coding}]})
    assert answers_from_response(kb, response) == {"chest_pain": True}


def test_cli_bundle_prints_the_assessment(kb: KnowledgeBase, tmp_path: Path) -> None:
    import subprocess

    answers = {"age": 41, "sex": "female", "pain_severity": 8, "saddle_numbness": True}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    cli = [sys.executable, "-m", "backspasm"]  # the interpreter running the tests
    out = subprocess.run(
        [*cli, "fhir", "bundle", "--answers", str(path)], capture_output=True, text=True, check=True
    )
    resources = _by_type(json.loads(out.stdout))
    level = resources["RiskAssessment"]["prediction"][0]["outcome"]["coding"][0]["code"]
    assert level == assess(kb, validate_answers(kb, answers)).disposition.id
    path.write_text(json.dumps({"age": 400}))
    bad = subprocess.run(
        [*cli, "fhir", "bundle", "--answers", str(path)], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "age" in bad.stderr


def _calm(kb: KnowledgeBase, **given: Any) -> Answers:
    """A 30-year-old woman who answered every yes/no question no, and the given answers."""
    calm: dict[str, Any] = {n: False for n, f in kb.findings.items() if f.type == "bool"}
    calm.update(age=30, sex="female", pain_duration_days=2, pain_severity=5)
    calm.update(pain_course="improving", pain_region="lower_back", **given)
    return validate_answers(kb, calm)


def test_care_plan_says_not_to_take_ibuprofen_when_not_sure_if_pregnant(kb: KnowledgeBase) -> None:
    """PR-13: the withheld item goes out as do-not-perform, with the reason for 'not sure'."""
    plan = _by_type(_bundle(kb, _calm(kb, pregnant=UNSURE)))["CarePlan"]
    details = {a["detail"]["code"]["coding"][0]["code"]: a["detail"] for a in plan["activity"]}
    ibuprofen = details["anti_inflammatory"]
    assert ibuprofen["doNotPerform"] is True
    assert (
        "Not advised for you: you are not sure whether you are pregnant" in ibuprofen["description"]
    )
    assert "doNotPerform" not in details["paracetamol_in_pregnancy"]


def test_care_plan_note_gives_the_maternity_warning_line_as_one_action(kb: KnowledgeBase) -> None:
    """RR-04: from 20 weeks the note says ring the maternity unit, not the level's A&E."""
    answers = _calm(kb, pregnant=True, pregnancy_weeks="20_weeks_or_more")
    notes = [n["text"] for n in _by_type(_bundle(kb, answers))["CarePlan"]["note"]]
    (line,) = [note for note in notes if "baby moving less" in note]
    assert line.startswith("Get help if: In pregnancy, pains in waves")
    assert line.endswith(
        "Ring your maternity unit now; they will tell you where to go. If you cannot get through, call {emergency_number}."
    )
