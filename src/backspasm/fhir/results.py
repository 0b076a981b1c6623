"""An Assessment as a FHIR R4 Bundle: the response, a RiskAssessment, a CarePlan, the pain
score Observation and a Provenance naming the knowledge version and content hash.

Pure: the caller passes `now`. Resource ids are UUIDs derived from the response and the
knowledge hash, so the same answers on the same knowledge give the same Bundle.

Terminology: the care level, contributors and care activities use our own code systems
(`names`); qualitativeRisk uses HL7 risk-probability, whose R4 codes were checked in the R4
definitions package; the pain score is LOINC 72514-3 (interop notes §1.5).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from backspasm.engine.assessment import Assessment, LikelyContributor, SafetyNetItem
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.fhir import names
from backspasm.messages import messages
from backspasm.version import __version__

Json = dict[str, Any]

# Our likelihood words are points on a scale, never probabilities (see `causes`); they map onto
# the qualitative risk-probability codes, and the original word is kept as the text.
RISK_CODES = {"likely": "high", "possible": "moderate", "less likely": "low"}


def assessment_bundle(
    kb: KnowledgeBase, assessment: Assessment, response: Json, now: datetime
) -> Json:
    if now.tzinfo is None:
        raise ValueError("now must carry a timezone: FHIR instants do")
    seed = hashlib.sha256(
        json.dumps(response, sort_keys=True).encode() + kb.content_hash.encode()
    ).hexdigest()

    def full_url(kind: str) -> str:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{names.CANONICAL}/{seed}/{kind}')}"

    urls = {kind: full_url(kind) for kind in ("qr", "risk", "plan", "pain", "provenance")}
    subject = response.get("subject") or {"display": "the person who answered the intake"}
    authored = response.get("authored")
    pain = assessment.answers.get(names.PAIN_FINDING)
    has_pain = isinstance(pain, int) and not isinstance(pain, bool)
    resources: list[tuple[str, Json]] = [("qr", response)]
    if isinstance(pain, int) and not isinstance(pain, bool):
        resources.append(("pain", _pain(urls, subject, authored, pain)))
    resources.append(("risk", _risk(assessment, urls, subject, authored, has_pain)))
    resources.append(("plan", _plan(assessment, urls, subject, now)))
    resources.append(("provenance", _provenance(kb, [urls[k] for k, _ in resources], urls, now)))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": [
            {"fullUrl": urls[kind], "resource": _with_id(resource, urls[kind])}
            for kind, resource in resources
        ],
    }


def _with_id(resource: Json, url: str) -> Json:
    if "id" in resource:
        return resource
    return {"resourceType": resource["resourceType"], "id": url.rsplit(":", 1)[1], **resource}


def _ref(url: str) -> Json:
    return {"reference": url}


def _pain(urls: dict[str, str], subject: Json, authored: object, value: int) -> Json:
    observation: Json = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {"system": names.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
                ]
            }
        ],
        "code": {
            "coding": [
                {
                    "system": names.LOINC,
                    "code": names.PAIN_SEVERITY_LOINC,
                    "display": names.PAIN_SEVERITY_DISPLAY,
                }
            ],
            "text": "Worst pain in the last 24 hours, 0-10",
        },
        "subject": subject,
    }
    if authored:
        observation["effectiveDateTime"] = authored
    observation["valueInteger"] = value
    observation["derivedFrom"] = [_ref(urls["qr"])]
    return observation


def _risk(
    assessment: Assessment, urls: dict[str, str], subject: Json, authored: object, pain: bool
) -> Json:
    level = assessment.disposition
    reasons = [
        ("" if reason.confirmed else "not ruled out: ") + reason.summary
        for reason in assessment.reasons
    ]
    care_level: Json = {
        "outcome": {
            "coding": [
                {"system": names.CARE_LEVEL_SYSTEM, "code": level.id, "display": level.text}
            ],
            "text": f"Care level: {level.text}",
        }
    }
    if reasons:
        care_level["rationale"] = " ".join(reasons)
    risk: Json = {
        "resourceType": "RiskAssessment",
        "status": "final",
        "code": {"text": "backspasm back pain triage: care level and likely contributors"},
        "subject": subject,
    }
    if authored:
        risk["occurrenceDateTime"] = authored
    risk["basis"] = [_ref(urls["qr"])] + ([_ref(urls["pain"])] if pain else [])
    risk["prediction"] = [care_level, *(_contributor(cause) for cause in assessment.causes)]
    risk["mitigation"] = _first_instruction(assessment)
    risk["note"] = [{"text": assessment.disclaimer}]
    return risk


def _contributor(cause: LikelyContributor) -> Json:
    prediction: Json = {
        "outcome": {
            "coding": [
                {"system": names.CONTRIBUTOR_SYSTEM, "code": cause.id, "display": cause.name}
            ],
            "text": cause.name,
        },
        "qualitativeRisk": {
            "coding": [{"system": names.RISK_PROBABILITY, "code": RISK_CODES[cause.likelihood]}],
            "text": cause.likelihood,
        },
    }
    parts = []
    if cause.likely_because:
        parts.append("More likely because " + "; ".join(cause.likely_because) + ".")
    if cause.less_likely_because:
        parts.append("Less likely because " + "; ".join(cause.less_likely_because) + ".")
    if parts:
        prediction["rationale"] = " ".join(parts)
    return prediction


def _plan(assessment: Assessment, urls: dict[str, str], subject: Json, now: datetime) -> Json:
    activities: list[Json] = []
    for item in assessment.plan:
        text = item.text
        if item.check_first:
            text += " Check first: " + "; ".join(item.check_first) + "."
        timing = messages("plan_stage_timing")[item.stage]
        activities.append(_activity(item.id, item.title, text, timing))
    for withheld in assessment.withheld:
        activity = _activity(
            withheld.id, withheld.title, "Not advised for you: " + "; ".join(withheld.because) + "."
        )
        activity["detail"]["doNotPerform"] = True
        activities.append(activity)
    check_in = assessment.check_in
    activities.append(
        _activity(
            "check_in", "Check in again", check_in.text, f"within {check_in.within_days} days"
        )
    )
    return {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": "backspasm care plan",
        "description": _first_instruction(assessment),
        "subject": subject,
        "created": now.isoformat(),
        "supportingInfo": [_ref(urls["risk"]), _ref(urls["qr"])],
        "activity": activities,
        "note": [{"text": _safety_net_note(sign)} for sign in assessment.safety_net],
    }


def _safety_net_note(sign: SafetyNetItem) -> str:
    """A warning sign and what to do; a sign's own first action is a whole instruction."""
    if sign.first_action:
        return f"Get help if: {sign.sign}. {sign.action_text}"
    return f"Get help ({sign.action_text}) if: {sign.sign}"


