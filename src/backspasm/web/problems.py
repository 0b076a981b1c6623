"""Errors as answers: every bad request gets a 4xx that names the field and why, never a 500.

Engine answer problems and FastAPI's own validation errors share one shape,
`{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`, the shape FastAPI documents for 422.
The offending input is not echoed back: it may hold health data, or values JSON cannot carry.
Every reply is bounded: at most MAX_PROBLEMS problems, each text cut to MAX_TEXT characters,
and text JSON cannot carry (a lone surrogate) replaced, so a huge or odd request gets a small
answer.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from backspasm.engine.answers import AnswerError
from backspasm.messages import message
from backspasm.web.templating import render

MAX_PROBLEMS = 20
MAX_TEXT = 200


def bounded(detail: object) -> object:
    """The detail of an error reply, cut down to a size that never grows with the input."""
    if isinstance(detail, list):
        kept: list[object] = [bounded(item) for item in detail[:MAX_PROBLEMS]]
        if len(detail) > MAX_PROBLEMS:
            kept.append(
                {"loc": [], "msg": f"and {len(detail) - MAX_PROBLEMS} more", "type": "more"}
            )
        return kept
    if isinstance(detail, dict):
        return {_text(key): bounded(value) for key, value in list(detail.items())[:MAX_PROBLEMS]}
    if isinstance(detail, str):
        return _text(detail)
    if detail is None or isinstance(detail, bool | int | float):
        return detail
    return _text(str(detail))


def _text(value: object) -> str:
    text = str(value)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return text.encode("utf-8", "replace").decode("utf-8")


def problem_reply(detail: object, status_code: int = 422) -> JSONResponse:
    return JSONResponse({"detail": bounded(detail)}, status_code=status_code)


async def answer_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, AnswerError)
    detail = [
        {"loc": ["body", "answers", problem.field], "msg": problem.reason, "type": "answer"}
        for problem in error.problems
    ]
    return problem_reply(detail)


async def validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    detail = [
        {
            "loc": [str(part) for part in item.get("loc", ())],
            "msg": str(item.get("msg", "")),
            "type": str(item.get("type", "")),
        }
        for item in error.errors()
    ]
    return problem_reply(detail)


async def http_error(request: Request, error: Exception) -> Response:
    """JSON for the API and machines; a readable page for people."""
    assert isinstance(error, HTTPException)
    wants_page = "text/html" in request.headers.get("accept", "")
    is_api = request.url.path.startswith("/api/")
    if is_api and error.status_code == 400:  # a body that is not even text: still bad input
        detail = [{"loc": ["body"], "msg": "could not be read as JSON", "type": "json_invalid"}]
        return problem_reply(detail)
    if is_api or not wants_page:
        return JSONResponse(
            {"detail": bounded(error.detail)}, status_code=error.status_code, headers=error.headers
        )
    missing = error.status_code == 404
    not_found, failed = message("errors", "not_found_title"), message("errors", "failed_title")
    heading = not_found if missing else failed
    # a route that knows why (a diary link that is wrong or deleted) says so in its own words
    told = _text(error.detail) if error.detail and error.detail != "Not Found" else ""
    text = (told or message("errors", "not_found")) if missing else _text(error.detail)
    return render(
        request,
        "error.html",
        heading,
        status_code=error.status_code,
        heading=heading,
        text=text,
    )
