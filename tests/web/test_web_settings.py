"""Deployment settings: defaults, environment overrides, refusals, and their documentation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from backspasm.web.settings import ENV_PREFIX, SETTINGS, Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
DOCS_WEB = ROOT / "docs" / "web.md"


def test_defaults_apply_without_environment() -> None:
    settings = load_settings({})
    for setting in SETTINGS:
        assert getattr(settings, setting.name) == setting.default
    assert settings.site_name == "backspasm"


def test_environment_overrides_each_setting() -> None:
    settings = load_settings(
        {
            "BACKSPASM_EMERGENCY_NUMBER": "911",
            "BACKSPASM_CLINIC_NAME": "Spine Care",
            "BACKSPASM_ACCENT_COLOUR": "#004400",
        }
    )
    assert settings.emergency_number == "911"
    assert settings.site_name == "Spine Care"
    assert settings.accent_colour == "#004400"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BACKSPASM_ACCENT_COLOUR", "red; background: url(x)"),
        ("BACKSPASM_EMERGENCY_NUMBER", "call-me"),
        ("BACKSPASM_CONTACT_URL", "javascript:alert(1)"),
        ("BACKSPASM_CLINIC_NAME", "<script>"),
        ("BACKSPASM_EMBED_ORIGINS", "evil.example"),
        ("BACKSPASM_LANGUAGE", "en GB"),
    ],
)
def test_unusable_values_are_refused_by_name(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_settings({variable: value})


def test_unknown_override_is_refused() -> None:
    with pytest.raises(SettingsError, match="colour_scheme: is not a setting"):
        load_settings({}, colour_scheme="dark")


def test_every_setting_is_documented() -> None:
    """docs/web.md's settings table names every variable with its default."""
    text = DOCS_WEB.read_text()
    for setting in SETTINGS:
        variable = ENV_PREFIX + setting.name.upper()
        row = re.search(rf"^\| `{variable}` \| (`[^`]*`|\(empty\)) \|", text, re.MULTILINE)
        assert row, f"{variable} is not in the docs/web.md settings table"
        shown = row.group(1).strip("`") if row.group(1) != "(empty)" else ""
        assert shown == setting.default, f"{variable}: docs/web.md default differs"


def test_serve_help_settings_prints_the_table() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "backspasm", "serve", "--help-settings"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name, field in Settings.model_fields.items():  # every field of the one model
        assert ENV_PREFIX + name.upper() in out
        assert (field.description or "").split(";")[0][:40] in out.replace("\n", " ")


def test_only_the_settings_module_reads_backspasm_variables() -> None:
    """Every BACKSPASM_* value goes through `Settings`: no other module of the package reads
    the environment for one (os.environ / os.getenv next to a BACKSPASM_ name)."""
    package = ROOT / "src" / "backspasm"
    reads = re.compile(r"(os\.environ|os\.getenv|environ\.get|getenv)\b")
    offenders = []
    for path in package.rglob("*.py"):
        if path == package / "web" / "settings.py":
            continue
        text = path.read_text()
        if reads.search(text) and "BACKSPASM_" in text:
            offenders.append(str(path.relative_to(ROOT)))
        elif reads.search(text):
            offenders.append(f"{path.relative_to(ROOT)} (reads the environment)")
    assert offenders == []


def test_settings_reach_the_database_and_the_cds_allowlist() -> None:
    settings = load_settings(
        {
            "BACKSPASM_DATABASE_URL": "sqlite:///diaries.db",
            "BACKSPASM_CDS_FHIR_SERVERS": "https://ehr.example/fhir/, https://b.example/r4",
        }
    )
    assert settings.database_url == "sqlite:///diaries.db"
    assert settings.allowed_fhir_servers == ("https://ehr.example/fhir", "https://b.example/r4")
    with pytest.raises(SettingsError, match="BACKSPASM_CDS_FHIR_SERVERS"):
        load_settings({"BACKSPASM_CDS_FHIR_SERVERS": "ftp://ehr.example"})


def test_serve_refuses_bad_settings_before_starting() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backspasm", "serve"],
        capture_output=True,
        text=True,
        env={"BACKSPASM_ACCENT_COLOUR": "blue", "PATH": ""},
    )
    assert result.returncode == 2
    assert "BACKSPASM_ACCENT_COLOUR" in result.stderr
