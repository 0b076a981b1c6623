"""The README tells the truth: its opening commands, its command list and its eval table."""

from __future__ import annotations

import re

from backspasm.evaluation import evaluate, load_cases
from backspasm.knowledge_base import load_knowledge
from backspasm.render_text import eval_markdown

from .conftest import CASES, ROOT

README = (ROOT / "README.md").read_text()


def test_readme_opens_with_exactly_the_two_commands():
    first_block = re.search(r"```\n(.*?)```", README, re.S)
    assert first_block is not None
    assert README.index("```") < README.index("\n## ")
    assert first_block.group(1).split() == ["make", "run", "make", "test"]


def test_readme_eval_table_is_current():
    kb = load_knowledge()
    report, _ = evaluate(kb, load_cases(kb, [CASES]))
    block = re.search(r"<!-- eval:start -->\n(.*?)\n<!-- eval:end -->", README, re.S)
    assert block is not None, "README needs the eval table between eval markers"
    assert block.group(1).strip() == eval_markdown(report).strip(), (
        "README eval table is stale: run `backspasm eval cases --markdown` and paste it in"
    )


def test_readme_narrative_eval_table_is_current():
    from backspasm.cli_text import narrative_intake

    kb = load_knowledge()
    report, _ = evaluate(kb, load_cases(kb, [CASES]), narrative_intake(kb))
    block = re.search(r"<!-- eval-narrative:start -->\n(.*?)\n<!-- eval-narrative:end -->",
                      README, re.S)
    assert block is not None, "README needs the narrative eval table between its markers"
    assert block.group(1).strip() == eval_markdown(report).strip(), (
        "README narrative table is stale: run `backspasm eval cases --markdown --from-narrative`"
    )


def test_every_cli_command_is_documented():
    from typer.main import get_command

    from backspasm.cli import app

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
    from backspasm.knowledge_base import ALSO_HASHED, FILES, default_directory

    guide = (default_directory() / "README.md").read_text()
    for name in [*FILES, *ALSO_HASHED]:
        assert f"| `{name}` |" in guide, f"knowledge/README.md does not describe {name}"
