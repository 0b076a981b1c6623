"""A real third-party SDC renderer: LHC-Forms in Debian's Chromium renders our Questionnaire
(fetched from our endpoint), a person fills it in, and the QuestionnaireResponse LHC-Forms
produces is posted to our intake. The result must equal `assess()` on what the person
entered, and the questions LHC-Forms shows must be exactly those the engine would ask.

Screenshots of the filled forms go to artifacts/ for a human look.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fhir_support import ROOT

from backspasm.engine.answers import UNSURE, AnswerValue, facts_from, validate_answers
from backspasm.engine.assessment import assess
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.fhir.questionnaire import answer_options
from backspasm.fhir.responses import answers_from_response

# Two people, answering in the order the form shows the questions. Between them they use
# every item type, "I'm not sure", a question opened by enableWhen (both legs), and questions
# hidden by enableWhen (belly pain under 50) and by an enableWhenExpression (pregnancy).
PEOPLE: dict[str, dict[str, AnswerValue]] = {
    "saddle-numbness-unsure": {
        "age": 41,
        "sex": "female",
        "pregnant": False,
        "pain_duration_days": 3,
        "pain_severity": 8,
        "pain_course": "worsening",
        "onset_sudden": True,
        "leg_pain_below_knee": True,
        "leg_numbness_tingling": UNSURE,
        "leg_pain_both_legs": False,
        "saddle_numbness": UNSURE,
        "bladder_retention": True,
        "trigger_lifting": True,
        "fever": False,
        "known_disc_problem": True,
    },
    "lifting-strain": {
        "age": 34,
        "sex": "male",
        "pain_duration_days": 1.5,
        "pain_severity": 5,
        "pain_course": "unchanged",
        "muscle_spasms": True,
        "stiffness": True,
        "pain_worse_with_movement": True,
        "pain_at_rest_and_night": False,
        "leg_pain_below_knee": False,
        "leg_numbness_tingling": False,
        "leg_weakness": False,
        "saddle_numbness": False,
        "bladder_retention": False,
        "bladder_incontinence": False,
        "bowel_incontinence": False,
        "trigger_lifting": True,
        "trauma_major": False,
        "fever": False,
        "weight_loss_unexplained": False,
        "history_of_cancer": False,
    },
}


def _question(page: Any, text: str) -> Any:
    return page.locator("lhc-item.lhc-item-question").filter(has=page.get_by_text(text, exact=True))


def _fill(page: Any, kb: KnowledgeBase, name: str, value: AnswerValue) -> None:
    """Answer one question the way a person does: find it by its words, type or click."""
    finding = kb.findings[name]
    item = _question(page, finding.question)
    assert item.count() == 1, f"{name} is not on the page"
    if finding.type in ("int", "number"):
        field = item.locator("input:not([readonly])")  # the unit box beside it is read-only
        field.click()
        field.press_sequentially(str(value))
        field.press("Tab")
        return
    if finding.type == "bool" and not finding.unsure:
        label = "Yes" if value is True else "No"
    else:
        code = (
            value
            if finding.type == "choice"
            else {True: "yes", False: "no", UNSURE: "unsure"}[value]
        )
        label = next(o["display"] for o in answer_options(finding) if o["code"] == code)
    item.get_by_text(label, exact=True).click()


@pytest.mark.parametrize("person", list(PEOPLE))
def test_lhc_forms_round_trip(
    browser: Any, server: str, http: httpx.Client, kb: KnowledgeBase, validate: Any, person: str
) -> None:
    intended = validate_answers(kb, PEOPLE[person])
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/lhc/")
    page.wait_for_function("window.__ready || window.__error", timeout=60_000)
    assert page.evaluate("window.__error || null") is None
    assert page.evaluate("LForms.lformsVersion") == "40.1.3"

    for name, value in intended.items():
        _fill(page, kb, name, value)

    # The renderer shows exactly the gated questions the engine would ask for these answers.
    facts = facts_from(kb, intended)
    for name, finding in kb.findings.items():
        if finding.ask_when is None:
            continue
        shown = _question(page, finding.question).count() == 1
        asks = finding.ask_when.evaluate(facts.values) is not False
        assert shown == asks, f"{name}: LHC-Forms shows it: {shown}, engine asks it: {asks}"

    (ROOT / "artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "artifacts" / f"lhc-forms-{person}.png"), full_page=True)
    response = page.evaluate(
        "LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', 'formContainer')"
    )
    page.close()
    assert errors == []

    # LHC-Forms' own QuestionnaireResponse carries exactly what the person entered ...
    assert response["questionnaire"].startswith("https://backspasm.example/fhir/Questionnaire/")
    assert validate(response) == {"models": [], "schema": [], "invariants": []}
    assert answers_from_response(kb, response) == intended

    # ... and our intake turns it into the assessment the engine gives for those answers.
    reply = http.post("/fhir/QuestionnaireResponse", json=response)
    assert reply.status_code == 200, reply.text
    resources = {e["resource"]["resourceType"]: e["resource"] for e in reply.json()["entry"]}
    expected = assess(kb, intended)
    level, *contributors = resources["RiskAssessment"]["prediction"]
    assert level["outcome"]["coding"][0]["code"] == expected.disposition.id
    assert [c["outcome"]["coding"][0]["code"] for c in contributors] == [
        c.id for c in expected.causes
    ]
    assert [
        a["detail"]["code"]["coding"][0]["code"] for a in resources["CarePlan"]["activity"]
    ] == [
        *(p.id for p in expected.plan),
        *(w.id for w in expected.withheld),
        "check_in",
    ]
    assert resources["Observation"]["valueInteger"] == intended["pain_severity"]
