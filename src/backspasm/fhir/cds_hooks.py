"""CDS Hooks 2.0: service discovery and the `patient-view` cards for a back-pain intake.

Pure: the route passes the request body and a function that makes the link to the full
result. The prefetched intake (a QuestionnaireResponse, or a search Bundle of them) is
assessed with the same engine as everywhere else; the card's indicator follows the care
level: critical for the emergency levels, warning for "within 24 hours", info otherwise.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from backspasm.engine.answers import Answers
from backspasm.engine.assessment import Assessment, LikelyContributor, assess, with_numbers
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.numbers import Numbers
from backspasm.fhir import names
from backspasm.fhir.outcome import FhirInputError, invalid
from backspasm.fhir.responses import answers_from_response
from backspasm.fhir.structure import structure_issues

Json = dict[str, Any]

SERVICE_ID = "backspasm-patient-view"
SUMMARY_LIMIT = 139  # the spec asks for a "<140-character" summary


# What the service needs, as FHIR searches with CDS Hooks prefetch tokens.
PREFETCH = {
    "intake": (
        "QuestionnaireResponse?patient={{context.patientId}}"
        f"&questionnaire={names.INTAKE_URL}&_sort=-authored&_count=1"
    ),
    "pain": (
        "Observation?patient={{context.patientId}}"
        f"&code={names.LOINC}|{names.PAIN_SEVERITY_LOINC}&_sort=-date&_count=1"
    ),
}


class PrefetchMissingError(Exception):
    """The intake was neither prefetched nor readable from an allowed FHIR server: HTTP 412."""


def discovery() -> Json:
    return {
        "services": [
            {
                "hook": "patient-view",
                "id": SERVICE_ID,
                "title": "backspasm back pain triage",
                "description": (
                    "Shows the care level and likely contributors from the patient's latest "
                    "backspasm back-pain intake (a QuestionnaireResponse)."
                ),
                "prefetch": dict(PREFETCH),
            }
        ]
    }


def patient_view(
    kb: KnowledgeBase,
    request: Json,
    result_link: Callable[[Answers], str],
    numbers: Numbers | None = None,
) -> Json:
    """The card for the patient's latest intake, its texts with the deployment's `numbers`."""
    check_request(request)
    prefetch = request.get("prefetch")
    if not isinstance(prefetch, dict) or "intake" not in prefetch:
        raise PrefetchMissingError(
            "prefetch 'intake' is required unless fhirServer is one this service may query"
        )
    response = _latest_response(prefetch["intake"])
    if response is None:
        return {"cards": []}  # the EHR has no intake for this patient: nothing to say
    answers = answers_from_response(kb, response)
    pain = _pain_score(prefetch.get("pain"))
    if names.PAIN_FINDING not in answers and pain is not None:
        answers[names.PAIN_FINDING] = pain
    result = with_numbers(assess(kb, answers), numbers or Numbers())
    return {"cards": [_card(kb, request, result, result_link(answers))]}


def missing_queries(request: Json) -> dict[str, str]:
    """The prefetch searches the client did not answer, with the tokens filled in.

    Call after `check_request`. Only the patient id is a token in our templates.
    """
    prefetch = request.get("prefetch")
    sent = prefetch if isinstance(prefetch, dict) else {}
    patient = quote(request["context"]["patientId"], safe="")  # an id, never extra parameters
    return {
        key: template.replace("{{context.patientId}}", patient)
        for key, template in PREFETCH.items()
        if key not in sent
    }


def check_request(request: Json) -> None:
    if request.get("hook") != "patient-view":
        invalid(
            400, f"this service answers the patient-view hook, not {request.get('hook')!r}", "hook"
        )
    if not isinstance(request.get("hookInstance"), str) or not request["hookInstance"]:
        invalid(400, "hookInstance is required", "hookInstance", code="required")
    context = request.get("context")
    if not isinstance(context, dict):
        invalid(400, "context is required", "context", code="required")
    if request.get("prefetch") is not None and not isinstance(request["prefetch"], dict):
        invalid(400, "prefetch must be an object", "prefetch")
    for key in ("userId", "patientId"):
        if not isinstance(context.get(key), str) or not context[key]:
            invalid(
                400,
                f"context.{key} is required for patient-view",
                f"context.{key}",
                code="required",
            )


def _latest_response(intake: object) -> Json | None:
    """The newest QuestionnaireResponse prefetched, checked like a posted one (R4 structure)."""
    if intake is None:
        return None
    if not isinstance(intake, dict):
        invalid(400, "prefetch intake must be a resource or null", "prefetch.intake")
    if intake.get("resourceType") == "QuestionnaireResponse":
        return _checked(intake)
    if intake.get("resourceType") != "Bundle":
        invalid(
            400,
            "prefetch intake must be a QuestionnaireResponse or a Bundle",
            "prefetch.intake.resourceType",
        )
    responses: list[Json] = [
        resource
        for resource in _resources(intake)
        if resource.get("resourceType") == "QuestionnaireResponse"
    ]
    if not responses:
        return None
    return _checked(max(responses, key=lambda r: str(r.get("authored", ""))))


def _checked(response: Json) -> Json:
    issues = structure_issues(response)
    if issues:
        raise FhirInputError(400, issues)
    return response


def _resources(bundle: Json) -> list[Json]:
    """The resources in a Bundle's entries; anything of another shape is skipped."""
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        invalid(400, "a prefetched Bundle's entry must be a list", "prefetch.entry")
    return [
        entry["resource"]
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("resource"), dict)
    ]


