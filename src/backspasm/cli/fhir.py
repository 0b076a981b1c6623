"""FHIR exports from the command line: the intake Questionnaire and a result Bundle."""

from __future__ import annotations

import json

import typer

from backspasm.cli.input import validated_answers
from backspasm.cli.options import AnswersFile

app = typer.Typer()
fhir_app = typer.Typer(
    help="FHIR R4 / SDC exports for EHRs and form renderers.", no_args_is_help=True
)
app.add_typer(fhir_app, name="fhir")


@fhir_app.command("questionnaire")
def fhir_questionnaire() -> None:
    """Print the intake form as an R4 SDC Questionnaire (JSON), generated from the knowledge."""
    from backspasm.cli.knowledge import knowledge
    from backspasm.fhir.questionnaire import build_questionnaire

    print(json.dumps(build_questionnaire(knowledge()), indent=2, ensure_ascii=False))


@fhir_app.command("bundle")
def fhir_bundle(
    answers: AnswersFile,
) -> None:
    """Assess answers and print the result as a FHIR Bundle (RiskAssessment, CarePlan, ...)."""
    from datetime import UTC, datetime

    from backspasm.cli.knowledge import knowledge
    from backspasm.engine.assessment import assess as run_assessment
    from backspasm.fhir.responses import response_for
    from backspasm.fhir.results import assessment_bundle

    kb = knowledge()
    clean = validated_answers(kb, answers)
    now = datetime.now(UTC).replace(microsecond=0)
    bundle = assessment_bundle(kb, run_assessment(kb, clean), response_for(kb, clean), now)
    print(json.dumps(bundle, indent=2, ensure_ascii=False))
