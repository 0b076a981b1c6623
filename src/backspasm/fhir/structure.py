"""Structural checks of incoming resources with the fhir.resources R4B models.

R4B's models match R4 field for field for the resources we read (interop notes §1.3). They
catch missing required elements, wrong primitive types, unknown elements and choice types
given twice; they do not check code bindings, which the mappings check where it matters.
"""

from __future__ import annotations

import re
from typing import Any

from backspasm.fhir.outcome import FhirInputError, Issue


def require_resource(body: object, expected: tuple[str, ...]) -> dict[str, Any]:
    """Return the body if it is a structurally valid R4 resource of an expected type."""
    if not isinstance(body, dict):
        raise FhirInputError(400, [Issue("structure", "the body must be a JSON object")])
    kind = body.get("resourceType")
    if kind not in expected:
        raise FhirInputError(
            400,
            [
                Issue(
                    "structure",
                    f"expected resourceType {' or '.join(expected)}, got {kind!r}",
                    "resourceType",
                )
            ],
        )
    issues = structure_issues(body)
    if issues:
        raise FhirInputError(400, issues)
    return body


def structure_issues(resource: dict[str, Any]) -> list[Issue]:
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    kind = str(resource["resourceType"])
    try:
        get_fhir_model_class(kind).model_validate(resource)
    except ValidationError as error:
        return [
            Issue(
                "structure", f"{_path(kind, item['loc'])}: {item['msg']}", _path(kind, item["loc"])
            )
            for item in error.errors()
        ]
    except (KeyError, ValueError, TypeError) as error:  # a malformed value the model rejected
        return [Issue("structure", f"{kind}: {error}", kind)]
    return []


def _path(kind: str, location: tuple[int | str, ...]) -> str:
    out = kind
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


# --- how deep JSON nests, read before it is parsed -----------------------------------------------
MAX_DEPTH = 64  # an intake nests about 12 deep; Python's parser and our walks recurse per level
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = bytes.maketrans(b"", b"")
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nesting_depth(raw: bytes | str) -> int:
    """How deep arrays and objects nest in JSON text, without parsing it (strings skipped).

    Parsing or walking very deep JSON exhausts Python's stack, so callers refuse text deeper
    than MAX_DEPTH first; malformed text still gets a depth, and the parser's own error later.
    """
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    brackets = _STRINGS.sub(b"", data).translate(_BRACKETS, delete=_NOT_BRACKETS)
    depth = deepest = 0
    for byte in brackets:
        depth += _DEPTH_STEP[byte]
        deepest = max(deepest, depth)
    return deepest


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