def _pain_score(pain: object) -> int | None:
    """The latest LOINC 72514-3 score in a prefetched Observation or Bundle of them; anything
    of another shape is not a score."""
    if not isinstance(pain, dict):
        return None
    if pain.get("resourceType") == "Observation":
        resources = [pain]
    elif isinstance(pain.get("entry", []), list):
        resources = _resources(pain)
    else:
        return None
    scores: list[tuple[str, int]] = []
    for resource in resources:
        code = resource.get("code")
        codes = code.get("coding") if isinstance(code, dict) else None
        if not isinstance(codes, list) or not any(
            isinstance(c, dict)
            and c.get("system") == names.LOINC
            and c.get("code") == names.PAIN_SEVERITY_LOINC
            for c in codes
        ):
            continue
        quantity = resource.get("valueQuantity")
        value = resource.get(
            "valueInteger", quantity.get("value") if isinstance(quantity, dict) else None
        )
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 10:
            scores.append((str(resource.get("effectiveDateTime", "")), int(value)))
    return max(scores)[1] if scores else None


def _card(kb: KnowledgeBase, request: Json, result: Assessment, link: str) -> Json:
    level = result.disposition
    if level.emergency:
        indicator = "critical"
    elif level.id == "consultation_24":
        indicator = "warning"
    else:
        indicator = "info"
    top = _contributor_phrase(result.causes[0]) if result.causes else ""
    first = result.first_action  # e.g. "Ring your maternity unit now", not "go to A&E"
    return {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{SERVICE_ID}/{request['hookInstance']}")),
        "summary": summary_for(first.title if first else kb.meta.level_title(level.id), top),
        "indicator": indicator,
        "detail": _detail(result),
        "source": {
            "label": "backspasm triage",
            "topic": {
                "system": names.CARE_LEVEL_SYSTEM,
                "code": level.id,
                "display": level.text,
            },
        },
        "links": [
            {"label": "Full backspasm result (FHIR Bundle)", "url": link, "type": "absolute"}
        ],
    }


def _contributor_phrase(cause: LikelyContributor) -> str:
    """A serious cause is something to rule out; others carry their likelihood word."""
    return f"rule out {cause.name}" if cause.serious else f"{cause.likelihood} {cause.name}"


def summary_for(level_title: str, contributor: str) -> str:
    """One sentence under 140 characters: the level's title (the knowledge's `level_titles`,
    as every face shows it), then the top contributor, dropped first, then cut."""
    text = f"Back pain intake: {level_title}."
    if contributor:
        longer = f"Back pain intake: {level_title}; {contributor}."
        if len(longer) <= SUMMARY_LIMIT:
            return longer
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1] + "…"


def _detail(result: Assessment) -> str:
    first = result.first_action
    level = f"{first.title}. {first.text}" if first else result.disposition.text
    lines = [f"**Care level:** {level}", ""]
    confirmed = [reason for reason in result.reasons if reason.confirmed]
    open_ = [reason for reason in result.reasons if not reason.confirmed]
    if confirmed:
        lines += ["**Why:**", *(f"- {reason.tell}" for reason in confirmed), ""]
    if open_:
        lines += ["**Could not be ruled out (unanswered or unsure):**"]
        lines += [f"- {reason.summary}" for reason in open_[:3]]
        lines += [f"- and {len(open_) - 3} more"] if len(open_) > 3 else []
        lines.append("")
    if result.causes:
        lines += [
            "**Likely contributors:**",
            *(f"- {cause.name} ({cause.likelihood})" for cause in result.causes[:3]),
            "",
        ]
    lines.append(f"_Knowledge {result.knowledge.version}. {result.disclaimer}_")
    return "\n".join(lines)


def check_feedback(body: object) -> None:
    """Validate a feedback call's shape (CDS Hooks 2.0 §Feedback); we keep no record of it."""
    feedback = body.get("feedback") if isinstance(body, dict) else None
    if not isinstance(feedback, list):
        invalid(400, 'expected {"feedback": [...]}', "feedback", code="required")
    for index, entry in enumerate(feedback):
        where = f"feedback[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("card"), str):
            invalid(400, f"{where}.card is required", f"{where}.card", code="required")
        if entry.get("outcome") not in ("accepted", "overridden"):
            invalid(400, f"{where}.outcome must be accepted or overridden", f"{where}.outcome")
        if not isinstance(entry.get("outcomeTimestamp"), str):
            invalid(
                400,
                f"{where}.outcomeTimestamp is required",
                f"{where}.outcomeTimestamp",
                code="required",
            )
