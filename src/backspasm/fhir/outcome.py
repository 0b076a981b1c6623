"""Problems with FHIR input, and the OperationOutcome that names them.

400 means the body is not a FHIR resource we can read; 422 means it is, but its content does
not fit our questionnaire or the knowledge base (the FHIR RESTful API's usage of the codes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn


@dataclass(frozen=True)
class Issue:
    code: str  # R4 issue-type: invalid, structure, required, value, not-found, not-supported, ...
    diagnostics: str
    expression: str = ""
    severity: str = "error"

    def to_fhir(self) -> dict[str, Any]:
        issue: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "diagnostics": self.diagnostics,
        }
        if self.expression:
            issue["expression"] = [self.expression]
        return issue


class FhirInputError(Exception):
    """Raised by the mappings; the routes turn it into an OperationOutcome with `status`."""

    def __init__(self, status: int, issues: list[Issue]) -> None:
        self.status = status
        self.issues = issues
        super().__init__("; ".join(issue.diagnostics for issue in issues))


def invalid(status: int, diagnostics: str, expression: str = "", code: str = "invalid") -> NoReturn:
    """Raise a FhirInputError with one issue."""
    raise FhirInputError(status, [Issue(code, diagnostics, expression)])


def operation_outcome(issues: list[Issue]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": [issue.to_fhir() for issue in issues]}
