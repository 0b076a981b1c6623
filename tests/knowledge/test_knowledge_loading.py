"""The loader is strict: every kind of inconsistency stops the load, named by file and item.

Each test breaks a private copy of the small fixture knowledge base (tests/knowledge/fixture_kb,
the `small_kb` fixture), never the production YAML.
"""

from __future__ import annotations

import pytest

from backspasm.engine.knowledge_base import (
    ALSO_HASHED,
    FILES,
    KnowledgeError,
    default_directory,
    read_knowledge,
)
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


@pytest.mark.parametrize("name", sorted({*FILES, *ALSO_HASHED}))
def test_content_hash_changes_with_each_knowledge_file(small_kb, name):
    path = small_kb / name
    if not path.exists():  # the fixture has no lexicon: the file appearing is a change too
        before = read_knowledge(small_kb).content_hash
        path.write_text("# words\n")
        assert read_knowledge(small_kb).content_hash != before
    before = read_knowledge(small_kb).content_hash
    path.write_text(path.read_text() + "\n# reviewed\n")
    assert read_knowledge(small_kb).content_hash != before


def test_every_knowledge_file_is_part_of_the_content_hash():
    """A new knowledge file cannot be forgotten: results record the hash of them all."""
    hashed = {*FILES, *ALSO_HASHED}
    assert {path.name for path in default_directory().glob("*.yaml")} == hashed


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


def test_part_of_must_name_a_yes_no_finding(small_kb):
    problems = broken(
        small_kb,
        "findings.yaml",
        "  chest_pain:\n",
        "  chest_pain:\n    own: true\n    part_of: pain_course\n",
    )
    assert any("chest_pain" in p and "part_of" in p and "pain_course" in p for p in problems)


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


# --- phone numbers by placeholder, and a level's one first action --------------------------------
STROKE_TELL = "tell: Sudden numbness or weakness on one side of the body may be a stroke."


def test_a_known_number_placeholder_loads(small_kb):
    path = small_kb / "triage.yaml"
    path.write_text(
        path.read_text().replace(STROKE_TELL, STROKE_TELL + " Call {emergency_number}.")
    )
    rule = read_knowledge(small_kb).rule("stroke_signs")
    assert rule.tell.endswith("Call {emergency_number}.")


def test_an_unknown_placeholder_is_refused(small_kb):
    problems = broken(small_kb, "triage.yaml", STROKE_TELL, STROKE_TELL + " Call {ambulance}.")
    assert any("stroke_signs" in p and "unknown placeholder {ambulance}" in p for p in problems)


def test_a_number_placeholder_where_no_face_fills_it_is_refused(small_kb):
    old = "tell: You reported a new warning sign, so we checked everything again."
    problems = broken(small_kb, "followup.yaml", old, old[:-1] + " Call {urgent_number}.")
    assert any(p.startswith("followup.yaml:") and "{urgent_number}" in p for p in problems)


FIRST = """  - id: heat
    stage: now"""
RING_FIRST = """  - id: ring_first
    stage: now
    levels: {levels}
    applies_when: chest_pain
    first_action: true
    first_action_for: [getting_worse]
    replaces: [{replaces}]
    title: Ring someone first
    text: Ring them now. Call {{emergency_number}} instead if it gets worse.
    sources: [{{source: back_guideline}}]
"""


def test_a_first_action_that_replaces_an_item_loads(small_kb):
    path = small_kb / "care.yaml"
    item = RING_FIRST.format(levels="[self_care, consultation]", replaces="heat")
    path.write_text(path.read_text().replace(FIRST, item + FIRST))
    loaded = read_knowledge(small_kb)
    ring = next(item for item in loaded.care.items if item.id == "ring_first")
    assert ring.first_action and ring.replaces == ["heat"]


def test_nothing_replaces_calling_an_ambulance(small_kb):
    item = RING_FIRST.format(levels="[emergency_ambulance, emergency]", replaces="heat")
    problems = broken(small_kb, "care.yaml", FIRST, item + FIRST)
    assert any("ring_first" in p and "ambulance" in p for p in problems)


