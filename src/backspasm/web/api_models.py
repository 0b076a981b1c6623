"""Request and response bodies of the JSON API (/api/v1), as pydantic models for OpenAPI.

Answers are checked by the engine (`validate_answers`), the one place that knows what each
finding accepts; the OpenAPI schema of `Answers` is filled in from the knowledge base by
`openapi.py`, so clients see every finding's type and range without a second copy here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from backspasm.engine.assessment import Assessment, KnowledgeStamp

AnswerValue = bool | int | float | Annotated[str, Field(max_length=100)]
AnswersIn = Annotated[
    dict[Annotated[str, Field(max_length=100)], AnswerValue],
    Field(max_length=500, description="Finding id -> value; 'unsure' where allowed."),
]


def _not_a_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("expected a whole number, not true or false")
    return value


ScreenCount = Annotated[int, Field(ge=0, le=200), BeforeValidator(_not_a_bool)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssessmentRequest(Body):
    answers: AnswersIn = Field(default_factory=dict)


class InterviewRequest(Body):
    answers: AnswersIn = Field(default_factory=dict)
    limit: int = Field(1, ge=1, le=20, description="How many questions to return at most.")
    screens_answered: ScreenCount = Field(
        0, description="Screens answered so far, for the step number."
    )


class ScreenRequest(Body):
    """One screen answered: every row its own value, or "None of these" where allowed."""

    answers: AnswersIn = Field(default_factory=dict, description="The answers so far.")
    screens_answered: ScreenCount = Field(0, description="Screens answered so far.")
    screen_id: Annotated[str, Field(max_length=100)] = Field(
        description="The id of the screen answered (the `screen.id` the API last returned)."
    )
    rows: AnswersIn = Field(
        default_factory=dict,
        description="Finding id -> value for every row of the screen; a row left out is "
        "refused, never read as 'no'.",
    )
    none_of_these: bool = Field(
        False, strict=True, description="Answer every row 'no' at once, where the screen allows it."
    )


class Option(BaseModel):
    value: str
    label: str


class QuestionFields(BaseModel):
    """What every question carries, whether asked in an interview or listed."""

    id: str
    text: str
    type: str
    help: str
    why: str
    options: list[Option]
    min: float | None
    max: float | None
    unit: str
    unsure_allowed: bool
    unsure_label: str = Field(
        default="", description='words for the "not sure" answer; empty means "Not sure"'
    )


class QuestionOut(QuestionFields):
    stage: str = Field(description="about_you | red_flags | contributors")


CONFLICT = (
    "The screen answer does not fit the interview: another screen is due, a row is missing or "
    "not on the screen, or 'None of these' is not offered there. Each problem names its field."
)


class Problem(BaseModel):
    loc: list[str]
    msg: str
    type: str


class Conflict(BaseModel):
    detail: list[Problem]


class ScreenOut(BaseModel):
    """Related questions shown together; every row needs its own answer."""

    id: str
    heading: str
    why: str
    none_of_these: bool = Field(description="Whether one 'None of these' may answer every row.")
    number: int = Field(description="This screen's step number, from 1.")
    estimate: int = Field(description="About how many screens in all.")
    questions: list[QuestionOut]


class InterviewNext(BaseModel):
    done: bool
    reason: str
    asked: int
    remaining_estimate: int
    questions: list[QuestionOut]
    screen: ScreenOut | None = Field(
        description="The next screen (the questions to show together), or null when done."
    )
    result: Assessment | None = Field(description="The full assessment once done, else null.")


class ScreenAnswered(InterviewNext):
    """The interview after a screen: the answers and count to send with the next screen."""

    answers: dict[str, bool | int | float | str]
    screens_answered: int


class CatalogueQuestion(QuestionFields):
    group: str
    red_flag: bool
    required: bool


class Questions(BaseModel):
    knowledge: KnowledgeStamp
    questions: list[CatalogueQuestion]
