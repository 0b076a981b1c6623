"""The hazard log (knowledge/hazards.yaml): its strict shape, its checks, and the safety case.

The loader calls `hazard_problems` after its own cross-checks, so a knowledge base whose hazard
log is inconsistent does not load. The checks:

- every triage rule that reads a red flag is a control of at least one hazard;
- every control (rule, finding, gate, care item or safety-net sign) and every cited source exists;
- every red-flag question with an `ask_when` gate is listed, with its reason, under some
  hazard's `gates`, because a gate is the one place where a red flag can go unasked;
- no residual risk is in the unacceptable band, and no control makes a risk worse.

Case ids in `verified_by` are checked by the test suite, which reads cases/ (the loader does not).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import yaml
from pydantic import Field, ValidationError

from backspasm.engine.logic import findings_in
from backspasm.engine.schema import Sources, Strict
from backspasm.engine.yaml_files import DuplicateKeyError, load_yaml

if TYPE_CHECKING:  # the loader imports this module; only the type is needed here
    from backspasm.engine.knowledge_base import KnowledgeBase

FILE = "hazards.yaml"
Score = Annotated[int, Field(ge=1, le=5)]
ACCEPTABLE, TOLERABLE = 6, 12  # severity x likelihood: up to 6 acceptable, up to 12 tolerable


class Scales(Strict):
    severity: dict[int, str] = Field(min_length=5, max_length=5)
    likelihood: dict[int, str] = Field(min_length=5, max_length=5)
    acceptability: dict[str, str] = Field(min_length=1)


class Controls(Strict):
    rules: list[str] = Field(default_factory=list)
    # findings whose question wording is part of the control
    findings: list[str] = Field(default_factory=list)
    # gated red-flag question -> why the gate is acceptable
    gates: dict[str, str] = Field(default_factory=dict)
    care: list[str] = Field(default_factory=list)  # care items and safety-net signs (care.yaml)
    # screens (screens.yaml) whose grouping of red-flag questions is part of the control
    screens: list[str] = Field(default_factory=list)


class Residual(Strict):
    severity: Score
    likelihood: Score


class Hazard(Strict):
    id: str
    title: str
    cause: str
    effect: str
    severity: Score
    likelihood: Score
    controls: Controls
    verified_by: list[str] = Field(min_length=1)
    residual: Residual
    acceptance: str
    sources: Sources

    @property
    def risk(self) -> int:
        return self.severity * self.likelihood

    @property
    def residual_risk(self) -> int:
        return self.residual.severity * self.residual.likelihood


class HazardLog(Strict):
    scales: Scales
    hazards: list[Hazard] = Field(min_length=1)


def band(score: int) -> str:
    if score <= ACCEPTABLE:
        return "acceptable"
    return "tolerable" if score <= TOLERABLE else "unacceptable"


def read_hazards(folder: Path) -> tuple[HazardLog | None, list[str]]:
    """The parsed log, or None with the reasons it could not be read."""
    path = folder / FILE
    if not path.is_file():
        return None, [f"{FILE}: file is missing"]
    try:
        data = load_yaml(path.read_text())
    except DuplicateKeyError as error:
        return None, [f"{FILE}: {error}"]
    except yaml.YAMLError as error:
        return None, [f"{FILE}: not valid YAML: {error}"]
    try:
        return HazardLog.model_validate(data), []
    except ValidationError as error:
        return None, [
            f"{FILE}: {'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors()
        ]


def hazard_problems(folder: Path, kb: KnowledgeBase) -> list[str]:
    log, problems = read_hazards(folder)
    if log is None:
        return problems
    return list(_check(log, kb))


def load_hazards(folder: Path, kb: KnowledgeBase) -> HazardLog:
    """The checked log (the knowledge base it belongs to must already have loaded)."""
    log, problems = read_hazards(folder)
    if log is not None:
        problems = list(_check(log, kb))
    if log is None or problems:
        from backspasm.engine.knowledge_base import KnowledgeError

        raise KnowledgeError(problems)
    return log


def red_flag_rules(kb: KnowledgeBase) -> list[str]:
    flags = set(kb.red_flags)
    return [rule.id for rule in kb.rules if flags & set(findings_in(rule.when))]


def _check(log: HazardLog, kb: KnowledgeBase) -> Iterable[str]:
    rule_ids = {rule.id for rule in kb.rules}
    care_ids = {item.id for item in kb.care.items} | {sign.id for sign in kb.care.safety_net}
    seen: set[str] = set()
    controlled_rules: set[str] = set()
    gated: set[str] = set()
    for hazard in log.hazards:
        where = f"{FILE}: {hazard.id}"
        if hazard.id in seen:
            yield f"{where}: duplicate hazard id"
        seen.add(hazard.id)
        controls = hazard.controls
        if not (
            controls.rules
            or controls.findings
            or controls.gates
            or controls.care
            or controls.screens
        ):
            yield f"{where}: a hazard needs at least one control"
        for rule in controls.rules:
            if rule not in rule_ids:
                yield f"{where}: control names unknown rule {rule!r}"
        controlled_rules.update(controls.rules)
        for name in [*controls.findings, *controls.gates]:
            if name not in kb.findings:
                yield f"{where}: control names unknown finding {name!r}"
        for name in controls.gates:
            finding = kb.findings.get(name)
            if finding is not None and finding.ask_when is None:
                yield f"{where}: gates names {name!r}, which has no ask_when gate"
            gated.add(name)
        for item in controls.care:
            if item not in care_ids:
                yield f"{where}: control names unknown care item {item!r}"
        screen_ids = {spec.id for spec in kb.screens.screens}
        for screen in controls.screens:
            if screen not in screen_ids:
                yield f"{where}: control names unknown screen {screen!r}"
        for citation in hazard.sources:
            if citation.source not in kb.sources:
                yield f"{where}: cites unknown source {citation.source!r}"
        if band(hazard.residual_risk) == "unacceptable":
            yield (
                f"{where}: residual risk {hazard.residual_risk} is unacceptable (over {TOLERABLE})"
            )
        if hazard.residual_risk > hazard.risk:
            yield f"{where}: residual risk is higher than the risk before the controls"
    for rule in red_flag_rules(kb):
        if rule not in controlled_rules:
            yield f"{FILE}: red-flag rule {rule!r} is not a control of any hazard"
    for name, finding in kb.findings.items():
        if finding.red_flag and finding.ask_when is not None and name not in gated:
            yield f"{FILE}: red flag {name!r} has an ask_when gate that no hazard accepts"


# --- the clinical safety case ----------------------------------------------------------------
def _controls_text(hazard: Hazard) -> list[tuple[str, str]]:
    controls = hazard.controls
    rows = []
    if controls.rules:
        rows.append(("Triage rules", ", ".join(controls.rules)))
    if controls.findings:
        rows.append(("Question wording", ", ".join(controls.findings)))
    for name, why in controls.gates.items():
        rows.append((f"Gate on {name}", why))
    if controls.care:
        rows.append(("Care items", ", ".join(controls.care)))
    if controls.screens:
        rows.append(("Screens", ", ".join(controls.screens)))
    return rows


def _source_text(kb: KnowledgeBase, hazard: Hazard) -> str:
    return "; ".join(
        kb.sources[c.source].title + (f" ({c.locator})" if c.locator else "")
        for c in hazard.sources
    )


def render_markdown(kb: KnowledgeBase, log: HazardLog) -> str:
    out = [
        f"# Clinical safety case: {kb.meta.title}",
        "",
        f"Knowledge {kb.version} ({kb.content_hash[:12]}), status {kb.meta.status}. "
        f"{len(log.hazards)} hazards; {len(red_flag_rules(kb))} red-flag rules, each a control "
        "of at least one hazard.",
        "",
        "| id | hazard | risk before | residual risk |",
        "|---|---|---|---|",
    ]
    for h in log.hazards:
        out.append(
            f"| {h.id} | {h.title} | {h.severity}x{h.likelihood} = {h.risk} ({band(h.risk)}) "
            f"| {h.residual.severity}x{h.residual.likelihood} = {h.residual_risk} "
            f"({band(h.residual_risk)}) |"
        )
    out += ["", "## Scales", ""]
    for name, scale in (("Severity", log.scales.severity), ("Likelihood", log.scales.likelihood)):
        out.append(f"{name}: " + "; ".join(f"{k} {v}" for k, v in sorted(scale.items())) + ".")
        out.append("")
    out += [f"Acceptability: {k} - {v}." for k, v in log.scales.acceptability.items()]
    for h in log.hazards:
        out += [
            "",
            f"## {h.id}: {h.title}",
            "",
            f"- **Cause:** {h.cause}",
            f"- **Effect:** {h.effect}",
            f"- **Risk before controls:** severity {h.severity}, likelihood {h.likelihood} "
            f"= {h.risk} ({band(h.risk)})",
        ]
        out += [f"- **{label}:** {text}" for label, text in _controls_text(h)]
        out += [
            f"- **Verified by cases:** {', '.join(h.verified_by)}",
            f"- **Residual risk:** severity {h.residual.severity}, likelihood "
            f"{h.residual.likelihood} = {h.residual_risk} ({band(h.residual_risk)})",
            f"- **Acceptance:** {h.acceptance}",
            f"- **Sources:** {_source_text(kb, h)}",
        ]
    return "\n".join(out) + "\n"


def render_html(kb: KnowledgeBase, log: HazardLog) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(h.id)}</td><td>{e(h.title)}</td><td>{h.risk} ({band(h.risk)})</td>"
        f"<td>{h.residual_risk} ({band(h.residual_risk)})</td></tr>"
        for h in log.hazards
    )
    sections = []
    for h in log.hazards:
        items = [
            ("Cause", h.cause),
            ("Effect", h.effect),
            (
                "Risk before controls",
                f"severity {h.severity}, likelihood {h.likelihood} = {h.risk} ({band(h.risk)})",
            ),
            *_controls_text(h),
            ("Verified by cases", ", ".join(h.verified_by)),
            (
                "Residual risk",
                f"severity {h.residual.severity}, likelihood "
                f"{h.residual.likelihood} = {h.residual_risk} "
                f"({band(h.residual_risk)})",
            ),
            ("Acceptance", h.acceptance),
            ("Sources", _source_text(kb, h)),
        ]
        body = "".join(f"<dt>{e(label)}</dt><dd>{e(text)}</dd>" for label, text in items)
        sections.append(
            f'<section id="{e(h.id)}"><h2>{e(h.id)}: {e(h.title)}</h2><dl>{body}</dl></section>'
        )
    title = e(f"Clinical safety case: {kb.meta.title}")
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:sans-serif;max-width:60rem;margin:auto;line-height:1.4}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;"
        "text-align:left}dt{font-weight:bold}</style></head><body>"
        f"<h1>{title}</h1><p>Knowledge {e(kb.version)} ({e(kb.content_hash[:12])}), status "
        f"{e(kb.meta.status)}.</p><table><tr><th>id</th><th>hazard</th><th>risk before</th>"
        f"<th>residual risk</th></tr>{rows}</table>{''.join(sections)}</body></html>\n"
    )


__all__ = [
    "HazardLog",
    "band",
    "hazard_problems",
    "load_hazards",
    "read_hazards",
    "red_flag_rules",
    "render_html",
    "render_markdown",
]
