"""The README tells the truth: its opening commands, its command list and its eval tables."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.support.paths import ROOT

README = (ROOT / "README.md").read_text()


def test_readme_opens_with_exactly_the_two_commands():
    first_block = re.search(r"```\n(.*?)```", README, re.S)
    assert first_block is not None
    assert README.index("```") < README.index("\n## ")
    assert first_block.group(1).split() == ["make", "run", "make", "test"]


def _readme_table(marker: str) -> str:
    block = re.search(rf"<!-- {marker}:start -->\n(.*?)\n<!-- {marker}:end -->", README, re.S)
    assert block is not None, f"README needs a table between the {marker} markers"
    return block.group(1).strip()


def _eval_markdown(*flags: str) -> str:
    """The table as the command the README names prints it, so its default is checked too."""
    result = subprocess.run(
        [sys.executable, "-m", "backspasm", "eval", "cases", "--markdown", *flags],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_readme_eval_table_is_current():
    """The first table is the default run, which opens each case with its narrative."""
    assert _readme_table("eval") == _eval_markdown(), (
        "README eval table is stale: run `backspasm eval cases --markdown` and paste it in"
    )


def test_readme_interview_only_eval_table_is_current():
    assert _readme_table("eval-interview-only") == _eval_markdown("--interview-only"), (
        "README interview-only table is stale: "
        "run `backspasm eval cases --markdown --interview-only` and paste it in"
    )


def test_every_cli_command_is_documented():
    from typer.main import get_command

    from backspasm.cli.main import app

    group = get_command(app)
    names = list(group.commands)  # type: ignore[attr-defined]
    for name in names:
        sub = group.commands[name]  # type: ignore[attr-defined]
        children = getattr(sub, "commands", {})
        for full in [name] + [f"{name} {child}" for child in children]:
            if full == name and children:
                continue
            assert f"backspasm {full}" in README, f"README does not document `backspasm {full}`"


def test_every_knowledge_file_is_in_the_reviewers_guide():
    from backspasm.engine.knowledge_base import ALSO_HASHED, FILES, default_directory

    guide = (default_directory() / "README.md").read_text()
    for name in [*FILES, *ALSO_HASHED]:
        assert f"| `{name}` |" in guide, f"knowledge/README.md does not describe {name}"
