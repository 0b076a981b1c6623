"""A real browser: Debian's Chromium through Playwright, on the real app (see person.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from person import Person, Simulate
from playwright.sync_api import Browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _person(
    browser: Browser, server: str, simulate: Simulate, name: str, **options: Any
) -> Iterator[Person]:
    context = browser.new_context(**options)
    person = Person(context, server, name, simulate)
    yield person
    context.close()


@pytest.fixture
def phone(browser: Browser, server: str, simulate: Simulate) -> Iterator[Person]:
    yield from _person(
        browser,
        server,
        simulate,
        "phone",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def desktop(browser: Browser, server: str, simulate: Simulate) -> Iterator[Person]:
    yield from _person(browser, server, simulate, "desktop", viewport=DESKTOP)


@pytest.fixture
def no_js(browser: Browser, server: str, simulate: Simulate) -> Iterator[Person]:
    yield from _person(
        browser, server, simulate, "phone-nojs", viewport=PHONE, java_script_enabled=False
    )
