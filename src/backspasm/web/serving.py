"""Running the app under uvicorn with limits a public server needs.

uvicorn drops idle keep-alive connections, but waits for ever for a request's headers: a
client sending one byte a minute keeps a connection, and enough of them keep them all. The
protocols here close a connection whose request headers have not all arrived `header_timeout`
seconds after it opened (or after its previous reply); the app's guard times the body.
Settings come from the environment in each worker process, as the app's do.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


@cache
def _header_timeout() -> float:
    from backspasm.web.settings import load_settings

    return float(load_settings().header_timeout)


class _HeaderDeadline:
    """Mixed into a uvicorn protocol: close the connection when no request starts in time."""

    cycle: Any
    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    _deadline: asyncio.TimerHandle | None = None
    _armed_for: Any = None

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._armed_for = self.cycle
        self._deadline = self.loop.call_later(_header_timeout(), self._expire)

    def _expire(self) -> None:
        waiting = self.cycle is self._armed_for  # no new request's headers since arming
        if waiting and (self.cycle is None or self.cycle.response_complete):
            self.transport.close()


class GuardedH11(_HeaderDeadline, H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()


class GuardedHttpTools(_HeaderDeadline, HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()


def protocol() -> type[asyncio.Protocol]:
    """httptools when it is installed (uvicorn's own choice), else h11."""
    try:
        import httptools  # noqa: F401
    except ImportError:
        return GuardedH11
    return GuardedHttpTools
