"""The print view on paper, and the embedded pages inside a clinic's iframe."""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from person import SCREENSHOTS, Person
from playwright.sync_api import expect

from tests.support.people import SPASM


def test_print_view_prints_the_plan_and_not_the_buttons(desktop: Person) -> None:
    desktop.open("/interview")
    desktop.run_interview(SPASM)
    desktop.page.get_by_role("button", name="Print or save this plan").click()
    page = desktop.page
    expect(page.locator("#level-title")).to_have_text("Look after it at home")
    expect(page.get_by_role("heading", name="What you told us")).to_be_visible()
    expect(page.locator("dl.told")).to_contain_text("Age in whole years")
    expect(page.get_by_role("button", name="Print", exact=True)).to_be_visible()  # JS ran
    desktop.audit()
    page.emulate_media(media="print")
    for hidden in (".masthead", ".print-actions", ".footnote"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.get_by_role("heading", name="Sources for this advice")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "print-view.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    assert pages <= 2, f"the printed plan takes {pages} A4 pages"
    desktop.screenshot("print-media")
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Back to the result").click()
    expect(page.get_by_role("button", name="Print or save this plan")).to_be_visible()
    assert desktop.foreign_requests() == []


@pytest.fixture
def clinic_site(server: str) -> Iterator[str]:
    """A clinic's own page on another origin (a second loopback server) with two iframes."""
    page = (
        f'<!doctype html><html lang="en"><title>Clinic</title><h1>Our clinic</h1>'
        f'<iframe id="embedded" title="check" src="{server}/embed" width="380" '
        f'height="700"></iframe>'
        f'<iframe id="framed" title="site" src="{server}/" width="380" height="200">'
        f"</iframe></html>"
    ).encode()

    class Clinic(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Clinic)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_embed_runs_inside_a_clinic_iframe_and_other_pages_refuse(
    phone: Person, clinic_site: str
) -> None:
    phone.page.goto(clinic_site)
    embedded = phone.page.frame_locator("#embedded")
    expect(embedded.get_by_role("heading", name="Back pain check")).to_be_visible()
    expect(embedded.locator(".masthead")).to_have_count(0)
    embedded.get_by_role("button", name="Start").click()
    expect(
        embedded.get_by_role("heading", name="Is any of this happening to you now?")
    ).to_be_visible()
    expect(embedded.locator('input[name="embed"]')).to_have_count(1)  # stays embedded
    expect(embedded.locator(".masthead")).to_have_count(0)
    framed = phone.page.frame_locator("#framed")
    expect(framed.get_by_role("heading", name="Back pain check")).to_have_count(0)