def test_a_first_action_needs_a_condition(small_kb):
    item = RING_FIRST.format(levels="[emergency]", replaces="heat")
    item = item.replace("    applies_when: chest_pain\n", "")
    problems = broken(small_kb, "care.yaml", FIRST, item + FIRST)
    assert any("ring_first" in p and "applies_when" in p for p in problems)


def test_a_first_action_replaces_only_known_items_at_its_levels(small_kb):
    unknown = RING_FIRST.format(levels="[self_care]", replaces="go_to_hospital")
    problems = broken(small_kb, "care.yaml", FIRST, unknown + FIRST)
    assert any("replaces unknown care item 'go_to_hospital'" in p for p in problems)


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        ("[]", "a first action names the rules it is for (first_action_for)"),
        ("[no_such_rule]", "first_action_for names unknown rule 'no_such_rule'"),
        ("[stroke_signs]", "first_action_for rule 'stroke_signs' sets another level"),
    ],
)
def test_a_first_action_names_the_rules_it_leads_for(small_kb, rules, problem):
    item = RING_FIRST.format(levels="[consultation]", replaces="heat")
    problems = broken(small_kb, "care.yaml", FIRST, item.replace("[getting_worse]", rules) + FIRST)
    assert any("ring_first" in p and problem in p for p in problems), problems


def test_a_citation_for_some_people_names_a_known_finding(small_kb):
    old = '    sources: [{source: back_guideline, locator: "heat"}]'
    new = (
        '    sources: [{source: back_guideline, locator: "heat"},'
        " {source: back_guideline, when: {over_ninety: true}}]"
    )
    problems = broken(small_kb, "care.yaml", old, new)
    assert any("heat (back_guideline)" in p and "over_ninety" in p for p in problems)


def test_advice_needs_a_source_that_concerns_everyone(small_kb):
    old = '    sources: [{source: back_guideline, locator: "heat"}]'
    new = '    sources: [{source: back_guideline, locator: "heat", when: chest_pain}]'
    problems = broken(small_kb, "care.yaml", old, new)
    assert any("heat: needs a source that concerns everyone" in p for p in problems)


def test_only_advice_citations_take_a_condition(small_kb):
    old = "sources: [{source: back_guideline}]\n\nreviews:"
    new = "sources: [{source: back_guideline, when: chest_pain}]\n\nreviews:"
    problems = broken(small_kb, "care.yaml", old, new)
    assert any("safety_net" in p and "when" in p for p in problems)


def test_a_follow_up_measure_says_its_value_in_words(small_kb):
    problems = broken(small_kb, "followup.yaml", '    says: "latest pain {n}/10"\n', "")
    assert any("measures.pain_now: needs says" in p for p in problems)
    problems = broken(small_kb, "followup.yaml", "latest pain {n}/10", "latest pain {value}/10")
    assert any("unknown placeholder {value}" in p for p in problems)


HEAT_CONTRA = (
    "      - {when: reduced_skin_feeling, because: you may not feel a burn where your skin"
    " feeling is reduced"
)


def test_withholding_on_not_sure_needs_its_own_words(small_kb):
    new = HEAT_CONTRA + ", if_unsure: withhold"
    problems = broken(small_kb, "care.yaml", HEAT_CONTRA, new)
    assert any("because_unsure" in p for p in problems)


def test_withholding_on_not_sure_needs_a_question_that_offers_it(small_kb):
    new = HEAT_CONTRA + ", if_unsure: withhold, because_unsure: you are not sure"
    problems = broken(small_kb, "care.yaml", HEAT_CONTRA, new)
    assert any("heat: if_unsure: withhold, but no finding" in p for p in problems)


def test_a_warning_signs_fallback_action_comes_last(small_kb):
    old = "    action: emergency\n    sources: [{source: back_guideline}]"
    new = (
        "    action: emergency\n    first_action:\n      - text: Ring them.\n"
        "      - {when: chest_pain, text: Ring us.}\n    sources: [{source: back_guideline}]"
    )
    problems = broken(small_kb, "care.yaml", old, new)
    assert any("only the last first_action may leave out when" in p for p in problems)
