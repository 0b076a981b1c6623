"""The URLs, code systems and profiles our resources use, named once.

`CANONICAL` identifies backspasm's own artefacts. It is a placeholder under the reserved
`.example` domain (RFC 2606) until the project has a published home; change it here only,
since every canonical URL, code system and golden file derives from it.
"""

from __future__ import annotations

CANONICAL = "https://backspasm.example/fhir"
INTAKE_ID = "backspasm-intake"
INTAKE_URL = f"{CANONICAL}/Questionnaire/{INTAKE_ID}"

# Our own code systems: answer codes, the care levels (dispositions) and the contributors.
ANSWER_SYSTEM = f"{CANONICAL}/CodeSystem/answer"
CARE_LEVEL_SYSTEM = f"{CANONICAL}/CodeSystem/care-level"
CONTRIBUTOR_SYSTEM = f"{CANONICAL}/CodeSystem/contributor"
CARE_ACTIVITY_SYSTEM = f"{CANONICAL}/CodeSystem/care-activity"
KNOWLEDGE_SYSTEM = f"{CANONICAL}/knowledge"

YES, NO, UNSURE_CODE = "yes", "no", "unsure"

# LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating [Score] - Reported": verified in
# shared/research/interop.md §1.5. It is the only external clinical code we emit.
LOINC = "http://loinc.org"
PAIN_SEVERITY_LOINC = "72514-3"
PAIN_SEVERITY_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
PAIN_FINDING = "pain_severity"

# HL7 terminology, all from the R4 specification's own code systems.
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"

# Profiles: LHC-Forms reads the FHIR version from the SDC profile's version (>= 2.1 is R4).
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition"
SDC_QUESTIONNAIRE = f"{SDC}/sdc-questionnaire|3.0.0"
SDC_QUESTIONNAIRE_ADAPT = f"{SDC}/sdc-questionnaire-adapt|3.0.0"
SDC_RESPONSE_ADAPT = f"{SDC}/sdc-questionnaireresponse-adapt|3.0.0"

# Extensions (core R4 and SDC 3.0).
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
EXT_ENABLE_WHEN_EXPRESSION = f"{SDC}/sdc-questionnaire-enableWhenExpression"
EXT_OBSERVATION_EXTRACT = f"{SDC}/sdc-questionnaire-observationExtract"
EXT_ADAPTIVE = f"{SDC}/sdc-questionnaire-questionnaireAdaptive"

UCUM = "http://unitsofmeasure.org"
