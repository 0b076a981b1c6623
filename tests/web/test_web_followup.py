"""The follow-up router over real HTTP (uvicorn on loopback), on both backends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import icalendar
import pytest

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.store import repository as repo
from backspasm.store.database import open_engine, sessions
from tests.support.db_fixtures import NOW
from tests.support.people import LIFTED_BOXES, interviewed
from tests.support.server import Server, start

TODAY = date(2026, 11, 7)  # the server's date: day 7 of an episode that began Oct 31
START = date(2026, 11, 2)


@pytest.fixture(scope="module")
def server(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start(module_db_url, tmp_path_factory.mktemp("server"), today=TODAY.isoformat())
    yield running
    running.stop()


def new_episode(client: httpx.Client, kb: KnowledgeBase, **facts: object) -> str:
    answers = {**interviewed(kb, {**LIFTED_BOXES, **facts}), "pain_duration_days": 7}
    reply = client.post("/api/episodes", json={"answers": answers})
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["diary_url"].endswith(f"/diary/{body['token']}")
    return str(body["token"])


def add(client: httpx.Client, token: str, day: date, pain: int, **extra: object) -> httpx.Response:
    return client.post(
        f"/api/episodes/{token}/diary",
        json={"day": day.isoformat(), "pain": pain, "function": 5, "spasms": "some", **extra},
    )


def test_a_week_of_entries_is_told_to_see_someone_and_why(
    server: Server, kb: KnowledgeBase
) -> None:
    with server.client() as client:
        token = new_episode(client, kb)  # assessed on the server's day, pain since Oct 31
        follow = client.get(f"/api/episodes/{token}").json()["follow_up"]
        assert follow["level"] == "consultation"  # a week with no relief already, at triage
        reply = add(client, token, TODAY, 7)
        assert reply.status_code == 201
        advice = {a["rule"]: a for a in reply.json()["follow_up"]["advice"]}
        assert advice["no_improvement_7_days"]["due"] == (TODAY + timedelta(days=3)).isoformat()
        page = client.get(f"/diary/{token}")
        assert "It has been a week and your pain has not come down" in page.text
        level = reply.json()["follow_up"]["level"]
        assert kb.meta.level_title(level) in page.text  # named as every other face names it
        assert "by Tuesday 10 November" in page.text.replace("By", "by")
        assert "days since this episode" not in page.text  # no internal measure names


def test_an_emergency_entry_shows_the_call_link_and_no_later_deadline(
    server: Server, kb: KnowledgeBase
) -> None:
    with server.client() as client:
        token = new_episode(client, kb)
        assert add(client, token, TODAY, 6, new_symptoms=["saddle_numbness"]).status_code == 201
        page = client.get(f"/diary/{token}").text
        now = page.split('id="now"')[1].split("</section>")[0]
        assert 'class="call" href="tel:' in now
        assert "Do not drive yourself" in now
        assert "By " not in now and "book an appointment" not in page.lower()
        assert page.count('href="tel:') == 1


def test_a_wrong_diary_link_gets_a_page_in_words(server: Server) -> None:
    with server.client() as client:
        page = client.get("/diary/not-a-real-token", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "no diary at this address" in page.text and '"detail"' not in page.text


def test_diary_page_is_quick_on_a_phone(server: Server, kb: KnowledgeBase) -> None:
    with server.client() as client:
        token = new_episode(client, kb)
        page = client.get(f"/diary/{token}")
        assert page.status_code == 200
        html = page.text
        assert 'name="viewport"' in html
        # the app's own frame and scripts only; the form works as a plain post without them
        assert all(src.startswith("/static/") for src in re.findall(r'<script src="([^"]+)"', html))
        assert len(html.encode()) < 40_000
        # the form starts empty every day, and asks for pain, usual day and spasms
        for name in ("pain", "function", "spasms"):
            assert re.search(rf'name="{name}" value="[^"]+" required', html), name
        assert " checked" not in html
        assert "<svg" in html and "real improvement" in html
        for header, value in (("cache-control", "no-store"), ("referrer-policy", "no-referrer")):
            assert page.headers[header] == value


def test_form_entry_saves_and_redirects(server: Server, kb: KnowledgeBase) -> None:
    with server.client() as client:
        token = new_episode(client, kb)
        form = {
            "day": TODAY.isoformat(),
            "pain": "5",
            "function": "6",
            "spasms": "some",
            "tried": ["heat:yes", "", "ice:no"],
            "symptom": ["fever"],
        }
        reply = client.post(f"/diary/{token}", data=form)
        assert reply.status_code == 303 and reply.headers["location"] == f"/diary/{token}#now"
        diary = client.get(f"/api/episodes/{token}").json()
        assert diary["diary"][0]["tried"] == [
            {"item": "heat", "helped": "yes"},
            {"item": "ice", "helped": "no"},
        ]
        assert diary["follow_up"]["advice"][0]["rule"] == "new_warning_sign"
        bad = client.post(f"/diary/{token}", data={**form, "pain": "12"})
        assert bad.status_code == 422 and "pain" in bad.text
        assert len(client.get(f"/api/episodes/{token}").json()["diary"]) == 1


def test_one_person_cannot_read_anothers_data(server: Server, kb: KnowledgeBase) -> None:
    with server.client() as client:
        alice, bob = new_episode(client, kb), new_episode(client, kb)
        assert add(client, alice, TODAY, 3).status_code == 201
        assert add(client, bob, TODAY, 9).status_code == 201
        assert [e["pain"] for e in client.get(f"/api/episodes/{alice}").json()["diary"]] == [3]
        assert [e["pain"] for e in client.get(f"/api/episodes/{bob}").json()["diary"]] == [9]
        exported = client.get(f"/diary/{alice}/export.json").json()
        assert [e["pain"] for e in exported["diary"]] == [3]
        guess = alice[:-1] + ("a" if alice[-1] != "a" else "b")
        for path in (
            "/diary/{}",
            "/diary/{}/summary",
            "/diary/{}/checkins.ics",
            "/diary/{}/export.json",
            "/api/episodes/{}",
            "/api/episodes/{}/export",
        ):
            assert client.get(path.format(guess)).status_code == 404, path
        assert add(client, guess, TODAY, 1).status_code == 404
        assert client.delete(f"/api/episodes/{guess}").status_code == 404
        assert client.post(f"/diary/{guess}/delete", data={"confirm": "yes"}).status_code == 404


def test_staff_need_a_valid_token(server: Server, kb: KnowledgeBase, module_db_url: str) -> None:
    engine = open_engine(module_db_url)
    with sessions(engine).begin() as session:
        staff_token = repo.add_staff_token(session, "clinic", NOW)
    engine.dispose()
    with server.client() as client:
        token = new_episode(client, kb)
        add(client, token, TODAY, 7)
        assert client.get("/api/staff/episodes").status_code == 401
        bad = {"Authorization": f"Bearer {staff_token}x"}
        assert client.get("/api/staff/episodes", headers=bad).status_code == 401
        assert client.get(f"/api/staff/episodes/{1}/summary", headers=bad).status_code == 401
        good = {"Authorization": f"Bearer {staff_token}"}
        rows = client.get("/api/staff/episodes", headers=good).json()
        assert rows and all(row["level"] for row in rows)
        newest = max(rows, key=lambda row: row["id"])
        assert newest["rules"] == ["no_improvement_7_days"]
        summary = client.get(f"/api/staff/episodes/{newest['id']}/summary", headers=good)
        assert "Back pain summary for a clinician" in summary.text
        assert client.get("/api/staff/episodes/999/summary", headers=good).status_code == 404


def test_reminders_summary_export_and_delete(server: Server, kb: KnowledgeBase) -> None:
    with server.client() as client:
        token = new_episode(client, kb)
        add(client, token, TODAY, 6)
        ics = client.get(f"/diary/{token}/checkins.ics")
        assert ics.headers["content-type"].startswith("text/calendar")
        events = icalendar.Calendar.from_ical(ics.text).walk("VEVENT")
        days = [e.decoded("DTSTART") for e in events]
        for event in events:  # each reminder opens the diary it is about
            assert str(event["URL"]).endswith(f"/diary/{token}")
            assert f"/diary/{token}" in str(event["DESCRIPTION"])
        assert days == [
            TODAY,
            TODAY + timedelta(days=3),
            date(2026, 11, 14),
            date(2026, 11, 28),
            date(2026, 12, 12),
        ]
        pdf = client.get(f"/diary/{token}/summary.pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        assert client.post(f"/diary/{token}/delete", data={}).status_code == 422
        assert client.get(f"/api/episodes/{token}").status_code == 200
        gone = client.post(f"/diary/{token}/delete", data={"confirm": "yes"})
        assert gone.status_code == 200 and "has been deleted" in gone.text
        assert client.get(f"/diary/{token}").status_code == 404
        other = new_episode(client, kb)
        assert client.delete(f"/api/episodes/{other}").status_code == 204
        assert client.get(f"/api/episodes/{other}/export").status_code == 404


def test_no_token_or_client_address_in_the_log(server: Server, kb: KnowledgeBase) -> None:
    with server.client() as client:
        token = new_episode(client, kb)
        add(client, token, TODAY, 6)
        client.get(f"/diary/{token}")
        client.get(f"/diary/{token}/summary")
    log = server.log.read_text()
    assert '"GET /diary/<token> HTTP/1.1" 200' in log
    assert token not in log
    assert not re.search(r"127\.0\.0\.1:\d+ - \"", log)  # uvicorn's client address prefix


PAGE_HEADERS = (
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "cache-control",
    "referrer-policy",
)


def test_diary_pages_send_the_same_security_headers_as_every_page(
    server: Server, kb: KnowledgeBase
) -> None:
    """The diary, its clinician summary, a refused form and the deleted page go out through
    the one page-header path: CSP with frame-ancestors, no framing, nosniff, no-store and
    no-referrer, exactly as the start page does."""
    with server.client() as client:
        start_page = client.get("/")
        expected = {name: start_page.headers[name] for name in PAGE_HEADERS}
        assert "frame-ancestors 'self'" in expected["content-security-policy"]
        token = new_episode(client, kb)
        pages = {
            "diary": client.get(f"/diary/{token}"),
            "summary": client.get(f"/diary/{token}/summary"),
            "refused delete": client.post(f"/diary/{token}/delete", data={}),
            "deleted": client.post(f"/diary/{token}/delete", data={"confirm": "yes"}),
        }
        for name, page in pages.items():
            assert page.headers["content-type"].startswith("text/html"), name
            sent = {header: page.headers.get(header) for header in PAGE_HEADERS}
            assert sent == expected, name
        assert pages["refused delete"].status_code == 422
        assert "has been deleted" in pages["deleted"].text


def test_diary_and_summary_styles_are_served_files(server: Server, kb: KnowledgeBase) -> None:
    """The CSP allows no inline style, so the diary and summary link their stylesheets."""
    with server.client() as client:
        token = new_episode(client, kb)
        for path in (f"/diary/{token}", f"/diary/{token}/summary"):
            html = client.get(path).text
            assert "<style" not in html and ' style="' not in html, path
            for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
                css = client.get(href)
                assert css.status_code == 200 and css.headers["content-type"].startswith(
                    "text/css"
                ), href
