"""The knowledge base's findings as one R4 Questionnaire, for any SDC renderer.

linkId is the finding id, so answers map back without a lookup table. Yes/no findings
that allow "I'm not sure" become a choice of yes / no / not sure (R4 `boolean` cannot say
"not sure"); `intake` maps those codes back. Gates come from `gates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.schema import Finding
from backspasm.fhir import names
from backspasm.fhir.gates import gate_for

Json = dict[str, Any]

YES_NO_UNSURE = ((names.YES, "Yes"), (names.NO, "No"), (names.UNSURE_CODE, "I'm not sure"))
UCUM_UNITS = {"years": "a", "days": "d"}  # UCUM codes for the units findings use
# The R4 element order, so exported JSON reads like the specification's examples.
ITEM_KEY_ORDER = (
    "extension",
    "linkId",
    "code",
    "text",
    "type",
    "enableWhen",
    "enableBehavior",
    "required",
    "answerOption",
    "item",
)


def group_link_id(screen: str) -> str:
    return f"group-{screen}"


def build_questionnaire(kb: KnowledgeBase) -> Json:
    """The static intake form: every finding, with its gate, in groups that are the screens
    of screens.yaml (the questions backspasm shows together), in their order."""
    return {
        "resourceType": "Questionnaire",
        "id": names.INTAKE_ID,
        "meta": {"profile": [names.SDC_QUESTIONNAIRE]},
        "url": names.INTAKE_URL,
        "version": kb.version,
        "name": "BackspasmIntake",
        "title": kb.meta.title,
        "status": "active" if kb.meta.status == "reviewed" else "draft",
        "subjectType": ["Patient"],
        "publisher": "backspasm",
        "description": kb.meta.disclaimer,
        "item": [screen_group(kb, spec.id, spec.rows) for spec in kb.screens.screens],
    }


def screen_group(
    kb: KnowledgeBase, screen: str, rows: Sequence[str], link_id: str = "", gated: bool = True
) -> Json:
    """A screen as a `group` item: its heading, then one item per row, each answered on its
    own (a group is never answered as a whole)."""
    spec = next(spec for spec in kb.screens.screens if spec.id == screen)
    return {
        "linkId": link_id or group_link_id(screen),
        "text": spec.heading,
        "type": "group",
        "item": [finding_item(kb, name, gated) for name in rows],
    }


def finding_item(kb: KnowledgeBase, name: str, gated: bool = True) -> Json:
    """One finding as a Questionnaire item; `gated=False` for adaptive forms (server decides)."""
    finding = kb.findings[name]
    if finding.unsure and finding.type not in ("bool", "choice"):
        raise ValueError(f"{name}: 'not sure' is only mapped for yes/no and choice findings")
    item: Json = {"linkId": name, "text": finding.question, "type": item_type(finding)}
    extensions: list[Json] = []
    if name == names.PAIN_FINDING:
        item["code"] = [
            {
                "system": names.LOINC,
                "code": names.PAIN_SEVERITY_LOINC,
                "display": names.PAIN_SEVERITY_DISPLAY,
            }
        ]
        extensions.append({"url": names.EXT_OBSERVATION_EXTRACT, "valueBoolean": True})
    if finding.type in ("int", "number"):
        extensions.extend(_bounds(finding))
    if finding.unit:
        extensions.append({"url": names.EXT_UNIT, "valueCoding": _unit(finding.unit)})
    options = answer_options(finding)
    if options:
        item["answerOption"] = [{"valueCoding": coding} for coding in options]
        if len(options) <= 4:
            extensions.append(_item_control("radio-button"))
    if gated:
        gate = gate_for(kb, name)
        if gate is not None and gate.enable_when:
            item["enableWhen"] = [atom.to_fhir() for atom in gate.enable_when]
            if len(gate.enable_when) > 1:
                item["enableBehavior"] = gate.behavior
        elif gate is not None:
            extensions.append(
                {
                    "url": names.EXT_ENABLE_WHEN_EXPRESSION,
                    "valueExpression": {
                        "description": gate.description,
                        "language": "text/fhirpath",
                        "expression": gate.expression,
                    },
                }
            )
    if finding.required:
        item["required"] = True
    if extensions:
        item["extension"] = extensions
    help_text = " ".join(part for part in (finding.help, finding.why) if part)
    if help_text:
        item["item"] = [
            {
                "linkId": f"{name}.help",
                "type": "display",
                "text": help_text,
                "extension": [_item_control("help")],
            }
        ]
    return {key: item[key] for key in ITEM_KEY_ORDER if key in item}


def item_type(finding: Finding) -> str:
    if finding.type == "bool":
        return "choice" if finding.unsure else "boolean"
    return {"int": "integer", "number": "decimal", "choice": "choice"}[finding.type]


def answer_options(finding: Finding) -> list[Json]:
    """The Codings a choice item offers; empty for other items."""
    if finding.type == "bool" and finding.unsure:
        pairs: tuple[tuple[str, str], ...] = YES_NO_UNSURE
    elif finding.type == "choice":
        pairs = tuple(
            (value, finding.option_labels.get(value, value.replace("_", " ").capitalize()))
            for value in finding.options
        )
        if finding.unsure:
            pairs += ((names.UNSURE_CODE, finding.unsure_label or YES_NO_UNSURE[2][1]),)
    else:
        return []
    return [{"system": names.ANSWER_SYSTEM, "code": code, "display": text} for code, text in pairs]


def _bounds(finding: Finding) -> list[Json]:
    assert finding.min is not None and finding.max is not None
    key = "valueInteger" if finding.type == "int" else "valueDecimal"

    def typed(value: float) -> int | float:
        return int(value) if finding.type == "int" else value

    return [
        {"url": names.EXT_MIN_VALUE, key: typed(finding.min)},
        {"url": names.EXT_MAX_VALUE, key: typed(finding.max)},
    ]


def _unit(unit: str) -> Json:
    code = UCUM_UNITS.get(unit)
    return {"system": names.UCUM, "code": code, "display": unit} if code else {"display": unit}


def _item_control(code: str) -> Json:
    return {
        "url": names.EXT_ITEM_CONTROL,
        "valueCodeableConcept": {"coding": [{"system": names.ITEM_CONTROL_SYSTEM, "code": code}]},
    }
