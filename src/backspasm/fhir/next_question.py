"""SDC 3.0 adaptive questionnaire: `Questionnaire/$next-question`.

The client sends a QuestionnaireResponse (bare, or as the `questionnaire-response` parameter
of a Parameters resource) that contains the adaptive Questionnaire asked so far. We append
the engine's next question to that contained Questionnaire and return the response; when the
interview is done the response is `completed` and the last item states the care level.
The first call may carry no items and no contained Questionnaire.
"""

from __future__ import annotations

from typing import Any

from backspasm.engine.assessment import assess
from backspasm.engine.interview import next_questions
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.fhir import names
from backspasm.fhir.outcome import FhirInputError, Issue, invalid
from backspasm.fhir.questionnaire import finding_item
from backspasm.fhir.responses import RESPONSE_STATUSES, answers_from_items, as_list

Json = dict[str, Any]

CONTAINED_ID = "adaptive"
RESULT_LINK_ID = "backspasm-result"


def unwrap(body: Json) -> Json:
    """The QuestionnaireResponse, from a bare body or a Parameters wrapper."""
    if body.get("resourceType") == "QuestionnaireResponse":
        return body
    for parameter in as_list(body.get("parameter")):
        if isinstance(parameter, dict) and parameter.get("name") == "questionnaire-response":
            resource = parameter.get("resource")
            if isinstance(resource, dict) and resource.get("resourceType") == (
                "QuestionnaireResponse"
            ):
                return resource
            break
    invalid(
        400,
        "expected a QuestionnaireResponse, or Parameters with a questionnaire-response "
        "parameter holding one",
        "Parameters.parameter.where(name='questionnaire-response').resource",
        code="required",
    )


def next_question(kb: KnowledgeBase, response: Json) -> Json:
    """The response with the next question appended, or completed with the result."""
    if response.get("status") not in RESPONSE_STATUSES:
        invalid(422, f"status {response.get('status')!r} is not a response status", "status")
    adaptive = _contained(kb, response)
    answers = answers_from_items(kb, response.get("item", []))
    step = next_questions(kb, answers, limit=1)
    present = {item.get("linkId") for item in adaptive["item"] if isinstance(item, dict)}
    if step.done:
        if RESULT_LINK_ID not in present:
            level = assess(kb, answers).disposition
            adaptive["item"].append(
                {"linkId": RESULT_LINK_ID, "type": "display", "text": f"Result: {level.text}"}
            )
    else:
        for question in step.questions:
            if question.id not in present:
                adaptive["item"].append(finding_item(kb, question.id, gated=False))
    out: Json = {
        "resourceType": "QuestionnaireResponse",
        **({"id": response["id"]} if "id" in response else {}),
        "meta": {"profile": [names.SDC_RESPONSE_ADAPT]},
        "contained": [adaptive],
        "questionnaire": f"#{CONTAINED_ID}",
        "status": "completed" if step.done else "in-progress",
    }
    for key in ("subject", "authored", "author", "source"):
        if key in response:
            out[key] = response[key]
    if response.get("item"):
        out["item"] = response["item"]
    return out


def _contained(kb: KnowledgeBase, response: Json) -> Json:
    """A copy of the contained adaptive Questionnaire, or a new empty one."""
    reference = str(response.get("questionnaire", ""))
    for resource in as_list(response.get("contained")):
        if (
            isinstance(resource, dict)
            and resource.get("resourceType") == "Questionnaire"
            and reference == f"#{resource.get('id')}"
        ):
            derived = as_list(resource.get("derivedFrom"))
            if not any(str(url).split("|")[0] == names.INTAKE_URL for url in derived):
                raise FhirInputError(
                    422,
                    [
                        Issue(
                            "not-supported",
                            f"the contained Questionnaire must derive from {names.INTAKE_URL}",
                            "QuestionnaireResponse.contained.derivedFrom",
                        )
                    ],
                )
            copy = {**resource, "id": CONTAINED_ID, "item": as_list(resource.get("item"))[:]}
            return copy
    if reference and not reference.startswith("#") and reference.split("|")[0] != names.INTAKE_URL:
        invalid(
            422,
            f"this server adapts {names.INTAKE_URL}, not {reference!r}",
            "questionnaire",
            code="not-supported",
        )
    return {
        "resourceType": "Questionnaire",
        "id": CONTAINED_ID,
        "meta": {"profile": [names.SDC_QUESTIONNAIRE_ADAPT]},
        "extension": [{"url": names.EXT_ADAPTIVE, "valueBoolean": True}],
        "derivedFrom": [f"{names.INTAKE_URL}|{kb.version}"],
        "status": "active" if kb.meta.status == "reviewed" else "draft",
        "subjectType": ["Patient"],
        "title": kb.meta.title,
        "item": [],
    }
