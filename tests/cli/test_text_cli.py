"""The text commands as a person runs them, and what importing the CLI pulls in."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backspasm.engine.knowledge_base import default_directory, read_knowledge
from tests.support.knowledge import knowledge

PROGRAM = shutil.which("backspasm") or str(Path(sys.executable).with_name("backspasm"))
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PROGRAM, *args], capture_output=True, text=True, timeout=120, cwd=ROOT, check=False
    )


def imported_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(out.stdout.split())


def test_parse_json_prints_findings_evidence_and_uncertain() -> None:
    result = run(
        "parse",
        "--json",
        "--today",
        "2026-11-21",
        "38M, lifted a box on Tuesday, no fever, not sure about numbness",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"findings", "evidence", "uncertain", "subject"}
    assert data["findings"] == {
        "age": 38,
        "sex": "male",
        "pain_duration_days": 4,
        "trigger_lifting": True,
        "fever": False,
    }
    assert data["evidence"]["pain_duration_days"] == "on Tuesday"
    assert sorted(data["uncertain"]) == ["leg_numbness_tingling", "saddle_numbness"]


def test_parse_rejects_a_bad_date() -> None:
    result = run("parse", "--today", "21/11/2026", "since Monday")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr


def test_parse_offers_no_options_it_would_ignore() -> None:
    """--full and --save belong to the assessment; parse only reads the text."""
    result = run("parse", "--save", "x.json", "my back hurts")
    assert result.returncode != 0
    assert "--save" in result.stderr


def test_eval_text_json_reports_four_sets_with_groups_and_red_flag_recall() -> None:
    result = run("eval-text", "--json")
    assert result.returncode == 0, result.stderr
    sets = {s["name"]: s for s in json.loads(result.stdout)["sets"]}
    assert set(sets) == {"tuning", "heldout", "blind", "narratives"}
    assert sets["blind"]["misses"] == []  # held out: figures only, never its misses
    assert sets["blind"]["closed_by_general_negation"] == 0
    assert sets["blind"]["carer"]["cases"] > 0
    groups = {finding.group for finding in knowledge().findings.values()}
    assert set(sets["tuning"]["groups"]) <= groups
    for report in sets.values():
        assert {"precision", "recall", "f1"} <= set(report["overall"])
        assert 0.0 <= report["red_flag_recall"] <= 1.0


def test_the_blind_set_named_by_path_is_still_figures_only() -> None:
    result = run("eval-text", "--json", "cases/text/blind/blind.yaml")
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)["sets"]
    assert report["cases"] > 0 and report["misses"] == []


def test_kb_lint_checks_the_lexicon_too() -> None:
    result = run("kb", "lint")
    assert result.returncode == 0, result.stderr
    assert "lexicon for" in result.stdout


@pytest.mark.parametrize("module", ["backspasm.cli.main", "backspasm.text.reading"])
def test_importing_loads_no_nlp_web_or_database_library(module: str) -> None:
    loaded = imported_after(f"import {module}")
    assert module in loaded
    assert not {"spacy", "negspacy", "fastapi", "sqlalchemy"} & loaded


def test_the_nlp_pipeline_loads_on_the_first_parse() -> None:
    made = (
        "import datetime; from backspasm.engine.knowledge_base import load_knowledge; "
        "from backspasm.text.reading import Reader, parse_text; reader = Reader(load_knowledge())"
    )
    assert not {"spacy", "negspacy"} & imported_after(made)  # a reader alone loads no NLP
    parsed = made + "; parse_text('no fever', datetime.date(2026, 11, 21), reader)"
    assert {"spacy", "negspacy"} <= imported_after(parsed)


def test_the_lexicon_is_part_of_the_knowledge_hash(tmp_path: Path) -> None:
    same, changed = tmp_path / "same", tmp_path / "changed"
    shutil.copytree(default_directory(), same)
    shutil.copytree(default_directory(), changed)
    lexicon = changed / "lexicon.yaml"
    lexicon.write_text(lexicon.read_text() + "\n# reviewed\n")
    assert read_knowledge(same).content_hash == knowledge().content_hash
    assert read_knowledge(changed).content_hash != read_knowledge(same).content_hash
