"""The knowledge base honours the project's fixed interfaces in shared/spec."""

from __future__ import annotations

import yaml

from backspasm.engine.schema import DISPOSITIONS
from tests.support.paths import shared_spec


def test_every_spec_finding_exists_with_the_same_type_and_bounds(kb):
    spec = yaml.safe_load((shared_spec() / "findings.yaml").read_text())["findings"]
    for name, contract in spec.items():
        assert name in kb.findings, f"{name} is in the spec but not in the knowledge base"
        finding = kb.findings[name]
        assert finding.type == contract["type"], name
        assert finding.options == contract.get("options", []), name
        assert finding.required == contract.get("required", False), name
        if "min" in contract:
            assert (finding.min, finding.max) == (contract["min"], contract["max"]), name


def test_our_own_findings_are_marked_own(kb):
    """`own: true` marks exactly the findings the shared vocabulary does not have."""
    spec = yaml.safe_load((shared_spec() / "findings.yaml").read_text())["findings"]
    assert {name for name, finding in kb.findings.items() if finding.own} == set(kb.findings) - set(
        spec
    )


def test_spec_choice_defaults_are_kept(kb):
    assert kb.findings["pain_course"].default == "unchanged"
    assert kb.findings["pain_region"].default == "lower_back"


def test_every_spec_condition_exists(kb):
    spec = yaml.safe_load((shared_spec() / "conditions.yaml").read_text())["conditions"]
    assert set(spec) <= set(kb.conditions)


def test_dispositions_follow_the_spec_order(kb):
    spec = yaml.safe_load((shared_spec() / "dispositions.yaml").read_text())["dispositions"]
    assert [level["id"] for level in spec] == list(reversed(DISPOSITIONS))
    assert set(kb.meta.dispositions) == set(DISPOSITIONS)


def test_every_finding_has_a_question_in_plain_words(kb):
    for name, finding in kb.findings.items():
        assert finding.question.endswith("?") or "(" in finding.question, name
        assert "_" not in finding.question, f"{name}: an id leaked into the question"
