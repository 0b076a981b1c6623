"""The shape of each knowledge file, as strict pydantic models (unknown keys are errors).

Cross-references between files (finding ids, source ids, condition ids) are checked
afterwards by `knowledge_base`, which sees all files at once.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from backspasm.engine.logic import Expr, parse

DISPOSITIONS = ("self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance")
# A care level's id (the spec's dispositions.yaml); `assessment.Disposition` is a result's level.
Level = Literal["self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance"]
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


def _when_then(value: str) -> str:
    if not value.startswith("When ") or " then " not in value:
        raise ValueError("a summary reads 'When ..., then ...'")
    return value


Summary = Annotated[str, AfterValidator(_when_then)]


# --- sources.yaml -------------------------------------------------------------------------------
class Source(Strict):
    title: str
    kind: Literal[
        "guideline",
        "systematic_review",
        "trial",
        "cohort",
        "label",
        "patient_information",
        "consensus",
        "textbook",
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
    unsure_label: str = ""  # the words of the "not sure" answer where another fits better
    red_flag: bool = False
    ask_when: When | None = None
    ask_first: int | None = None
    why: str = ""
    question_about: str = ""  # asked about someone else, where the rewording table will not do
    # not in the shared vocabulary (../shared/spec/findings.yaml): the knowledge base's own,
    # which cases and texts annotated in the spec's words never name
    own: bool = False
    # a finding of our own that is a part of a wider finding of the shared vocabulary
    # (../shared/spec): "feels faint" is part of the spec's "fainted, collapsed, or feels faint".
    # Yes here is yes there; the engine reasons with the narrower finding, and the text
    # evaluation compares in the spec's words.
    part_of: str = ""

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
        if self.unsure_label and not self.unsure:
            raise ValueError("unsure_label names an answer the finding does not offer (unsure)")
        if self.red_flag and self.type != "bool":
            raise ValueError("a red flag is a yes/no finding")
        if self.part_of and self.type != "bool":
            raise ValueError("only a yes/no finding can be part_of another")
        if self.part_of and not self.own:
            raise ValueError("only a finding of our own (own: true) can be part_of another")
        return self


class Rewording(Strict):
    """One rule for asking about someone else: whole words `you` become `one` (he or she) or
    `many` (they); {p} {o} {s} {r} stand for he/him/his/himself and their like."""

    you: str = Field(min_length=1)
    one: str
    many: str


class FindingsFile(Strict):
    findings: dict[str, Finding] = Field(min_length=1)
    about_someone_else: list[Rewording] = []


# --- triage.yaml --------------------------------------------------------------------------------
class Rule(Strict):
    id: str
    summary: Summary
    when: When
    disposition: Level
    if_uncertain: Level | None = None
    suspects: list[str] = []
    look_alikes: list[str] = []  # a resembling presentation that must not fire the rule
    tell: str
    rationale: str
    sources: Sources

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
    """Why an item is not for this person. When `when` holds the item is withheld, with
    `because`. When it is unknown the item is shown with `because` as a check to make first,
    unless the unknown is a "not sure" answer and `if_unsure` is `withhold`: then the item is
    withheld with `because_unsure` (for a not-sure answer where taking the item on trust is
    the unsafe reading, such as ibuprofen when you could be pregnant). A question never asked,
    or ruled out by context (pregnancy for a man), is not a "not sure" answer."""

    when: When
    because: str
    if_unsure: Literal["check_first", "withhold"] = "check_first"
    because_unsure: str = ""

    @model_validator(mode="after")
    def _unsure_reason(self) -> Contraindication:
        if self.if_unsure == "withhold" and not self.because_unsure:
            raise ValueError("if_unsure: withhold needs because_unsure, the reason a person reads")
        if self.because_unsure and self.if_unsure != "withhold":
            raise ValueError("because_unsure is read only with if_unsure: withhold")
        return self


class CareCitation(Citation):
    """An advice item's citation, with the person it is about where it is not everyone: the
    source is shown unless `when` is false for this person (unknown keeps it, since it then
    supports a check the plan spells out)."""

    when: When | None = None


CareSources = Annotated[
    list[Annotated[CareCitation, BeforeValidator(_citation)]], Field(min_length=1)
]


class CareItem(Strict):
    id: str
    stage: Stage
    title: str
    text: str
    levels: list[Level] = Field(min_length=1)
    applies_when: When | None = None
    medicine_class: str = ""
    contraindicated_when: list[Contraindication] = []
    # The level's one first action when this item applies: shown as the headline and single
    # action in place of the level's own instruction ("go to an emergency department now").
    first_action: bool = False
    # ...and only when every rule setting the level is one of these: a pregnant person with
    # cauda equina signs goes to the emergency department, whatever else she has
    first_action_for: list[str] = []
    replaces: list[str] = []  # items this one stands in for: left out of a plan it is in
    # Offered also when `applies_when` is unknown only because of a "not sure" answer (the
    # paracetamol advice for someone not sure whether she is pregnant); never when it is
    # unknown because a question was not asked.
    applies_if_unsure: bool = False
    sources: CareSources

    @model_validator(mode="after")
    def _first_action(self) -> CareItem:
        if not self.first_action:
            if self.first_action_for:
                raise ValueError("first_action_for belongs to a first action")
            return self
        if self.applies_if_unsure:
            raise ValueError("a first action applies only when applies_when holds")
        if self.stage != "now":
            raise ValueError("a first action is done now: stage must be 'now'")
        if self.applies_when is None:
            raise ValueError("a first action needs applies_when: it replaces the level's own")
        if "emergency_ambulance" in self.levels:
            raise ValueError("nothing replaces calling an ambulance: a first action cannot be "
                             "at the emergency_ambulance level")  # fmt: skip
        if not self.first_action_for:
            raise ValueError("a first action names the rules it is for (first_action_for)")
        return self


class SignAction(Strict):
    """A warning sign's own words for what to do, in place of its level's instruction: the
    first whose `when` holds is used (one without `when`, last, stands for everyone else)."""

    when: When | None = None
    text: str


class SafetyNet(Strict):
    id: str
    sign: str
    action: Level  # how urgent the sign is: it is shown only below this level
    applies_when: When | None = None
    # The one thing to do, where the level's own instruction is not it ("ring your maternity
    # unit now", with the emergency number as the fallback its text names)
    first_action: list[SignAction] = []
    sources: Sources

    @model_validator(mode="after")
    def _fallback_last(self) -> SafetyNet:
        if any(action.when is None for action in self.first_action[:-1]):
            raise ValueError("only the last first_action may leave out when: it is the fallback")
        return self


class Review(Strict):
    """When the plan says to check in again, by care level."""

    level: Level
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
    dispositions: dict[Level, str]  # each level as a plain instruction
    level_titles: dict[Level, str]  # each level as a short heading

    def level_title(self, level: str) -> str:
        """The short heading every face shows for this care level."""
        return self.level_titles[cast(Level, level)]


# --- followup.yaml ------------------------------------------------------------------------------
class Measure(Strict):
    """A number or yes/no that `followup.py` computes from an episode's history."""

    type: Literal["bool", "int"]
    means: str
    # The value in words, for the clinician summary: a yes (bool) or a number from 0 up (int;
    # {points} is "1 point" or "3 points", {n} the bare number), and `says_otherwise` for a no
    # or a number below 0 (given as a positive number). Required of followup.yaml's measures.
    says: str = ""
    says_otherwise: str = ""
    min: int | None = None
    max: int | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Measure:
        if (self.type == "int") != (self.min is not None and self.max is not None):
            raise ValueError("an int measure needs min and max; a bool measure has neither")
        allowed = {"n", "points"} if self.type == "int" else set()
        for text in (self.says, self.says_otherwise):
            unknown = set(re.findall(r"\{([^{}]*)\}", text)) - allowed
            if unknown:
                raise ValueError(f"says: unknown placeholder {{{sorted(unknown)[0]}}}")
        return self

    def in_words(self, value: bool | float | str) -> str:
        """The value as the summary says it: "pain 3 points lower than at the first assessment"."""
        if not self.says:
            return f"{self.means}: {value}"
        if isinstance(value, bool):
            return self.says if value else self.says_otherwise
        if not isinstance(value, int | float):
            return f"{self.means}: {value}"
        size = abs(value)
        points = f"{size:g} point" + ("" if size == 1 else "s")
        template = self.says if value >= 0 else self.says_otherwise
        return template.format(n=f"{size:g}", points=points)


