"""The hazard log (issue 11): strict, complete over the red-flag rules and gates, verified by cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from backspasm.engine.hazards import load_hazards, red_flag_rules, render_html, render_markdown
from backspasm.engine.knowledge_base import (
    KnowledgeBase,
    KnowledgeError,
    default_directory,
    read_knowledge,
)
from backspasm.evaluation import load_cases
from tests.cli.test_cli import backspasm
from tests.support.knowledge import broken
from tests.support.paths import CASES


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    """A private copy of the production knowledge: the hazard log is checked against the real
    rules and gates, which the small fixture knowledge base does not have."""
    target = tmp_path / "knowledge"
    shutil.copytree(default_directory(), target)
    return target


def test_every_red_flag_rule_and_gate_is_in_the_log(kb: KnowledgeBase) -> None:
    log = load_hazards(default_directory(), kb)
    controlled = {rule for hazard in log.hazards for rule in hazard.controls.rules}
    assert set(red_flag_rules(kb)) <= controlled
    gates = {name for hazard in log.hazards for name in hazard.controls.gates}
    gated_flags = {n for n, f in kb.findings.items() if f.red_flag and f.ask_when is not None}
    assert gated_flags <= gates


def test_every_verifying_case_exists(kb: KnowledgeBase) -> None:
    ids = {case.id for case in load_cases(kb, [CASES])}
    log = load_hazards(default_directory(), kb)
    for hazard in log.hazards:
        missing = set(hazard.verified_by) - ids
        assert not missing, f"{hazard.id} names cases that do not exist: {sorted(missing)}"


def test_a_red_flag_rule_no_hazard_lists_is_refused(kb_copy: Path) -> None:
    problems = broken(kb_copy, "hazards.yaml", "rules: [stroke_signs]", "rules: []")
    assert any("stroke_signs" in p and "not a control" in p for p in problems)


def test_a_dangling_control_is_refused(kb_copy: Path) -> None:
    problems = broken(
        kb_copy, "hazards.yaml", "rules: [stroke_signs]", "rules: [stroke_signs, stroke_sign]"
    )
    assert any("unknown rule 'stroke_sign'" in p for p in problems)
    problems = broken(
        kb_copy, "hazards.yaml", "care: [call_ambulance]", "care: [call_an_ambulance]"
    )
    assert any("unknown care item 'call_an_ambulance'" in p for p in problems)


def test_a_red_flag_gate_without_a_hazard_is_refused(kb_copy: Path) -> None:
    problems = broken(
        kb_copy,
        "findings.yaml",
        "    question: Have you newly lost control of your bowels?\n",
        "    question: Have you newly lost control of your bowels?\n"
        "    ask_when: {age: {gte: 18}}\n",
    )
    assert any("bowel_incontinence" in p and "no hazard accepts" in p for p in problems)


def test_an_unknown_key_or_bad_score_is_refused(kb_copy: Path) -> None:
    path = kb_copy / "hazards.yaml"
    data = yaml.safe_load(path.read_text())
    data["hazards"][0]["severity"] = 6
    data["hazards"][0]["owner"] = "nobody"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeError) as caught:
        read_knowledge(kb_copy)
    assert any("severity" in p for p in caught.value.problems)
    assert any("owner" in p for p in caught.value.problems)


def test_an_unacceptable_residual_risk_is_refused(kb_copy: Path) -> None:
    path = kb_copy / "hazards.yaml"
    data = yaml.safe_load(path.read_text())
    data["hazards"][0]["residual"] = {"severity": 5, "likelihood": 3}
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeError) as caught:
        read_knowledge(kb_copy)
    assert any("unacceptable" in p for p in caught.value.problems)


def test_the_safety_case_renders_every_hazard(kb: KnowledgeBase) -> None:
    log = load_hazards(default_directory(), kb)
    markdown = render_markdown(kb, log)
    page = render_html(kb, log)
    for hazard in log.hazards:
        assert f"## {hazard.id}: " in markdown
        assert f'<section id="{hazard.id}">' in page
    assert page.startswith("<!doctype html>")


def test_kb_hazards_command_prints_markdown_and_html() -> None:
    markdown = backspasm("kb", "hazards").stdout
    assert markdown.startswith("# Clinical safety case")
    assert "HAZ-01" in markdown and "Verified by cases" in markdown
    page = backspasm("kb", "hazards", "--html").stdout
    assert page.startswith("<!doctype html>") and "HAZ-01" in page
