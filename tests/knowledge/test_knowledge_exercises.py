"""The exercise programme and "what happens next" as knowledge: every exercise cited, pictured,
screened and in a stage; the loader refuses what is not."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

from backspasm.engine.knowledge_base import KnowledgeBase, read_knowledge
from tests.support.knowledge import broken

PICTURES = Path(str(files("backspasm.web") / "static" / "exercises"))
SVG = "{http://www.w3.org/2000/svg}"


def test_every_exercise_is_cited_screened_staged_and_pictured(kb: KnowledgeBase) -> None:
    stages = {stage.id for stage in kb.followup.stages}
    assert len(kb.exercises.exercises) >= 16
    for exercise in kb.exercises.exercises:
        assert exercise.sources and exercise.contraindicated_when, exercise.id
        assert set(exercise.stages) <= stages
        svg = ET.parse(PICTURES / f"{exercise.id}.svg").getroot()
        assert svg.get("role") == "img"
        title = svg.find(f"{SVG}title")
        assert title is not None and title.text == exercise.picture.alt
        texts = [t.text for t in svg.iter(f"{SVG}text")]
        assert "Start" in texts and "End" in texts, exercise.id
    assert {p.stem for p in PICTURES.glob("*.svg")} == {e.id for e in kb.exercises.exercises}


def test_every_stage_has_exercises_and_the_required_kinds_are_there(kb: KnowledgeBase) -> None:
    for stage in kb.followup.stages:
        assert any(stage.id in e.stages for e in kb.exercises.exercises), stage.id
    ids = {e.id for e in kb.exercises.exercises}
    for wanted in (
        "pelvic_tilt",
        "knee_rolls",
        "knee_to_chest",
        "cat_camel",
        "bridge",
        "bird_dog",
        "side_plank_knees",
        "side_plank",
        "hip_hinge",
        "lifting_practice",
        "short_walks",
    ):
        assert wanted in ids


def test_the_pain_monitoring_rule_is_stated_and_red_flags_stop_the_programme(
    kb: KnowledgeBase,
) -> None:
    rules = {rule.id: rule for rule in kb.exercises.progression.rules}
    assert rules["stop_on_warning_sign"].move == "stop"
    assert list(rules).index("stop_on_warning_sign") == 0  # nothing can outrank it
    assert rules["worse_next_morning"].move == "step_back"
    assert rules["within_limits"].move == "progress"


def test_next_steps_say_what_is_not_offered_and_manipulation_only_with_exercise(
    kb: KnowledgeBase,
) -> None:
    steps = kb.next_steps
    manual = next(t for t in steps.treatments if t.id == "manual_therapy")
    assert "only together with exercise" in manual.text
    assert {t.id for t in steps.tests} >= {"xray", "mri", "ct", "ultrasound"}
    assert any(t.advice == "do_not_offer" for t in steps.treatments)
    assert not {"emergency", "emergency_ambulance"} & set(steps.levels)


def test_the_fixture_exercises_load(small_kb: Path) -> None:
    kb = read_knowledge(small_kb)
    assert [e.id for e in kb.exercises.exercises] == ["rest_position", "gentle_walk"]


def test_an_exercise_in_an_unknown_stage_is_named(small_kb: Path) -> None:
    problems = broken(small_kb, "exercises.yaml", "stages: [relief]", "stages: [rest]")
    assert "exercises.yaml: rest_position: unknown stage 'rest'" in problems
    assert "exercises.yaml: stage 'relief' has no exercises" in problems


def test_an_exercise_screened_on_an_unknown_finding_is_named(small_kb: Path) -> None:
    problems = broken(small_kb, "exercises.yaml", "{when: chest_pain,", "{when: breathless,")
    assert "exercises.yaml: gentle_walk: unknown finding 'breathless'" in problems


def test_an_exercise_without_a_contraindication_is_refused(small_kb: Path) -> None:
    problems = broken(
        small_kb,
        "exercises.yaml",
        '    contraindicated_when:\n      - {when: chest_pain, because: "placeholder reason"}\n',
        "    contraindicated_when: []\n",
    )
    assert any("[gentle_walk]" in p and "contraindicated_when" in p for p in problems)


def test_an_unknown_source_and_an_uncited_test_are_refused(small_kb: Path) -> None:
    problems = broken(
        small_kb,
        "exercises.yaml",
        "sources: [{source: healthwise_back_spasm}]",
        "sources: [{source: gstt}]",
    )
    assert "exercises.yaml: rest_position: cites unknown source 'gstt'" in problems
    problems = broken(
        small_kb,
        "next_steps.yaml",
        "    not_yet: Placeholder.\n    sources: [{source: back_guideline}]",
        "    not_yet: Placeholder.\n    sources: []",
    )
    assert any("[scan]" in p and "sources" in p for p in problems)


def test_a_progression_rule_over_an_unknown_measure_is_named(small_kb: Path) -> None:
    problems = broken(
        small_kb,
        "exercises.yaml",
        "when: {exercise_pain: {gt: 5}}",
        "when: {session_pain: {gt: 5}}",
    )
    assert "exercises.yaml: too_painful: unknown finding 'session_pain'" in problems


def test_next_steps_need_what_is_not_offered(small_kb: Path) -> None:
    problems = broken(small_kb, "next_steps.yaml", "advice: do_not_offer", "advice: consider")
    assert any("what is not offered" in p for p in problems)
