"""QuestionnaireResponse <-> the engine's answers, for our Questionnaire's items.

Reading is strict about meaning and lenient about form: an answer must fit its finding
(checked by `answers.validate_answers`), but a yes/no may arrive as a boolean or as our
yes / no / not-sure coding, and a number as integer or decimal, since renderers differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from backspasm.engine.answers import UNSURE, AnswerError, Answers, AnswerValue, validate_answers
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.fhir import names
from backspasm.fhir.outcome import FhirInputError, Issue, invalid
from backspasm.fhir.questionnaire import answer_options, group_link_id, item_type

Json = dict[str, Any]

RESPONSE_STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
_CODES: dict[str, AnswerValue] = {names.YES: True, names.NO: False, names.UNSURE_CODE: UNSURE}


def answers_from_response(kb: KnowledgeBase, response: Json) -> Answers:
    """The answers in a QuestionnaireResponse, or FhirInputError (422) naming each problem."""
    status = response.get("status")
    if status not in RESPONSE_STATUSES:
        raise FhirInputError(
            422, [Issue("code-invalid", f"status {status!r} is not a response status", "status")]
        )
    if status == "entered-in-error":
        raise FhirInputError(
            422, [Issue("business-rule", "an entered-in-error response cannot be assessed")]
        )
    questionnaire = str(response.get("questionnaire", ""))
    local = questionnaire.startswith("#")
    if questionnaire and not local and questionnaire.split("|")[0] != names.INTAKE_URL:
        invalid(
            422,
            f"answers {questionnaire!r}; this server reads {names.INTAKE_URL}",
            "questionnaire",
            code="not-supported",
        )
    return answers_from_items(kb, as_list(response.get("item")))


def answers_from_items(kb: KnowledgeBase, items: object) -> Answers:
    raw: dict[str, AnswerValue] = {}
    issues: list[Issue] = []
    ignorable = {group_link_id(spec.id) for spec in kb.screens.screens}
    for item in _walk(as_list(items)):
        link_id = str(item.get("linkId", ""))
        where = f"QuestionnaireResponse.repeat(item).where(linkId='{link_id}')"
        answers = as_list(item.get("answer"))
        if link_id not in kb.findings:
            if answers and link_id not in ignorable:
                issues.append(Issue("value", f"{link_id!r} is not a question we ask", where))
            continue
        if not answers:
            continue
        if len(answers) > 1 or link_id in raw:
            issues.append(Issue("value", f"{link_id}: expected one answer", where))
            continue
        value = _value(kb, link_id, answers[0]) if isinstance(answers[0], dict) else None
        if value is None:
            expected = _expected(kb, link_id)
            issues.append(Issue("value", f"{link_id}: expected {expected}", f"{where}.answer"))
            continue
        raw[link_id] = value
    try:
        clean = validate_answers(kb, raw)
    except AnswerError as error:
        issues.extend(
            Issue(
                "value",
                str(problem),
                f"QuestionnaireResponse.repeat(item).where(linkId='{problem.field}').answer",
            )
            for problem in error.problems
        )
        clean = {}
    if issues:
        raise FhirInputError(422, issues)
    return clean


def response_for(kb: KnowledgeBase, answers: Answers, status: str = "completed") -> Json:
    """A QuestionnaireResponse to our intake Questionnaire carrying these answers."""
    groups = [
        (
            spec.id,
            [
                {"linkId": name, "answer": [_answer(kb, name, answers[name])]}
                for name in spec.rows
                if name in answers
            ],
        )
        for spec in kb.screens.screens
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{names.INTAKE_URL}|{kb.version}",
        "status": status,
        "item": [{"linkId": group_link_id(g), "item": items} for g, items in groups if items],
    }


def _walk(items: list[Json]) -> Iterator[Json]:
    """Every item, nested ones too; anything not an item (JSON null, a string) is skipped."""
    for item in items:
        if not isinstance(item, dict):
            continue
        yield item
        yield from _walk(as_list(item.get("item")))
        for answer in as_list(item.get("answer")):
            if isinstance(answer, dict):
                yield from _walk(as_list(answer.get("item")))


def as_list(value: object) -> list[Any]:
    """A JSON array as a list; null or any other value (the wrong shape) as none."""
    return value if isinstance(value, list) else []


def _value(kb: KnowledgeBase, name: str, answer: Json) -> AnswerValue | None:
    finding = kb.findings[name]
    if finding.type == "bool":
        if isinstance(answer.get("valueBoolean"), bool):
            return bool(answer["valueBoolean"])
        code = _code(answer)
        return _CODES.get(code) if code is not None else None
    if finding.type == "choice":
        text = answer.get("valueString")
        return _code(answer) or (text if isinstance(text, str) else None)
    number = answer.get("valueInteger", answer.get("valueDecimal"))
    if isinstance(number, int | float) and not isinstance(number, bool):
        return number
    return None


def _code(answer: Json) -> str | None:
    coding = answer.get("valueCoding")
    if not isinstance(coding, dict):
        return None
    if coding.get("system", names.ANSWER_SYSTEM) != names.ANSWER_SYSTEM:
        return None
    code = coding.get("code")
    return code if isinstance(code, str) else None


def _expected(kb: KnowledgeBase, name: str) -> str:
    finding = kb.findings[name]
    options = [coding["code"] for coding in answer_options(finding)]
    if finding.type == "bool":
        return "valueBoolean" + (f" or valueCoding {options}" if options else "")
    if options:
        return f"valueCoding from {names.ANSWER_SYSTEM}: {options}"
    return "valueInteger" if finding.type == "int" else "valueDecimal or valueInteger"


def _answer(kb: KnowledgeBase, name: str, value: AnswerValue) -> Json:
    finding = kb.findings[name]
    kind = item_type(finding)
    if kind == "boolean":
        return {"valueBoolean": value}
    if kind == "choice":
        code = value if finding.type == "choice" else _code_for(value)
        coding = next(c for c in answer_options(finding) if c["code"] == code)
        return {"valueCoding": coding}
    if kind == "integer":
        return {"valueInteger": value}
    return {"valueDecimal": value}


def _code_for(value: AnswerValue) -> str:
    if value == UNSURE:
        return names.UNSURE_CODE
    return names.YES if value is True else names.NO
