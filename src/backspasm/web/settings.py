"""Deployment settings: ONE pydantic model, the only reader of BACKSPASM_* environment variables.

A clinic embeds backspasm by changing these values, never the code. `Settings` is the single
source: each field's default, description and allowed shape live on the field;
`backspasm serve --help-settings` prints them and a test checks the README documents them.
Every value is checked at start-up, because most of them end up in a URL, CSS or a tel: link.
No other module reads os.environ for a BACKSPASM_* name (a test greps for it): the web app,
the diary's database and the CDS Hooks allowlist all take their values from a `Settings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backspasm.engine.numbers import Numbers
from backspasm.messages import message

ENV_PREFIX = "BACKSPASM_"


@dataclass(frozen=True)
class Shape:
    """What a setting's value may look like: a pattern, and the same in words for the error a
    person reads at start-up."""

    pattern: str
    expected: str


TEXT = Shape(r"^[^<>\x00-\x1f]{0,200}$", "plain text up to 200 characters, no < or >")
PHONE = Shape(r"^(\+?[0-9][0-9 ]{1,19})?$", "digits and spaces, optionally a leading +")
URL = Shape(
    r"^(https?://[^\s\"'<>()]+|/[^\s\"'<>()]*)?$", "an http(s) URL or a path starting with /"
)
COLOUR = Shape(r"^#[0-9a-fA-F]{6}$", "a colour like #1d4f91")
ORIGINS = Shape(
    r"^(\*|(https?://[a-zA-Z0-9.:-]+)( https?://[a-zA-Z0-9.:-]+)*)$",
    "'*' or origins like https://clinic.example separated by spaces",
)
LANGUAGE = Shape(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$", "a language tag like en-GB")
DATABASE = Shape(
    r"^((sqlite|postgresql)(\+[a-z0-9]+)?://\S*)?$", "empty, or a sqlite:// or postgresql:// URL"
)
SERVERS = Shape(
    r"^(https?://[^\s,\"'<>()]+([ ,]+https?://[^\s,\"'<>()]+)*)?$",
    "empty, or http(s) base URLs separated by spaces or commas",
)
BASE_URL = Shape(
    r"^(https?://[a-zA-Z0-9.:\[\]-]+(/[a-zA-Z0-9._~/-]*)?)?$",
    "empty or an http(s) address like https://back.clinic.example",
)
COUNT = Shape(r"^[1-9][0-9]{0,9}$", "a whole number above 0")
RATE = Shape(
    r"^[1-9][0-9]{0,6}/(second|minute|hour|day)$",
    "a number per second, minute, hour or day, like 30/minute",
)
ADDRESSES = Shape(r"^([0-9a-fA-F.:/]+( [0-9a-fA-F.:/]+)*)?$", "IP addresses separated by spaces")
ISSUERS = Shape(
    r"^(\S+=https?://\S+( \S+=https?://\S+)*)?$",
    "ISSUER=https://.../jwks.json pairs separated by spaces",
)
YES_NO = Shape(r"^(yes|no)$", "yes or no")


def setting(default: str, shape: Shape, description: str) -> Any:
    """A field of `Settings`: its default, the shape its value must have, and what it does."""
    return Field(
        default,
        pattern=shape.pattern,
        description=description,
        json_schema_extra={"expected": shape.expected},
    )


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names it and what it expects."""


