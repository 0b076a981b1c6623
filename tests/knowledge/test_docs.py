"""The documentation tells the truth: the README's opening commands and links, every command
documented and every documented command real, and every generated figure current."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support.paths import ROOT

README = (ROOT / "README.md").read_text()
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = ["cli", "web", "integration", "knowledge", "evaluation", "benchmarks"]


def _all_docs() -> dict[str, str]:
    pages = {path.relative_to(ROOT).as_posix(): path.read_text() for path in DOCS}
    for name in ("README.md", "CONTRIBUTING.md", "src/backspasm/knowledge/README.md"):
        pages[name] = (ROOT / name).read_text()
    return pages


def test_readme_opens_with_exactly_the_two_commands():
    first_block = re.search(r"```\n(.*?)```", README, re.S)
    assert first_block is not None
    assert README.index("```") < README.index("\n## ")
    assert first_block.group(1).split() == ["make", "run", "make", "test"]


def test_readme_is_short_and_links_every_docs_page():
    assert len(README.splitlines()) <= 150
    for page in PAGES:
        assert f"](docs/{page}.md)" in README, f"README does not link docs/{page}.md"


def test_every_relative_link_in_the_docs_resolves():
    for name, text in _all_docs().items():
        base = (ROOT / name).parent
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (base / target).exists(), f"{name}: link to {target} leads nowhere"


def _commands() -> list[str]:
    from typer.main import get_command

    from backspasm.cli.main import app

    group = get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        children = list(getattr(command, "commands", {}))
        names += [f"{name} {child}" for child in children] or [name]
    return names


def test_every_cli_command_is_documented():
    cli = (ROOT / "docs" / "cli.md").read_text()
    for full in _commands():
        assert f"backspasm {full}" in cli, f"docs/cli.md does not document `backspasm {full}`"


def test_every_documented_command_exists():
    """A `backspasm WORD` in any page names a real command (or group)."""
    commands = _commands()
    groups = {command.split()[0] for command in commands}
    for name, text in _all_docs().items():
        for code in re.findall(r"`([^`\n]+)`|```\n(.*?)```", text, re.S):
            for line in "\n".join(code).splitlines():
                for match in re.finditer(r"\bbackspasm ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", line):
                    word, sub = match.groups()
                    assert word in groups, f"{name}: `{match.group(0)}` is no command"
                    if word not in commands:  # a group: the next word names its command
                        assert f"{word} {sub}" in commands, f"{name}: `{match.group(0)}`"


def test_every_knowledge_file_is_in_the_reviewers_guide():
    from backspasm.engine.knowledge_base import ALSO_HASHED, FILES, default_directory

    guide = (default_directory() / "README.md").read_text()
    overview = (ROOT / "docs" / "knowledge.md").read_text()
    for name in [*FILES, *ALSO_HASHED]:
        assert f"| `{name}` |" in guide, f"knowledge/README.md does not describe {name}"
        assert f"| `{name}` |" in overview, f"docs/knowledge.md does not describe {name}"


@pytest.mark.slow
def test_generated_figures_are_current():
    """Every cog block in the README and docs/ (eval and eval-text tables, the command and
    settings tables, the knowledge counts) matches what the commands print today."""
    files = ["README.md", *(path.relative_to(ROOT).as_posix() for path in DOCS)]
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "-I", "docs", *files],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, (
        "documentation figures are stale: run `make docs` and review the diff\n"
        + result.stdout
        + result.stderr
    )


@pytest.mark.slow
def test_a_stale_figure_is_caught(tmp_path):
    """The check above can fail: a hand-edited figure in a copy of a page is reported."""
    page = ROOT / "docs" / "web.md"
    copy = tmp_path / "web.md"
    copy.write_text(page.read_text().replace("| `BACKSPASM_", "| `BACKSPASM_X", 1))
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "-I", str(ROOT / "docs"), str(copy)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode != 0
    assert "Check failed" in result.stdout + result.stderr
