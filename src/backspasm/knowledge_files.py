"""The shape of each knowledge file, as strict pydantic models (unknown keys are errors).

Cross-references between files (finding ids, source ids, condition ids) are checked
afterwards by `knowledge_base`, which sees all files at once.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from backspasm.expressions import Expr, parse

DISPOSITIONS = ("self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance")
Disposition = Literal[
    "self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance"
]
URGENCY = {name: rank for rank, name in enumerate(DISPOSITIONS)}


def _parse_when(raw: object) -> Expr:
    return parse(raw)


When = Annotated[Expr, BeforeValidator(_parse_when)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Citation(Strict):
    source: str
    locator: str = ""


def _citation(raw: object) -> object:
    return {"source": raw} if isinstance(raw, str) else raw


Cited = Annotated[Citation, BeforeValidator(_citation)]
Sources = Annotated[list[Cited], Field(min_length=1)]


# --- sources.yaml -------------------------------------------------------------------------------
class Source(Strict):
    title: str
    kind: Literal[
        "guideline", "systematic_review", "trial", "cohort", "label", "patient_information",
        "consensus", "textbook",
    ]
    year: int
    publisher: str
    authors: str = ""
    doi: str = ""
    url: str = ""
    note: str = ""


class SourcesFile(Strict):
    sources: dict[str, Source] = Field(min_length=1)


# --- findings.yaml ------------------------------------------------------------------------------
class Finding(Strict):
    type: Literal["bool", "int", "number", "choice"]
    means: str
    question: str
    help: str = ""
    group: str
    options: list[str] = []
    option_labels: dict[str, str] = {}
    min: float | None = None
    max: float | None = None
    unit: str = ""
    required: bool = False
    default: bool | str | None = None
    unsure: bool = False
    red_flag: bool = False
    ask_when: When | None = None
    ask_first: int | None = None
    why: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Finding:
        if self.type == "choice":
            if not self.options:
                raise ValueError("a choice finding needs options")
            if set(self.option_labels) - set(self.options):
                raise ValueError("option_labels name options that do not exist")
            if self.default is not None and self.default not in self.options:
                raise ValueError(f"default {self.default!r} is not one of the options")
        elif self.options or self.option_labels:
            raise ValueError("only a choice finding has options")
        if self.type in ("int", "number"):
            if self.min is None or self.max is None:
                raise ValueError("a numeric finding needs min and max")
        elif self.min is not None or self.max is not None:
            raise ValueError("only a numeric finding has min and max")
        if self.red_flag and self.type != "bool":
            raise ValueError("a red flag is a yes/no finding")
        return self


class FindingsFile(Strict):
    findings: dict[str, Finding] = Field(min_length=1)


# --- triage.yaml --------------------------------------------------------------------------------
class Rule(Strict):
    id: str
    summary: str
    when: When
    disposition: Disposition
    if_uncertain: Disposition | None = None
    suspects: list[str] = []
    tell: str
    rationale: str
    sources: Sources

    @field_validator("summary")
    @classmethod
    def _when_then(cls, value: str) -> str:
        if not value.startswith("When ") or " then " not in value:
            raise ValueError("a summary reads 'When ..., then ...'")
        return value

    @model_validator(mode="after")
    def _uncertain_not_above(self) -> Rule:
        if self.if_uncertain and URGENCY[self.if_uncertain] > URGENCY[self.disposition]:
            raise ValueError("if_uncertain cannot be more urgent than the disposition")
        return self


class TriageFile(Strict):
    rules: list[Rule] = Field(min_length=1)


# --- conditions.yaml ----------------------------------------------------------------------------
class Evidence(Strict):
    when: When
    weight: float
    because: str

    @field_validator("weight")
    @classmethod
    def _not_zero(cls, value: float) -> float:
        if value == 0:
            raise ValueError("a weight of 0 says nothing; remove the item")
        return value


class Condition(Strict):
    name: str
    lay_name: str
    explain: str
    prior: float
    serious: bool = False
    evidence: list[Evidence] = Field(min_length=1)
    sources: Sources


class ConditionsFile(Strict):
    conditions: dict[str, Condition] = Field(min_length=1)


# --- care.yaml ----------------------------------------------------------------------------------
Stage = Literal["now", "next_48h", "next_weeks", "prevention", "clinician"]


class Contraindication(Strict):
    when: When
    because: str


class CareItem(Strict):
    id: str
    stage: Stage
    title: str
    text: str
    levels: list[Disposition] = Field(min_length=1)
    applies_when: When | None = None
    medicine_class: str = ""
    contraindicated_when: list[Contraindication] = []
    sources: Sources


class SafetyNet(Strict):
    id: str
    sign: str
    action: Disposition
    applies_when: When | None = None
    sources: Sources


class Review(Strict):
    """When the plan says to check in again, by care level."""

    level: Disposition
    within_days: int
    text: str
    sources: Sources


class CareFile(Strict):
    items: list[CareItem] = Field(min_length=1)
    safety_net: list[SafetyNet] = Field(min_length=1)
    reviews: list[Review] = Field(min_length=1)


# --- meta.yaml ----------------------------------------------------------------------------------
class Meta(Strict):
    version: str
    title: str
    status: Literal["draft", "reviewed"]
    disclaimer: str
    dispositions: dict[Disposition, str]