def _first_instruction(assessment: Assessment) -> str:
    """What the person was told to do first: the level's first action where the knowledge
    marks one (ring the maternity unit), else the level's own instruction."""
    first = assessment.first_action
    return f"{first.title}. {first.text}" if first else assessment.disposition.text


def _activity(code: str, title: str, text: str, timing: str = "") -> Json:
    detail: Json = {
        "code": {
            "coding": [{"system": names.CARE_ACTIVITY_SYSTEM, "code": code, "display": title}],
            "text": title,
        },
        "status": "not-started",
    }
    if timing:
        detail["scheduledString"] = timing
    detail["description"] = text
    return {"detail": detail}


def _provenance(kb: KnowledgeBase, targets: list[str], urls: dict[str, str], now: datetime) -> Json:
    return {
        "resourceType": "Provenance",
        "target": [_ref(url) for url in targets if url != urls["qr"]],
        "recorded": now.isoformat(),
        "agent": [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                            "code": "assembler",
                            "display": "Assembler",
                        }
                    ]
                },
                "who": {"display": f"backspasm {__version__}"},
            }
        ],
        "entity": [
            {"role": "source", "what": _ref(urls["qr"])},
            {
                "role": "source",
                "what": {
                    "identifier": {
                        "system": names.KNOWLEDGE_SYSTEM,
                        "value": f"{kb.version}+sha256.{kb.content_hash}",
                    },
                    "display": f"backspasm knowledge {kb.version} (sha256 {kb.content_hash})",
                },
            },
        ],
    }
