"""Request and response bodies of the JSON API (/api/v1), as pydantic models for OpenAPI.

Answers are checked by the engine (`validate_answers`), the one place that knows what each
finding accepts; the OpenAPI schema of `Answers` is filled in from the knowledge base by
`openapi.py`, so clients see every finding's type and range without a second copy here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from backspasm.engine.assessment import Assessment, KnowledgeStamp

AnswerValue = bool | int | float | Annotated[str, Field(max_length=100)]
AnswersIn = Annotated[
    dict[Annotated[str, Field(max_length=100)], AnswerValue],
    Field(max_length=500, description="Finding id -> value; 'unsure' where allowed."),
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssessmentRequest(Body):
    answers: AnswersIn = Field(default_factory=dict)


class InterviewRequest(Body):
    answers: AnswersIn = Field(default_factory=dict)
    limit: int = Field(1, ge=1, le=20, description="How many questions to return at most.")


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


class QuestionOut(QuestionFields):
    stage: str = Field(description="about_you | red_flags | contributors")


class InterviewNext(BaseModel):
    done: bool
    reason: str
    asked: int
    remaining_estimate: int
    questions: list[QuestionOut]
    result: Assessment | None = Field(description="The full assessment once done, else null.")


class CatalogueQuestion(QuestionFields):
    group: str
    red_flag: bool
    required: bool


class Questions(BaseModel):
    knowledge: KnowledgeStamp
    questions: list[CatalogueQuestion]
