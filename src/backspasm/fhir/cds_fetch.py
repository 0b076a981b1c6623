"""Read the prefetch data a CDS client did not send from its FHIR server (CDS Hooks 2.0,
"FHIR resource access"), but only from servers the operator allows.

The client names `fhirServer` in the request, so an open fetch would let anyone make this
service call any URL; the `cds_fhir_servers` setting (BACKSPASM_CDS_FHIR_SERVERS) is the
allowlist, empty by default, and the service answers 412 for any other server. What a server
returns is read with the same limits as a request body: size, nesting depth, JSON.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from backspasm.fhir.structure import MAX_DEPTH, nesting_depth

Json = dict[str, Any]
TIMEOUT_SECONDS = 3.0  # the spec asks services to answer in about half a second
MAX_REPLY_BYTES = 5_000_000


class FetchError(Exception):
    """The FHIR server could not give us a resource we need."""


def is_allowed(server: object, allowed: tuple[str, ...]) -> bool:
    return isinstance(server, str) and server.rstrip("/") in allowed


async def complete_prefetch(
    request: Json, missing: dict[str, str], allowed: tuple[str, ...]
) -> Json:
    """The request with the missing prefetch read from its FHIR server, when that server is
    allowed and the intake is missing. The intake must be readable (else FetchError); the
    pain score is optional, since the intake usually carries it."""
    server = request.get("fhirServer")
    if "intake" not in missing or not isinstance(server, str) or not is_allowed(server, allowed):
        return request
    authorization = request.get("fhirAuthorization")
    fetched = await fetch(server, authorization, {"intake": missing["intake"]})
    if "pain" in missing:
        with contextlib.suppress(FetchError):
            fetched |= await fetch(server, authorization, {"pain": missing["pain"]})
    sent = request.get("prefetch")
    return {**request, "prefetch": {**(sent if isinstance(sent, dict) else {}), **fetched}}


async def fetch(server: str, authorization: object, queries: dict[str, str]) -> Json:
    """Each query's result (a search Bundle) by prefetch key; FetchError on any failure."""
    import httpx

    headers = {"Accept": "application/fhir+json"}
    if isinstance(authorization, dict) and isinstance(authorization.get("access_token"), str):
        headers["Authorization"] = f"Bearer {authorization['access_token']}"
    out: Json = {}
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
        for key, query in queries.items():
            url = f"{server.rstrip('/')}/{query}"
            try:
                async with client.stream("GET", url, headers=headers) as reply:
                    if reply.status_code != 200:
                        raise FetchError(f"{key}: the FHIR server answered {reply.status_code}")
                    raw = bytearray()
                    async for chunk in reply.aiter_bytes():
                        raw += chunk
                        if len(raw) > MAX_REPLY_BYTES:
                            raise FetchError(f"{key}: the FHIR server's reply is too large")
            except httpx.HTTPError as error:
                raise FetchError(
                    f"{key}: {type(error).__name__} reading the FHIR server"
                ) from error
            if nesting_depth(bytes(raw)) > MAX_DEPTH:
                raise FetchError(f"{key}: the FHIR server's reply nests too deep")
            try:
                body = json.loads(raw)
            except (ValueError, RecursionError) as error:
                raise FetchError(f"{key}: the FHIR server did not return JSON") from error
            if not isinstance(body, dict):
                raise FetchError(f"{key}: the FHIR server did not return a resource")
            out[key] = body
    return out
