"""Person: someone using the app in a real browser, as the browser tests drive it.

It opens pages, answers questions by clicking what a person clicks, and audits each page with
axe-core. Every request the browser makes is recorded, so a test can prove the pages load
nothing from anywhere but our own server.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, ConsoleMessage, Page

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

Simulate = Callable[[dict[str, Any], dict[str, Any]], Any]


class Person:
    """Someone using the app in one browser context."""

    def __init__(self, context: BrowserContext, server: str, name: str, simulate: Simulate) -> None:
        self.context = context
        self.simulate = simulate
        self.server = server
        self.name = name
        self.page: Page = context.new_page()
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    # --- moving through the app ---------------------------------------------------------
    def open(self, path: str) -> None:
        self.page.goto(self.server + path)

    def open_state(self, answers: dict[str, Any], path: str = "/interview") -> None:
        """Post answers to the app as its own forms do; it shows where they lead."""
        self.page.goto(self.server + "/static/README.md")  # any page of our origin
        self.page.set_content(
            f'<form method="post" action="{self.server}{path}">'
            f'<input type="hidden" name="answers" value=\'{json.dumps(answers)}\'></form>'
        )
        with self.page.expect_navigation():
            self.page.locator("form").evaluate("form => form.submit()")

    def step(self) -> int:
        """The screen shown: its place in the interview (0 on a result)."""
        return int(self.page.locator("main").get_attribute("data-step") or "0")

    def rows(self) -> list[str]:
        """The findings the screen asks, in order."""
        return (self.page.locator('input[name="rows"]').get_attribute("value") or "").split()

    def question(self) -> str:
        """The screen's first question (the only one on a plain question)."""
        return self.rows()[0]

    def at_result(self) -> bool:
        return self.page.locator("#level-title").count() > 0

    def choose(self, name: str, value: Any) -> None:
        """Give one row its answer without sending the screen (a grid row, or a number)."""
        field = f"a.{name}"
        shown = json.dumps(value) if isinstance(value, bool) else str(value)
        number = self.page.locator(f'input[type="number"][name="{field}"]')
        if number.count():
            number.fill(shown)
        else:
            self.page.locator(f'input[type="radio"][name="{field}"][value="{shown}"]').check()

    def answer_screen(self, answers: dict[str, Any]) -> None:
        """Answer every row of the screen shown, the way a person would, and send it."""
        before = self.step()
        rows = self.rows()
        if len(rows) == 1 and self.page.locator(f'button[name="a.{rows[0]}"]').count():
            value = answers[rows[0]]
            shown = json.dumps(value) if isinstance(value, bool) else str(value)
            self.page.locator(f'button[name="a.{rows[0]}"][value="{shown}"]').click()
        else:
            for name in rows:
                self.choose(name, answers[name])
            self.page.get_by_role("button", name="Next").click()
        self._wait_moved(before)

    def none_of_these(self) -> None:
        before = self.step()
        self.page.get_by_role("button", name="None of these").click()
        self._wait_moved(before)

    def back(self) -> None:
        before = self.step()
        self.page.locator('button[value="back"]').click()
        self._wait_moved(before)

    def _wait_moved(self, before: int) -> None:
        self.page.locator(f'main:not([data-step="{before}"])').wait_for()

    def run_interview(self, facts: dict[str, Any], audit_kinds: bool = False) -> int:
        """Answer every screen as a person with these facts would; return how many."""
        kinds_seen: set[str] = set()
        for screens in range(200):
            if self.at_result():
                return screens
            if audit_kinds:
                kind = self._kind()
                if kind not in kinds_seen:
                    kinds_seen.add(kind)
                    self.audit()
            self.answer_screen({name: self.simulate({"id": name}, facts) for name in self.rows()})
        raise AssertionError("the interview did not finish")

    def _kind(self) -> str:
        """What makes screens differ in markup: a grid or a plain question, and its controls."""
        parts = [
            "grid" if len(self.rows()) > 1 else "plain",
            "number" if self.page.locator('input[type="number"]').count() else "",
            "none" if self.page.get_by_role("button", name="None of these").count() else "",
            "unsure" if self.page.locator('[value="unsure"]').count() else "",
        ]
        return "-".join(parts)

    # --- checking ---------------------------------------------------------------------------
    def audit(self) -> None:
        """axe-core on the page as it is now: no violations, at any impact."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text())
        violations = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        ]
        assert summary == [], f"axe on {self.page.url} ({self.name}):\n" + "\n".join(summary)

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{self.name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def foreign_requests(self) -> list[str]:
        return [
            url for url in self.requests if not url.startswith((self.server, "about:", "data:"))
        ]
