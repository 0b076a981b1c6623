"""Finding case files: a `text` folder below the given folder is skipped, one above is not."""

from __future__ import annotations

import shutil
from pathlib import Path

from backspasm.evaluation import load_cases
from tests.support.paths import CASES


def test_a_checkout_inside_a_folder_named_text_finds_its_cases(kb, tmp_path: Path):
    checkout = tmp_path / "text" / "backspasm"
    shutil.copytree(CASES, checkout / "cases")
    found = load_cases(kb, [checkout / "cases"])
    assert {case.id for case in found} == {case.id for case in load_cases(kb, [CASES])}
    assert len(found) >= 80


def test_the_text_folder_below_the_cases_is_skipped(kb, tmp_path: Path):
    cases = tmp_path / "cases"
    shutil.copytree(CASES, cases)
    (cases / "text" / "deeper").mkdir()
    (cases / "text" / "deeper" / "not-a-case.yaml").write_text("- {id: x, text: hello}\n")
    assert len(load_cases(kb, [cases])) == len(load_cases(kb, [CASES]))


def test_a_text_folder_can_be_given_directly(kb, tmp_path: Path):
    """Only a `text` folder below the given path is skipped, so naming one reads it."""
    folder = tmp_path / "text"
    folder.mkdir()
    shutil.copy(CASES / "kidney.yaml", folder / "kidney.yaml")
    assert load_cases(kb, [folder]) == load_cases(kb, [CASES / "kidney.yaml"])
