"""Every face names a care level and a plan stage in the same words, from one place: level
titles from the knowledge (meta.yaml `level_titles`), stage titles from messages.yaml."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.evaluation import load_cases, run_case
from backspasm.fhir.cds_hooks import patient_view
from backspasm.fhir.responses import response_for
from backspasm.messages import messages
from tests.support.knowledge import knowledge
from tests.support.paths import ROOT


@cache
def answers_by_level() -> dict[str, dict[str, Any]]:
    """For each care level, the answers of the first evaluation case that ends there."""
    kb = knowledge()
    out: dict[str, dict[str, Any]] = {}
    for case in load_cases(kb, [ROOT / "cases"]):
        result = run_case(kb, case)
        out.setdefault(result.got, dict(result.assessment.answers))
    return out


def web_words(http: httpx.Client, answers: dict[str, Any]) -> tuple[str, list[str]]:
    page = http.post("/print", data={"answers": json.dumps(answers)}).text
    title = re.search(r'<h1 id="level-title"[^>]*>([^<]+)</h1>', page)
    assert title, "the result page names its level"
    stages = re.findall(r"<h3[^>]*>([^<]+)</h3>", page)
    return html.unescape(title.group(1)).strip(), [html.unescape(s).strip() for s in stages]


def cds_summary(kb: KnowledgeBase, answers: dict[str, Any]) -> str:
    bundle = {"resourceType": "Bundle", "entry": [{"resource": response_for(kb, answers)}]}
    request = {
        "hook": "patient-view",
        "hookInstance": "0b8f4d0e-4a0e-4c53-9b1d-000000000001",
        "context": {"userId": "Practitioner/x", "patientId": "1"},
        "prefetch": {"intake": bundle},
    }
    cards = patient_view(kb, request, lambda _: "https://example.org/result")["cards"]
    return str(cards[0]["summary"])


def cli_screen(answers: dict[str, Any], folder: Path) -> str:
    path = folder / "answers.json"
    path.write_text(json.dumps(answers))
    return subprocess.run(
        # --full: the default screen shows what to do first; the plan's stages come with --full
        [sys.executable, "-m", "backspasm", "assess", "--answers", str(path), "--full"],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "200", "PATH": ""},
    ).stdout


@pytest.mark.parametrize("level", ["emergency_ambulance", "consultation_24", "self_care"])
def test_web_cds_hooks_and_terminal_name_the_level_and_stages_alike(
    level: str, kb: KnowledgeBase, http: httpx.Client, tmp_path: Path
) -> None:
    answers = answers_by_level()[level]
    title = kb.meta.level_titles[level]  # type: ignore[index]
    web_title, web_stages = web_words(http, answers)
    assert web_title == title
    assert f": {title}" in cds_summary(kb, answers)
    screen = cli_screen(answers, tmp_path)
    assert title.upper() in screen or title in screen
    stage_titles = messages("plan_stages")
    for stage in web_stages:  # every stage heading the page shows, the terminal shows too
        assert stage in stage_titles.values()
        assert stage in screen
    if level == "self_care":
        assert {"Now", "The next 48 hours", "The next few weeks"} <= set(web_stages)
