"""Deployment settings as data: one table, overridable by BACKSPASM_* environment variables.

A clinic embeds backspasm by changing these values, never the code. The table is the single
source: `backspasm serve --help-settings` prints it and a test checks the README documents it.
Every value is checked at start-up, because most of them end up in a URL, CSS or a tel: link.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

ENV_PREFIX = "BACKSPASM_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    kind: str = "text"  # text | phone | url | colour | origins | language


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "clinic_name", "", "Name shown in the page header and titles; empty shows 'backspasm'."
    ),
    Setting(
        "emergency_number",
        "999",
        "Number for emergencies, used in the emergency panel and its tel: link.",
        "phone",
    ),
    Setting(
        "urgent_number",
        "111",
        "Urgent advice line for same-day care (111 in the UK); shown as a call link with the "
        "warning signs and results that need a doctor within 24 hours; empty hides it.",
        "phone",
    ),
    Setting(
        "contact_url",
        "",
        "Where to book or contact the clinic; shown with the care levels that need an appointment.",
        "url",
    ),
    Setting("contact_label", "Contact the clinic", "Text of the contact link."),
    Setting("logo_url", "", "Logo image shown in the header; a path or an https URL.", "url"),
    Setting(
        "accent_colour",
        "#1d4f91",
        "Colour of buttons and links; needs 4.5:1 contrast with white.",
        "colour",
    ),
    Setting(
        "emergency_colour",
        "#a4161a",
        "Background of the emergency panel; needs 4.5:1 contrast with white.",
        "colour",
    ),
    Setting(
        "language", "en-GB", "Language tag of the pages (the html lang attribute).", "language"
    ),
    Setting(
        "embed_origins",
        "*",
        "Sites allowed to show the /embed pages in an iframe: '*' or space-separated "
        "origins. Other pages cannot be framed.",
        "origins",
    ),
    Setting(
        "database_url",
        "",
        "Where diaries are kept: a SQLAlchemy URL such as postgresql://user@host/db; "
        "empty keeps them in backspasm.db (SQLite) in the working folder.",
        "database",
    ),
)

_CHECKS: dict[str, tuple[re.Pattern[str], str]] = {
    "text": (re.compile(r"[^<>\x00-\x1f]{0,200}"), "plain text up to 200 characters, no < or >"),
    "phone": (re.compile(r"(\+?[0-9][0-9 ]{1,19})?"), "digits and spaces, optionally a leading +"),
    "url": (
        re.compile(r"(https?://[^\s\"'<>()]+|/[^\s\"'<>()]*)?"),
        "an http(s) URL or a path starting with /",
    ),
    "colour": (re.compile(r"#[0-9a-fA-F]{6}"), "a colour like #1d4f91"),
    "origins": (
        re.compile(r"\*|(https?://[a-zA-Z0-9.:-]+)( https?://[a-zA-Z0-9.:-]+)*"),
        "'*' or origins like https://clinic.example separated by spaces",
    ),
    "language": (re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*"), "a language tag like en-GB"),
    "database": (
        re.compile(r"((sqlite|postgresql)(\+[a-z0-9]+)?://\S*)?"),
        "empty, or a sqlite:// or postgresql:// URL",
    ),
}


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names it and what it expects."""


@dataclass(frozen=True)
class Settings:
    """The values in force. Field names match SETTINGS (checked below)."""

    clinic_name: str
    emergency_number: str
    urgent_number: str
    contact_url: str
    contact_label: str
    logo_url: str
    accent_colour: str
    emergency_colour: str
    language: str
    embed_origins: str
    database_url: str

    @property
    def site_name(self) -> str:
        return self.clinic_name or "backspasm"


def load_settings(environ: Mapping[str, str] | None = None, **overrides: str) -> Settings:
    """Defaults, then BACKSPASM_<NAME> environment variables, then keyword overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, str] = {}
    problems: list[str] = []
    known = {setting.name for setting in SETTINGS}
    for name in overrides:
        if name not in known:
            problems.append(f"{name}: is not a setting")
    for setting in SETTINGS:
        value = env.get(ENV_PREFIX + setting.name.upper(), setting.default)
        value = overrides.get(setting.name, value).strip()
        pattern, expected = _CHECKS[setting.kind]
        if not pattern.fullmatch(value):
            problems.append(
                f"{setting.name} ({ENV_PREFIX}{setting.name.upper()}): "
                f"expected {expected}, got {value!r}"
            )
        values[setting.name] = value
    if problems:
        raise SettingsError("; ".join(problems))
    return Settings(**values)


def settings_table() -> str:
    """The table `backspasm serve --help-settings` prints."""
    width = max(len(ENV_PREFIX + s.name) for s in SETTINGS)
    lines = []
    for setting in SETTINGS:
        variable = (ENV_PREFIX + setting.name.upper()).ljust(width)
        lines.append(f"{variable}  default {setting.default!r}\n{'':{width}}  {setting.help}")
    return "\n".join(lines)


def _check_fields() -> None:
    names = [field.name for field in fields(Settings)]
    if names != [setting.name for setting in SETTINGS]:
        raise RuntimeError("Settings fields and SETTINGS disagree")


_check_fields()
