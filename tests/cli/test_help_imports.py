"""Asking the command for help loads none of the heavy libraries: spaCy, SQLAlchemy,
fhir.resources and WeasyPrint load only inside the commands that use them, so `--help` stays
quick. (How quick is measured by `bench/startup.py`; tests never time anything.)"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = {
    "spacy",
    "negspacy",
    "sqlalchemy",
    "alembic",
    "fhir",
    "fhirpathpy",
    "jsonschema",
    "weasyprint",
    "fastapi",
    "uvicorn",
}
COMMANDS = [
    [],
    ["check"],
    ["assess"],
    ["eval"],
    ["serve"],
    ["kb"],
    ["db"],
    ["parse"],
    ["eval-text"],
    ["replay"],
    ["export"],
    ["delete"],
    ["diary"],
    ["staff"],
    ["fhir"],
    *(["kb", sub] for sub in ("lint", "explain", "export", "hazards")),
    ["db", "upgrade"],
    ["fhir", "questionnaire"],
    ["fhir", "bundle"],
    *(["diary", sub] for sub in ("start", "add", "show", "calendar", "summary")),
    ["staff", "add-token"],
    ["staff", "revoke"],
]
# Runs the command as the installed script does and prints the top-level packages it loaded.
PROGRAM = """
import json, sys
sys.argv = ["backspasm", *json.loads(sys.argv[1]), "--help"]
from backspasm.cli.main import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "backspasm")
def test_help_loads_no_heavy_library(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, json.dumps(command)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Usage" in done.stdout  # it did print the help
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert loaded & HEAVY == set()
