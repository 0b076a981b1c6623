"""SDC 3.0 adaptive questionnaire: `Questionnaire/$next-question`.

The client sends a QuestionnaireResponse (bare, or as the `questionnaire-response` parameter
of a Parameters resource) that contains the adaptive Questionnaire asked so far. We append
the engine's next screen to that contained Questionnaire, as a `group` item holding one item
per question (each answered on its own), and return the response; when the interview is done
the response is `completed` and the last item states the care level. The first call may
carry no items and no contained Questionnaire.
"""

from __future__ import annotations

from typing import Any

from backspasm.engine.assessment import assess, with_numbers
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.numbers import Numbers
from backspasm.engine.screens import next_screen
from backspasm.fhir import names
from backspasm.fhir.outcome import FhirInputError, Issue, invalid
from backspasm.fhir.questionnaire import screen_group
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


def next_question(kb: KnowledgeBase, response: Json, numbers: Numbers | None = None) -> Json:
    """The response with the next question appended, or completed with the result: the
    level's first action where one applies, its texts with the deployment's `numbers`."""
    if response.get("status") not in RESPONSE_STATUSES:
        invalid(422, f"status {response.get('status')!r} is not a response status", "status")
    adaptive = _contained(kb, response)
    answers = answers_from_items(kb, response.get("item", []))
    present = {item.get("linkId") for item in adaptive["item"] if isinstance(item, dict)}
    shown = sum(  # screens already answered: groups whose every question has an answer
        item.get("type") == "group"
        and isinstance(item.get("item"), list)
        and all(isinstance(row, dict) and row.get("linkId") in answers for row in item["item"])
        for item in adaptive["item"]
        if isinstance(item, dict)
    )
    step = next_screen(kb, answers, shown)
    if step.screen is None:
        if RESULT_LINK_ID not in present:
            result = with_numbers(assess(kb, answers), numbers or Numbers())
            first = result.first_action
            told = f"{first.title}. {first.text}" if first else result.disposition.text
            adaptive["item"].append(
                {"linkId": RESULT_LINK_ID, "type": "display", "text": f"Result: {told}"}
            )
    else:
        screen = step.screen
        link_id = f"screen-{step.number}-{screen.id}"
        if link_id not in present:
            rows = [question.id for question in screen.questions]
            adaptive["item"].append(screen_group(kb, screen.id, rows, link_id, gated=False))
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
    contained = response.get("contained", [])
    if not isinstance(contained, list):
        invalid(400, "contained must be a list of resources", "contained", code="structure")
    for resource in contained:
        if not isinstance(resource, dict):
            invalid(400, "each contained entry must be a resource", "contained", code="structure")
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
            items = resource.get("item", [])
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                invalid(
                    400,
                    "the contained Questionnaire's items must be a list of items",
                    "QuestionnaireResponse.contained.item",
                    code="structure",
                )
            copy = {**resource, "id": CONTAINED_ID, "item": list(items)}
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