class Settings(BaseModel):
    """The values in force. Add a setting here and nowhere else."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    clinic_name: str = setting(
        "", TEXT, "Name shown in the page header and titles; empty shows 'backspasm'."
    )
    emergency_number: str = setting(
        "999",
        PHONE,
        "Number for emergencies, used in the emergency panel, its tel: link and "
        "every knowledge text that names it ({emergency_number}).",
    )
    urgent_number: str = setting(
        "111",
        PHONE,
        "Urgent advice line for same-day care (111 in the UK); shown as a call link "
        "with the warning signs and results that need a doctor within 24 hours, and named in "
        "knowledge texts ({urgent_number}); empty hides the link and names an urgent care service.",
    )
    contact_url: str = setting(
        "",
        URL,
        "Where to book or contact the clinic; shown with the care levels that need an appointment.",
    )
    contact_label: str = setting("Contact the clinic", TEXT, "Text of the contact link.")
    logo_url: str = setting("", URL, "Logo image shown in the header; a path or an https URL.")
    accent_colour: str = setting(
        "#1d4f91", COLOUR, "Colour of buttons and links; needs 4.5:1 contrast with white."
    )
    emergency_colour: str = setting(
        "#a4161a", COLOUR, "Background of the emergency panel; needs 4.5:1 contrast with white."
    )
    language: str = setting(
        "en-GB", LANGUAGE, "Language tag of the pages (the html lang attribute)."
    )
    embed_origins: str = setting(
        "*",
        ORIGINS,
        "Sites allowed to show the /embed pages in an iframe: '*' or space-separated "
        "origins. Other pages cannot be framed.",
    )
    database_url: str = setting(
        "",
        DATABASE,
        "Where diaries are kept: a SQLAlchemy URL such as "
        "postgresql://user@host/db; empty keeps them in backspasm.db (SQLite) in the working "
        "folder.",
    )
    cds_fhir_servers: str = setting(
        "",
        SERVERS,
        "FHIR servers the CDS Hooks service may read missing prefetch from: base "
        "URLs separated by spaces or commas; empty reads from none (the service then answers "
        "412 when prefetch is missing).",
    )
    # Links and limits (docs/security.md says why each exists).
    public_url: str = setting(
        "",
        BASE_URL,
        "The address people reach this service at, e.g. https://back.clinic.example; "
        "every absolute link (diary links, CDS Hooks cards) is built from it, never from the "
        "request's Host header. Empty: links are paths on the same site.",
    )
    max_body_bytes: str = setting(
        "1000000",
        COUNT,
        "Largest request body accepted, in bytes; a longer one is refused while it is read.",
    )
    rate_limit: str = setting(
        "30/minute",
        RATE,
        "How many episodes and diary entries one client may create, e.g. 30/minute "
        "or 200/hour (each kind counted apart).",
    )
    trusted_proxies: str = setting(
        "127.0.0.1",
        ADDRESSES,
        "Addresses of reverse proxies whose X-Forwarded-For names the client (for "
        "rate limits), space-separated; empty trusts none.",
    )
    header_timeout: str = setting(
        "10",
        COUNT,
        "Seconds a client has to send a request's headers and body before it is dropped.",
    )
    cds_issuers: str = setting(
        "",
        ISSUERS,
        "EHRs allowed to call the CDS Hooks service: space-separated ISSUER=JWKS_URL "
        "pairs; each call's signed JWT is checked against its issuer's keys.",
    )
    cds_allow_unsigned: str = setting(
        "no", YES_NO, "yes accepts CDS Hooks calls without a signed JWT; for development only."
    )

    @property
    def site_name(self) -> str:
        return self.clinic_name or "backspasm"

    @property
    def allowed_fhir_servers(self) -> tuple[str, ...]:
        """`cds_fhir_servers` as a list of base URLs without a trailing slash."""
        raw = self.cds_fhir_servers.replace(",", " ").split()
        return tuple(url.rstrip("/") for url in raw)

    @property
    def body_limit(self) -> int:
        return int(self.max_body_bytes)

    @property
    def issuer_keys(self) -> dict[str, str]:
        """Trusted CDS Hooks issuers and the URL of each one's JWKS."""
        pairs = (entry.partition("=") for entry in self.cds_issuers.split())
        return {issuer: jwks for issuer, _, jwks in pairs}

    def numbers(self) -> Numbers:
        """What the knowledge's {emergency_number} and {urgent_number} become: these numbers,
        or words where one is not set."""
        return Numbers(
            emergency=self.emergency_number or message("result", "no_emergency_number"),
            urgent=self.urgent_number or message("result", "no_urgent_number"),
        )

    def link(self, path: str) -> str:
        """An absolute link when `public_url` is set, else the path alone."""
        return self.public_url.rstrip("/") + path


@dataclass(frozen=True)
class Setting:
    """One row of the settings table, read off a field of `Settings`."""

    name: str
    default: str
    help: str

    @property
    def variable(self) -> str:
        return ENV_PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(name, str(field.default), field.description or "")
    for name, field in Settings.model_fields.items()
)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: str) -> Settings:
    """Defaults, then BACKSPASM_<NAME> environment variables, then keyword overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, str] = {}
    known = Settings.model_fields
    problems = [f"{name}: is not a setting" for name in overrides if name not in known]
    for setting in SETTINGS:
        value = env.get(setting.variable, setting.default)
        values[setting.name] = overrides.get(setting.name, value).strip()
    if not problems:
        try:
            return Settings(**values)
        except ValidationError as error:
            for problem in error.errors():
                name = str(problem["loc"][0])
                extra = Settings.model_fields[name].json_schema_extra
                expected = (
                    extra.get("expected", problem["msg"])
                    if isinstance(extra, dict)
                    else problem["msg"]
                )
                problems.append(
                    f"{name} ({ENV_PREFIX}{name.upper()}): "
                    f"expected {expected}, got {values[name]!r}"
                )
    raise SettingsError("; ".join(problems))


def settings_table() -> str:
    """The table `backspasm serve --help-settings` prints: every field of `Settings`."""
    width = max(len(s.variable) for s in SETTINGS)
    lines = []
    for setting in SETTINGS:
        variable = setting.variable.ljust(width)
        lines.append(f"{variable}  default {setting.default!r}\n{'':{width}}  {setting.help}")
    return "\n".join(lines)
