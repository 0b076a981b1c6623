"""The gate every request passes, before any route: limits, cross-site refusal, headers.

One ASGI middleware (pure ASGI, so it sees the body as it arrives):

- Size: a body longer than `max_body_bytes` is refused with 413 as soon as its length is
  known (Content-Length) or, when it streams, as soon as it passes the limit; nothing larger
  is ever held. A client that stops sending mid-body for `header_timeout` seconds gets 408.
- Depth: a JSON body nesting deeper than `structure.MAX_DEPTH` is refused with 400 before any
  parser recurses into it.
- Cross-site: a state-changing request (POST, PUT, PATCH, DELETE) a browser sends from another
  site is refused with 403: `Sec-Fetch-Site`, when sent, must be same-origin (or none);
  without it, an `Origin` header must be this site's (the `public_url` setting's origin, else
  the request's Host). Browsers send `Origin: null` for a form posted from a page with
  `Referrer-Policy: no-referrer` (all of ours), so Sec-Fetch-Site decides when present.
  Requests without either header come from programs, which carry no ambient credentials.
- Rate: creating episodes and adding diary entries are limited per client (`rate_limit`);
  the client is the peer address, or X-Forwarded-For from a trusted proxy (uvicorn's
  `forwarded_allow_ips` from `trusted_proxies`). 429 with Retry-After beyond it.
- Headers: every reply carries `X-Content-Type-Options: nosniff`; replies of the API, the
  diary and FHIR are `Cache-Control: no-store` unless the route said otherwise; an HTML page
  that set no Content-Security-Policy gets the site's default page headers.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.exceptions import HTTPException

from backspasm.fhir.structure import MAX_DEPTH, nesting_depth
from backspasm.messages import message
from backspasm.web.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

CHANGES_STATE = {"POST", "PUT", "PATCH", "DELETE"}
SAME_SITE_FETCHES = {"same-origin", "none"}
# (bucket, method, path) of the requests that create something, limited per client.
CREATES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("episodes", "POST", re.compile(r"/api/episodes/?|/diary/?")),
    ("entries", "POST", re.compile(r"/api/episodes/[^/]+/diary/?|/diary/[^/]+/?")),
)
PRIVATE_PREFIXES = ("/api/", "/diary", "/fhir/", "/cds-services")
JSON_TYPES = ("application/json", "application/fhir+json", "+json")
# For an HTML reply whose route set no policy (`templating.render` sets the full one): no
# script at all, styles from the page itself, no framing by other sites, no referrer.
FALLBACK_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'none'; object-src 'none'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "no-referrer",
}


class RefusedError(HTTPException):
    """A request refused by the guard. Raised while a route reads its body, it is an
    HTTPException like any other (the app's error handler answers it); raised before the
    route, the guard answers it."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(status, message, headers)
        self.status = status
        self.message = message
        self.refusal_headers = headers or {}


class Guard:
    def __init__(self, app: App, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.limit = settings.body_limit
        self.timeout = float(settings.header_timeout)
        self.rate = parse(settings.rate_limit)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        public = urlsplit(settings.public_url) if settings.public_url else None
        self.origin = f"{public.scheme}://{public.netloc}" if public else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(event: Message) -> None:
            nonlocal started
            if event["type"] == "http.response.start":
                started = True
                event["headers"] = self._headers(scope, list(event.get("headers", [])))
            await send(event)

        try:
            self._check_origin(scope)
            self._check_rate(scope)
            receive = await self._bounded(scope, receive)
            await self.app(scope, receive, send_with_headers)
        except RefusedError as refusal:
            if started:
                raise
            await self._refuse(scope, send_with_headers, refusal)

    # --- checks ------------------------------------------------------------------------------
    def _check_origin(self, scope: Scope) -> None:
        if scope["method"] not in CHANGES_STATE:
            return
        headers = _headers_of(scope)
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None:  # the browser says where the request comes from
            if fetch_site not in SAME_SITE_FETCHES:
                raise RefusedError(403, message("refused", "other_site"))
            return  # (its Origin may be "null": our pages send no referrer)
        origin = headers.get("origin")
        if origin is not None and origin.rstrip("/") != self._own_origin(scope, headers):
            raise RefusedError(403, message("refused", "other_site"))

    def _own_origin(self, scope: Scope, headers: dict[str, str]) -> str:
        if self.origin:
            return self.origin
        return f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"

    def _check_rate(self, scope: Scope) -> None:
        path, method = scope["path"], scope["method"]
        bucket = next((b for b, m, p in CREATES if m == method and p.fullmatch(path)), None)
        if bucket is None:
            return
        client = scope.get("client")
        who = client[0] if client else "unknown"
        if not self.limiter.hit(self.rate, bucket, who):
            reset = self.limiter.get_window_stats(self.rate, bucket, who).reset_time
            wait = max(1, math.ceil(reset - _now()))
            raise RefusedError(
                429,
                message("refused", "too_many"),
                {"Retry-After": str(wait)},
            )

    async def _bounded(self, scope: Scope, receive: Receive) -> Receive:
        """The body, counted and timed as it arrives; JSON bodies are read whole (they are
        small, by the limit) so their nesting can be checked before anyone parses them."""
        headers = _headers_of(scope)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            raise RefusedError(413, message("refused", "too_large", limit=self.limit))
        received = 0

        async def counted() -> Message:
            nonlocal received
            try:
                event = await asyncio.wait_for(receive(), self.timeout)
            except TimeoutError:
                raise RefusedError(408, message("refused", "too_slow")) from None
            if event["type"] == "http.request":
                received += len(event.get("body", b""))
                if received > self.limit:
                    raise RefusedError(413, message("refused", "too_large", limit=self.limit))
            return event

        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if scope["method"] not in CHANGES_STATE or not kind.endswith(JSON_TYPES):
            return counted
        body = bytearray()
        while True:
            event = await counted()
            if event["type"] != "http.request":
                return _replay(bytes(body), event, receive)
            body += event.get("body", b"")
            if not event.get("more_body", False):
                break
        if nesting_depth(bytes(body)) > MAX_DEPTH:
            raise RefusedError(400, message("refused", "too_deep", depth=MAX_DEPTH))
        return _replay(bytes(body), None, receive)

    # --- replies -----------------------------------------------------------------------------
    def _headers(self, scope: Scope, raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        present = {name.lower() for name, _ in raw}
        extra: dict[str, str] = {"X-Content-Type-Options": "nosniff"}
        if scope["path"].startswith(PRIVATE_PREFIXES):
            extra["Cache-Control"] = "no-store"
        content_type = next((v for n, v in raw if n.lower() == b"content-type"), b"")
        if content_type.startswith(b"text/html") and b"content-security-policy" not in present:
            extra.update(FALLBACK_PAGE_HEADERS)
        for name, value in extra.items():
            if name.lower().encode() not in present:
                raw.append((name.lower().encode(), value.encode()))
        return raw

    async def _refuse(self, scope: Scope, send: Send, refusal: RefusedError) -> None:
        headers = _headers_of(scope)
        wants_page = "text/html" in headers.get("accept", "") and not scope["path"].startswith(
            ("/api/", "/fhir/", "/cds-services")
        )
        if wants_page:
            from html import escape

            title = escape(message("refused", "title"))
            body = (
                "<!doctype html><html lang=en><meta charset=utf-8>"
                f"<title>{title}</title><h1>{title}</h1><p>{escape(refusal.message)}</p>"
            ).encode()
            kind = b"text/html; charset=utf-8"
        else:
            body = json.dumps({"detail": refusal.message}).encode()
            kind = b"application/json"
        raw = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
        raw += [(k.lower().encode(), v.encode()) for k, v in refusal.refusal_headers.items()]
        if refusal.status in (408, 413):
            raw.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": refusal.status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


def _headers_of(scope: Scope) -> dict[str, str]:
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
    }


def _replay(body: bytes, after: Message | None, receive: Receive) -> Receive:
    """A receive() that gives the buffered body once, then whatever the client sends next."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
    if after is not None:
        pending.append(after)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


def _now() -> float:
    import time

    return time.time()
