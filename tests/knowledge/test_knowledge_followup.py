"""The loader refuses a followup.yaml that is wrong, and names the problem."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from backspasm.engine.knowledge_base import KnowledgeError, default_directory, read_knowledge
from tests.support.knowledge import knowledge


def broken(tmp_path: Path, edit: Callable[[str], str], file: str = "followup.yaml") -> list[str]:
    folder = tmp_path / "knowledge"
    shutil.copytree(default_directory(), folder)
    path = folder / file
    text = path.read_text()
    changed = edit(text)
    assert changed != text, "the edit did not apply"
    path.write_text(changed)
    with pytest.raises(KnowledgeError) as error:
        read_knowledge(folder)
    return error.value.problems


def test_shipped_followup_loads_and_is_part_of_the_hash(tmp_path: Path) -> None:
    kb = knowledge()
    assert [stage.id for stage in kb.followup.stages] == [
        "relief",
        "mobility",
        "strength",
        "return",
    ]
    folder = tmp_path / "knowledge"
    shutil.copytree(default_directory(), folder)
    (folder / "followup.yaml").write_text((folder / "followup.yaml").read_text() + "\n# note\n")
    assert read_knowledge(folder).content_hash != kb.content_hash


def test_unknown_measure_in_a_rule(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda t: t.replace(
            "{pain_rise_3_days: {gte: 2}}\n    action", "{pain_rise_3_dayz: {gte: 2}}\n    action"
        ),
    )
    assert any("worsening_3_days: unknown finding 'pain_rise_3_dayz'" in p for p in problems)


def test_measure_value_out_of_range(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda t: t.replace(
            "enter_when: {pain_now: {lte: 1}}", "enter_when: {pain_now: {lte: 11}}"
        ),
    )
    assert any("return: pain_now lte 11" in p for p in problems)


def test_unknown_symptom_finding(tmp_path: Path) -> None:
    problems = broken(tmp_path, lambda t: t.replace("    fever: Fever", "    fevers: Fever"))
    assert "followup.yaml: diary.symptoms: unknown finding 'fevers'" in problems


def test_symptom_must_be_yes_no(tmp_path: Path) -> None:
    problems = broken(tmp_path, lambda t: t.replace("    fever: Fever", "    age: Age"))
    assert "followup.yaml: diary.symptoms: age is int; a symptom is yes/no" in problems


def test_unknown_care_item_in_a_stage(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda t: t.replace("items: [stretching, graded_exercise]", "items: [stretching, yoga]"),
    )
    assert "followup.yaml: strength: unknown care item 'yoga'" in problems


def test_unknown_source(tmp_path: Path) -> None:
    problems = broken(
        tmp_path, lambda t: t.replace("source: williams_2014,", "source: williams_2041,")
    )
    assert "followup.yaml: return: cites unknown source 'williams_2041'" in problems


def test_source_cited_only_here_must_stay_cited(tmp_path: Path) -> None:
    def drop_childs(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if "childs_2005" not in line)

    problems = broken(tmp_path, drop_childs)
    assert "sources.yaml: childs_2005: not cited by any rule, condition or advice" in problems


def test_rule_needs_a_source(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda t: t.replace(
            '      - {source: childs_2005, locator: "2-point change is clinically meaningful"}\n'
            '      - {source: ostelo_2008, locator: "NRS minimal important change 2 points"}\n',
            "      []\n",
            1,
        ).replace("    sources:\n      []", "    sources: []"),
    )
    assert any("[meaningful_improvement] rules.5.sources" in p for p in problems)


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda t: t.replace("    within_days: 3\n", "    within_days: 3\n    urgent: true\n"),
    )
    assert any("[no_improvement_7_days] rules.3.urgent: Extra inputs" in p for p in problems)


def test_timing_must_be_unambiguous(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda t: t.replace("    due_by_day: 42\n", "    due_by_day: 42\n    within_days: 3\n"),
    )
    assert any("give exactly one of within_days and due_by_day" in p for p in problems)


def test_first_stage_has_no_entry_criteria(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda t: t.replace(
            "    items: [heat, ice,", "    enter_when: {pain_now: {lte: 9}}\n    items: [heat, ice,"
        ),
    )
    assert any("the first stage is where every plan starts" in p for p in problems)


def test_summary_reads_when_then(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda t: t.replace(
            "summary: When pain has risen by 2 points", "summary: If pain has risen by 2 points"
        ),
    )
    assert any("a summary reads 'When ..., then ...'" in p for p in problems)
