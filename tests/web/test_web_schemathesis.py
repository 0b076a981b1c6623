"""schemathesis against our OpenAPI schema, over HTTP to the real server: generated requests
never cause a 500, and every response matches the schema (status, content type, body).

The schema is read from the app object at collection time (schemathesis' lazy fixture loader
does not work with pytest 9) and checked to be the very schema the server publishes.
Bounded: at most 60 generated requests per operation.
"""

from __future__ import annotations

import httpx
import schemathesis
from hypothesis import HealthCheck, settings

from backspasm.web.app import create_app
from backspasm.web.settings import load_settings

SCHEMA = create_app(load_settings(database_url="sqlite://")).openapi()
schema = schemathesis.openapi.from_dict(SCHEMA)


def test_the_fuzzed_schema_is_the_served_one(http: httpx.Client) -> None:
    assert http.get("/openapi.json").json() == SCHEMA


@schema.parametrize()
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_and_never_fails(case: schemathesis.Case, server: str) -> None:
    case.call_and_validate(base_url=server)
