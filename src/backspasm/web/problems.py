"""Errors as answers: every bad request gets a 4xx that names the field and why, never a 500.

Engine answer problems and FastAPI's own validation errors share one shape,
`{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`, the shape FastAPI documents for 422.
The offending input is not echoed back: it may hold health data, or values JSON cannot carry.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from backspasm.engine.answers import AnswerError
from backspasm.web.templating import render


async def answer_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, AnswerError)
    detail = [
        {"loc": ["body", "answers", problem.field], "msg": problem.reason, "type": "answer"}
        for problem in error.problems
    ]
    return JSONResponse({"detail": detail}, status_code=422)


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
    return JSONResponse({"detail": detail}, status_code=422)


async def http_error(request: Request, error: Exception) -> Response:
    """JSON for the API and machines; a readable page for people."""
    assert isinstance(error, HTTPException)
    wants_page = "text/html" in request.headers.get("accept", "")
    is_api = request.url.path.startswith("/api/")
    if is_api and error.status_code == 400:  # a body that is not even text: still bad input
        detail = [{"loc": ["body"], "msg": "could not be read as JSON", "type": "json_invalid"}]
        return JSONResponse({"detail": detail}, status_code=422)
    if is_api or not wants_page:
        return JSONResponse(
            {"detail": error.detail}, status_code=error.status_code, headers=error.headers
        )
    missing = error.status_code == 404
    heading = "Page not found" if missing else "Something went wrong"
    # a route that knows why (a diary link that is wrong or deleted) says so in its own words
    told = str(error.detail) if error.detail and error.detail != "Not Found" else ""
    message = (told or "This page does not exist.") if missing else str(error.detail)
    return render(
        request,
        "error.html",
        heading,
        status_code=error.status_code,
        heading=heading,
        message=message,
    )
