"""Rendering pages: one Jinja environment, the page frame, and the headers every page needs.

Every HTML page the app sends - the interview, the diary, the clinician summary, the deleted
page - goes out through `render` (or `html_page` for a document rendered elsewhere, like the
summary that is also a PDF), so all get the same frame, settings and security headers from
`page_headers`. Templates lay out a view model; they compute nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from backspasm.messages import message
from backspasm.version import __version__
from backspasm.web import state
from backspasm.web.settings import Settings


@dataclass(frozen=True)
class Frame:
    """What the layout around every page needs."""

    base: str  # the path the app is mounted at, "" at the root
    title: str
    site_name: str
    logo_url: str
    language: str
    emergency_number: str
    emergency_href: str
    embed: bool
    home: str  # where "Start again" goes: the start page, or the embedded one
    version: str


@cache
def environment() -> Environment:
    """The pages' templates; they take every word they show from `message` (messages.yaml)."""
    templates = Environment(
        loader=PackageLoader("backspasm.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.globals["message"] = message
    return templates


def frame(request: Request, title: str, embed: bool) -> Frame:
    settings = state.settings(request)
    number = settings.emergency_number
    base = str(request.scope.get("root_path", "")).rstrip("/")
    return Frame(
        base=base,
        title=f"{title} - {settings.site_name}",
        site_name=settings.site_name,
        logo_url=settings.logo_url,
        language=settings.language,
        emergency_number=number,
        emergency_href="tel:" + number.replace(" ", ""),
        embed=embed,
        home=f"{base}/embed" if embed else f"{base}/",
        version=__version__,
    )


def render(
    request: Request,
    template: str,
    title: str,
    *,
    embed: bool = False,
    status_code: int = 200,
    **view: Any,
) -> HTMLResponse:
    page = frame(request, title, embed)
    html = environment().get_template(template).render(page=page, **view)
    return html_page(request, html, embed=embed, status_code=status_code)


def html_page(
    request: Request, html: str, *, embed: bool = False, status_code: int = 200
) -> HTMLResponse:
    """An HTML document as a response with the headers every page carries."""
    response = HTMLResponse(html, status_code=status_code)
    settings = state.settings(request)
    response.headers.update(page_headers(settings, embed))
    return response


def page_headers(settings: Settings, embed: bool) -> dict[str, str]:
    """No third-party anything; framing only for /embed pages; nothing cached or referred.

    Pages carry health answers, so they are never stored by caches and never leak in a
    Referer header.
    """
    images = "'self' data:"
    if settings.logo_url.startswith(("http://", "https://")):
        images += " " + "/".join(settings.logo_url.split("/")[:3])
    ancestors = settings.embed_origins if embed else "'self'"
    policy = (
        f"default-src 'self'; img-src {images}; style-src 'self'; script-src 'self'; "
        f"form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors {ancestors}"
    )
    headers = {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if not embed:
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return headers
