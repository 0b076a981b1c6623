"""The loader is strict: every kind of inconsistency stops the load, named by file and item.

Each test breaks a private copy of the small fixture knowledge base (tests/knowledge/fixture_kb,
the `small_kb` fixture), never the production YAML.
"""

from __future__ import annotations

import pytest

from backspasm.engine.knowledge_base import KnowledgeError, read_knowledge
from tests.support.knowledge import FIXTURE_KB, broken


def test_real_knowledge_base_loads_and_is_not_empty(kb):
    assert len(kb.rules) >= 30
    assert len(kb.findings) >= 85
    assert kb.care.items and kb.care.safety_net
    assert len(kb.content_hash) == 64


def test_the_fixture_knowledge_base_loads_cleanly():
    small = read_knowledge(FIXTURE_KB)
    assert small.version == "fixture.1"
    assert [rule.id for rule in small.rules] == [
        "stroke_signs",
        "cauda_equina_signs",
        "getting_worse",
        "six_weeks",
    ]


def test_content_hash_changes_with_any_byte(small_kb):
    original = read_knowledge(FIXTURE_KB)
    same = read_knowledge(small_kb)
    assert same.content_hash == original.content_hash
    (small_kb / "care.yaml").write_text((small_kb / "care.yaml").read_text() + "\n# reviewed\n")
    assert read_knowledge(small_kb).content_hash != original.content_hash


def test_unknown_key_is_named(small_kb):
    problems = broken(
        small_kb,
        "triage.yaml",
        "  - id: stroke_signs\n",
        "  - id: stroke_signs\n    urgency: high\n",
    )
    assert any("triage.yaml" in p and "stroke_signs" in p and "urgency" in p for p in problems)


def test_dangling_finding_is_named(small_kb):
    problems = broken(
        small_kb, "triage.yaml", "when: one_side_body_weakness", "when: one_sided_weakness"
    )
    assert any(
        "stroke_signs" in p and "unknown finding 'one_sided_weakness'" in p for p in problems
    )


def test_uncited_rule_is_refused(small_kb):
    problems = broken(
        small_kb,
        "triage.yaml",
        "    sources: [{source: nhs_stroke_fast, locator: FAST}]\n",
        "    sources: []\n",
    )
    assert any("stroke_signs" in p and "sources" in p for p in problems)


def test_unknown_source_is_named(small_kb):
    problems = broken(
        small_kb, "triage.yaml", "{source: nhs_stroke_fast, locator: FAST}", "{source: nhs_stroke}"
    )
    assert any("stroke_signs" in p and "unknown source 'nhs_stroke'" in p for p in problems)


def test_unused_source_is_refused(small_kb):
    problems = broken(
        small_kb,
        "sources.yaml",
        "sources:\n",
        "sources:\n  orphan_2020:\n    title: Orphan\n    kind: trial\n    year: 2020\n    publisher: X\n",
    )
    assert any("orphan_2020" in p and "not cited" in p for p in problems)


def test_value_of_wrong_type_is_named(small_kb):
    problems = broken(
        small_kb,
        "triage.yaml",
        "{pain_duration_days: {gte: 42}}",
        "{pain_duration_days: {gte: soon}}",
    )
    assert any("six_weeks" in p and "expected a number" in p for p in problems)


def test_choice_value_outside_options_is_named(small_kb):
    problems = broken(
        small_kb, "triage.yaml", "when: {pain_course: worsening}", "when: {pain_course: worse}"
    )
    assert any("getting_worse" in p and "expected one of" in p for p in problems)


def test_red_flag_used_negatively_is_refused(small_kb):
    problems = broken(
        small_kb, "triage.yaml", "when: one_side_body_weakness", "when: {not: chest_pain}"
    )
    assert any("chest_pain" in p and "negatively" in p for p in problems)


def test_if_uncertain_cannot_exceed_disposition(small_kb):
    problems = broken(
        small_kb,
        "triage.yaml",
        "    if_uncertain: consultation_24\n",
        "    if_uncertain: emergency_ambulance\n",
    )
    assert any("cauda_equina_signs" in p and "if_uncertain" in p for p in problems)


def test_summary_must_read_when_then(small_kb):
    problems = broken(
        small_kb,
        "triage.yaml",
        "summary: When one side of the face, arm or leg suddenly goes numb or weak, then call an ambulance.",
        "summary: Stroke.",
    )
    assert any("stroke_signs" in p and "When" in p for p in problems)


def test_uncited_advice_is_refused(small_kb):
    problems = broken(
        small_kb,
        "care.yaml",
        "    sources: [{source: healthwise_back_spasm}]\n  - id: heat\n",
        "    sources: []\n  - id: heat\n",
    )
    assert any("comfortable_positions" in p for p in problems)


def test_empty_rule_set_is_refused(small_kb):
    (small_kb / "triage.yaml").write_text("rules: []\n")
    with pytest.raises(KnowledgeError) as caught:
        read_knowledge(small_kb)
    assert any("triage.yaml" in p for p in caught.value.problems)


def test_missing_file_and_bad_yaml_are_named(small_kb):
    (small_kb / "care.yaml").unlink()
    (small_kb / "conditions.yaml").write_text("conditions: [unclosed\n")
    with pytest.raises(KnowledgeError) as caught:
        read_knowledge(small_kb)
    text = "\n".join(caught.value.problems)
    assert "care.yaml: file is missing" in text
    assert "conditions.yaml: not valid YAML" in text


def test_dangling_condition_in_rule_is_named(small_kb):
    problems = broken(small_kb, "triage.yaml", "suspects: [stroke]", "suspects: [brain_attack]")
    assert any("stroke_signs" in p and "brain_attack" in p for p in problems)


def test_a_key_written_twice_is_refused_with_file_and_key(small_kb):
    """Plain YAML keeps the last of two equal keys; the loader refuses the file instead, so a
    second entry can never silently replace the first."""
    age = (small_kb / "findings.yaml").read_text().split("  pain_duration_days:\n")[0]
    second_age = age[age.index("  age:\n") :]
    problems = broken(
        small_kb, "findings.yaml", "  pain_duration_days:\n", second_age + "  pain_duration_days:\n"
    )
    assert any(p.startswith("findings.yaml: duplicate key 'age' at line") for p in problems)


def test_a_key_written_twice_within_one_entry_is_refused(small_kb):
    problems = broken(
        small_kb, "findings.yaml", "    type: int\n", "    type: int\n    type: int\n"
    )
    assert any(p.startswith("findings.yaml: duplicate key 'type' at line") for p in problems)
