"""The OpenAPI schema, with `Answers` spelled out from the knowledge base.

The request models accept any finding id -> value and leave the checking to the engine; the
schema then lists each finding with its type, range, options and whether "unsure" is allowed,
so generated clients and fuzzers (schemathesis) see exactly what the engine accepts.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from backspasm.engine.answers import UNSURE
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.schema import Finding

REQUESTS = ("AssessmentRequest", "InterviewRequest", "ScreenRequest")


def answers_schema(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "title": "Answers",
        "description": "Finding id -> value. Leave out what was not asked.",
        "type": "object",
        "properties": {name: _finding_schema(f) for name, f in kb.findings.items()},
        "additionalProperties": False,
    }


def _finding_schema(finding: Finding) -> dict[str, Any]:
    schema: dict[str, Any]
    if finding.type == "bool":
        schema = {"type": "boolean"}
    elif finding.type == "choice":
        schema = {"type": "string", "enum": list(finding.options)}
    else:
        schema = {
            "type": "integer" if finding.type == "int" else "number",
            "minimum": finding.min,
            "maximum": finding.max,
        }
    if finding.unsure:
        schema = {"anyOf": [schema, {"type": "string", "enum": [UNSURE]}]}
    return {**schema, "description": finding.means}


def install(app: FastAPI, kb: KnowledgeBase) -> None:
    """Replace app.openapi with a cached generator that fills in Answers."""

    def generate() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["Answers"] = answers_schema(kb)
            for name in REQUESTS:
                for field in ("answers", "rows"):
                    if field in components.get(name, {}).get("properties", {}):
                        components[name]["properties"][field] = {
                            "$ref": "#/components/schemas/Answers"
                        }
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = generate  # type: ignore[method-assign]
