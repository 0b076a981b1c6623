"""A real browser: Debian's Chromium through Playwright, on the real app (see person.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from person import Person, Simulate
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs it")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def _person(
    browser: Browser, server: str, simulate: Simulate, name: str, **options: Any
) -> Iterator[Person]:
    context = browser.new_context(**options)
    person = Person(context, server, name, simulate)
    yield person
    context.close()


@pytest.fixture
def phone(browser: Browser, server: str, simulate: Simulate) -> Iterator[Person]:
    yield from _person(browser, server, simulate, "phone", viewport=PHONE,
                       device_scale_factor=2, is_mobile=True, has_touch=True)


@pytest.fixture
def desktop(browser: Browser, server: str, simulate: Simulate) -> Iterator[Person]:
    yield from _person(browser, server, simulate, "desktop", viewport=DESKTOP)


@pytest.fixture
def no_js(browser: Browser, server: str, simulate: Simulate) -> Iterator[Person]:
    yield from _person(browser, server, simulate, "phone-nojs", viewport=PHONE,
                       java_script_enabled=False)