class Diary(Strict):
    symptoms: dict[str, str] = Field(min_length=1)
    tried: dict[str, str] = Field(min_length=1)


class PainCourse(Strict):
    worsening: When
    improving: When


class Retriage(Strict):
    pain_course: PainCourse
    sources: Sources


class FollowupRule(Strict):
    id: str
    summary: Summary
    when: When
    action: Literal["retriage", "see_clinician", "encourage"]
    level: Level | None = None
    within_days: int | None = Field(default=None, ge=0)
    due_by_day: int | None = Field(default=None, ge=0)
    tell: str
    rationale: str
    sources: Sources

    @model_validator(mode="after")
    def _timing(self) -> FollowupRule:
        if self.action == "retriage":
            if self.level or self.within_days is not None or self.due_by_day is not None:
                raise ValueError("a retriage rule takes its level and timing from the engine")
            return self
        if self.level is None:
            raise ValueError(f"a {self.action} rule needs a level")
        if (self.within_days is None) == (self.due_by_day is None):
            raise ValueError("give exactly one of within_days and due_by_day")
        return self


class PlanStep(Strict):
    """A stage of the care plan (relief, mobility, ...) and what lets a person enter it."""

    id: str
    title: str
    goal: str
    items: list[str] = Field(min_length=1)
    enter_when: When | None = None
    sources: Sources


class PlanMove(Strict):
    """An expression that holds the plan where it is, or moves it back a stage."""

    when: When
    because: str
    sources: Sources


class CheckInDay(Strict):
    id: str
    day: int = Field(ge=0)
    from_: Literal["onset", "start"] = Field(alias="from")
    title: str
    text: str
    sources: Sources


class FollowupFile(Strict):
    measures: dict[str, Measure] = Field(min_length=1)
    diary: Diary
    retriage: Retriage
    rules: list[FollowupRule] = Field(min_length=1)
    stages: list[PlanStep] = Field(min_length=2)
    hold: PlanMove
    step_back: PlanMove
    check_ins: list[CheckInDay] = Field(min_length=1)

    @model_validator(mode="after")
    def _first_stage_open(self) -> FollowupFile:
        if self.stages[0].enter_when is not None:
            raise ValueError("the first stage is where every plan starts; it has no enter_when")
        missing = [stage.id for stage in self.stages[1:] if stage.enter_when is None]
        if missing:
            raise ValueError(f"stages after the first need enter_when: {', '.join(missing)}")
        return self
