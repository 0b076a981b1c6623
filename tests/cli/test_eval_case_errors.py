"""`backspasm eval` on a malformed case file: exit 2 and one line naming the file and problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

CES = "{age: 45, sex: male, pain_duration_days: 2, pain_severity: 7, saddle_numbness: true}"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("- id: broken\n  facts: {age: 40\n", "not valid YAML at line"),
        ("just some words\n", "expected a list of cases or one case (a mapping), got text"),
        ("", "got an empty file"),
        ("- 42\n", "expected each case to be a mapping, got a number"),
        (
            f"- id: x\n  facts: {CES}\n  expected: {{disposition: urgent}}\n",
            "x: expected.disposition: Input should be",
        ),
        (
            f"- id: x\n  facts: {CES}\n  expected: {{disposition: emergency}}\n  extra: 1\n",
            "x: extra: Extra inputs are not permitted",
        ),
        (
            "- id: x\n  facts: {age: 40, saddle_numb: true}\n"
            "  expected: {disposition: emergency}\n",
            "x: facts: saddle_numb: is not a finding",
        ),
    ],
)
def test_a_malformed_case_file_is_one_line_naming_it(tmp_path: Path, content: str, problem: str):
    path = tmp_path / "bad-cases.yaml"
    path.write_text(content)
    result = subprocess.run(
        [sys.executable, "-m", "backspasm", "eval", str(path), "--interview-only"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}: ")
    assert problem in lines[0]
    assert "Traceback" not in result.stderr
