"""The diary, export, delete and staff commands, end to end on both backends."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from backspasm.cli.main import app
from backspasm.engine.knowledge_base import KnowledgeBase
from tests.support.people import LIFTED_BOXES, interviewed

runner = CliRunner()


def cli(db_url: str, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--database", db_url])
    assert result.exit_code == code, result.output
    return result.output


def started(db_url: str, kb: KnowledgeBase, tmp_path: Path) -> str:
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(interviewed(kb, LIFTED_BOXES)))
    output = cli(db_url, "diary", "start", "--answers", str(answers))
    lines = output.splitlines()
    token = lines[lines.index("Your diary token (keep it private; it is shown only now):") + 1]
    assert len(token) == 52 and token.isalnum()
    return token


def test_diary_round_trip(db_url: str, kb: KnowledgeBase, tmp_path: Path) -> None:
    token = started(db_url, kb, tmp_path)
    today = datetime.now(UTC).date()
    out = cli(
        db_url,
        "diary",
        "add",
        token,
        "--pain",
        "5",
        "--function",
        "6",
        "--spasms",
        "some",
        "--tried",
        "heat=yes",
        "--tried",
        "ice=no",
    )
    assert "Your pain has fallen by 2 points or more" in " ".join(out.split())
    shown = json.loads(cli(db_url, "diary", "show", token, "--json"))
    assert shown["stage"]["id"] == "mobility" and shown["measures"]["pain_now"] == 5
    exported = json.loads(cli(db_url, "export", token))
    assert [e["tried"] for e in exported["diary"]] == [
        [{"item": "heat", "helped": "yes"}, {"item": "ice", "helped": "no"}]
    ]
    assert exported["diary"][0]["day"] == today.isoformat()
    assert [a["reason"] for a in exported["assessments"]] == ["first", "diary"]
    assert token not in json.dumps(exported)
    cli(db_url, "delete", token, "--yes")
    assert "no episode with that token" in cli(db_url, "export", token, code=2)


def test_diary_refuses_bad_entries(db_url: str, kb: KnowledgeBase, tmp_path: Path) -> None:
    token = started(db_url, kb, tmp_path)
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    for extra in (
        ["--pain", "11"],
        ["--pain", "3", "--symptom", "headache"],
        ["--pain", "3", "--day", tomorrow],
    ):
        out = cli(db_url, "diary", "add", token, "--function", "5", *extra, code=2)
        assert "invalid entry" in out
    assert "no episode with that token" in cli(db_url, "diary", "show", "nope", code=2)


def test_calendar_and_summary_files(db_url: str, kb: KnowledgeBase, tmp_path: Path) -> None:
    token = started(db_url, kb, tmp_path)
    ics = tmp_path / "checkins.ics"
    assert "5 reminder(s)" in cli(db_url, "diary", "calendar", token, "-o", str(ics))
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    html = tmp_path / "summary.html"
    cli(db_url, "diary", "summary", token, "-o", str(html))
    assert "Back pain summary for a clinician" in html.read_text()


def test_staff_tokens(db_url: str) -> None:
    token = cli(db_url, "staff", "add-token", "clinic-a").strip()
    assert len(token) == 52
    assert "1 token(s) revoked" in cli(db_url, "staff", "revoke", "clinic-a")


def test_cli_import_stays_light() -> None:
    code = (
        "import sys, backspasm.cli.main; heavy = {'sqlalchemy', 'fastapi', 'weasyprint', "
        "'jinja2', 'alembic', 'psycopg'} & set(sys.modules); print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_diary_in_the_terminal_names_the_configured_numbers(
    db_url: str, kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSPASM_URGENT_NUMBER", "116117")
    token = started(db_url, kb, tmp_path)
    out = " ".join(
        cli(
            db_url,
            "diary",
            "add",
            token,
            "--pain",
            "7",
            "--function",
            "4",
            "--symptom",
            "pain_at_rest_and_night",
        ).split()
    )
    assert "116117" in out  # a re-assessment's reason, with the number it names
    assert "_number}" not in out and not re.search(r"\b111\b", out)


def test_a_diary_started_in_possible_labour_says_ring_the_maternity_unit(
    db_url: str, kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSPASM_EMERGENCY_NUMBER", "112")
    labour = {"age": 30, "sex": "female", "pain_duration_days": 0.1, "pain_severity": 6}
    labour |= {"pregnant": True, "onset_sudden": True, "pregnancy_pain_waves": True}
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(interviewed(kb, labour)))
    first = cli(db_url, "diary", "start", "--answers", str(answers)).splitlines()[0]
    assert first.startswith("Ring your maternity unit now. Ring your maternity unit or midwife")
    assert "Call 112 instead" in first
