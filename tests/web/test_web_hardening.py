"""The web app under attack and under load, over HTTP to the real server: crafted input gets a
clear 4xx (never a 500), bodies and error replies are bounded, creating is rate-limited per
client, other sites cannot post, links never come from the Host header, and private replies
are not cached. Each test names the hole it closes (docs/security.md)."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from backspasm.fhir.routes import pack_answers
from tests.support.web_fixtures import start_server

PUBLIC = "https://back.clinic.example"
LIMIT = 100_000
RATE = 5
_clients = count(1)


class Site:
    def __init__(self, base: str, database: str) -> None:
        self.base = base
        self.database = database
        self.http = httpx.Client(base_url=base, timeout=30)

    def as_client(self) -> dict[str, str]:
        """Headers of a new client address, as the trusted proxy on loopback reports it."""
        number = next(_clients)
        return {"X-Forwarded-For": f"10.1.{number // 250}.{number % 250}"}


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    folder = Path(tempfile.mkdtemp(prefix="backspasm-hardening-"))
    database = f"sqlite:///{folder / 'hardening.db'}"
    env = {
        "BACKSPASM_DATABASE_URL": database,
        "BACKSPASM_PUBLIC_URL": PUBLIC,
        "BACKSPASM_MAX_BODY_BYTES": str(LIMIT),
        "BACKSPASM_RATE_LIMIT": f"{RATE}/minute",
    }
    process, url = start_server(env)
    running = Site(url, database)
    yield running
    running.http.close()
    process.terminate()
    process.wait(timeout=10)


def _new_diary(site: Site) -> str:
    reply = site.http.post("/api/episodes", json={"answers": {}}, headers=site.as_client())
    assert reply.status_code == 201, reply.text
    return str(reply.json()["token"])


# --- 1. crafted input: a clear 4xx, never a 500 --------------------------------------------------
DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize("path", ["/interview", "/print", "/diary"])
def test_json_nested_1000_deep_in_the_answers_field_is_refused(site: Site, path: str) -> None:
    reply = site.http.post(path, data={"answers": DEEP}, headers=site.as_client())
    assert reply.status_code == 422, reply.text


def test_a_lone_surrogate_as_an_answer_key_is_refused_in_json(site: Site) -> None:
    body = b'{"answers": {"\\udc80": 1}}'
    reply = site.http.post(
        "/api/episodes",
        content=body,
        headers={"Content-Type": "application/json", **site.as_client()},
    )
    assert reply.status_code == 422
    assert reply.json()["detail"]


def test_a_staff_summary_id_too_big_for_the_database_is_not_found(site: Site) -> None:
    token = subprocess.run(
        [
            sys.executable,
            "-m",
            "backspasm",
            "staff",
            "add-token",
            "clinic",
            "--database",
            site.database,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    reply = site.http.get(
        "/api/staff/episodes/99999999999999999999999/summary",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert reply.status_code in (404, 422)


def test_fhir_items_nested_300_deep_are_refused(site: Site) -> None:
    item: dict[str, object] = {"linkId": "x"}
    for _ in range(300):
        item = {"linkId": "g", "item": [item]}
    response = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": [item]}
    reply = site.http.post("/fhir/QuestionnaireResponse", json=response)
    assert reply.status_code == 400
    assert "nests deeper" in reply.text


# --- 3. sizes and rates --------------------------------------------------------------------------
def test_a_body_declared_too_long_is_refused_before_it_is_read(site: Site) -> None:
    """Content-Length says 100 MB; the server answers 413 without waiting for any of it."""
    host, port = urlsplit(site.base).hostname, urlsplit(site.base).port
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(
            b"POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{"
        )
        head = connection.recv(4096).decode()
    assert head.startswith("HTTP/1.1 413")


@pytest.mark.parametrize("path", ["/api/v1/assessments", "/fhir/QuestionnaireResponse", "/print"])
def test_a_streamed_body_is_refused_once_it_passes_the_limit(site: Site, path: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"answers": {"x": "'
        for _ in range(LIMIT // 10_000 + 5):
            yield b"a" * 10_000
        yield b'"}}'

    reply = site.http.post(path, content=chunks(), headers={"Content-Type": "application/json"})
    assert reply.status_code == 413


def test_a_streamed_form_over_the_limit_is_413_not_a_parse_error(site: Site) -> None:
    """The diary's form routes let FastAPI read the form; the refusal still says 413."""
    token = _new_diary(site)

    def chunks() -> Iterator[bytes]:
        yield b"pain=5&function=5&spasms=some&day=2026-11-30&symptom="
        for _ in range(LIMIT // 10_000 + 5):
            yield b"a" * 10_000

    reply = site.http.post(
        f"/diary/{token}",
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.status_code == 413


def test_error_replies_do_not_grow_with_the_input(site: Site) -> None:
    answers = {f"not_a_finding_{n}_{'x' * 40}": n for n in range(1400)}
    body = json.dumps({"answers": answers})
    assert len(body) < LIMIT
    for path in ("/api/v1/assessments", "/api/episodes"):
        reply = site.http.post(
            path,
            content=body,
            headers={"Content-Type": "application/json", **site.as_client()},
        )
        assert reply.status_code == 422
        assert len(reply.content) < 10_000, len(reply.content)


def test_creating_episodes_and_entries_is_rate_limited_per_client(site: Site) -> None:
    one, other = site.as_client(), site.as_client()
    for _ in range(RATE):
        assert site.http.post("/api/episodes", json={"answers": {}}, headers=one).status_code == 201
    refused = site.http.post("/api/episodes", json={"answers": {}}, headers=one)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert site.http.post("/api/episodes", json={"answers": {}}, headers=other).status_code == 201
    token = _new_diary(site)
    entry = {"day": "2026-11-30", "pain": 5, "function": 5, "spasms": "some"}
    statuses = [
        site.http.post(f"/api/episodes/{token}/diary", json=entry, headers=other).status_code
        for _ in range(RATE + 1)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:RATE]


# --- 4. other sites cannot post --------------------------------------------------------------
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_a_cross_site_form_post_cannot_delete_a_diary(site: Site, headers: dict[str, str]) -> None:
    token = _new_diary(site)
    reply = site.http.post(f"/diary/{token}/delete", data={"confirm": "yes"}, headers=headers)
    assert reply.status_code == 403
    assert site.http.get(f"/diary/{token}").status_code == 200


def test_a_cross_site_post_cannot_create_an_episode(site: Site) -> None:
    reply = site.http.post(
        "/api/episodes",
        json={"answers": {}},
        headers={"Origin": "https://evil.example", **site.as_client()},
    )
    assert reply.status_code == 403


def test_the_site_itself_may_post(site: Site) -> None:
    token = _new_diary(site)
    reply = site.http.post(
        f"/diary/{token}/delete", data={"confirm": "yes"}, headers={"Origin": PUBLIC}
    )
    assert reply.status_code == 200
    assert site.http.get(f"/diary/{token}").status_code == 404


def test_a_form_from_a_page_without_referrer_may_post(site: Site) -> None:
    """Our pages send no referrer, so a browser's form post says `Origin: null`; its
    Sec-Fetch-Site still says same-origin."""
    token = _new_diary(site)
    same = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    reply = site.http.post(f"/diary/{token}/delete", data={"confirm": "yes"}, headers=same)
    assert reply.status_code == 200


# --- 7. links come from the public_url setting -------------------------------------------------
def test_links_never_come_from_the_host_header(site: Site) -> None:
    evil = {"Host": "evil.example", **site.as_client()}
    started = site.http.post("/diary", data={"answers": "{}"}, headers=evil)
    assert started.status_code == 303
    assert started.headers["location"].startswith(f"{PUBLIC}/diary/")
    made = site.http.post("/api/episodes", json={"answers": {}}, headers=evil)
    assert made.json()["diary_url"].startswith(f"{PUBLIC}/diary/")


# --- 4 and 8. headers on every reply -------------------------------------------------------------
def test_api_and_fhir_results_are_never_cached(site: Site) -> None:
    replies = [
        site.http.get("/api/v1/questions"),
        site.http.post("/api/v1/assessments", json={"answers": {}}),
        site.http.get(f"/fhir/result/{pack_answers({})}"),
        site.http.get("/fhir/result/%%%"),
    ]
    for reply in replies:
        assert reply.headers["cache-control"] == "no-store", reply.url
        assert reply.headers["x-content-type-options"] == "nosniff"


def test_diary_pages_carry_the_page_security_headers(site: Site) -> None:
    token = _new_diary(site)
    for path in (f"/diary/{token}", f"/diary/{token}/summary"):
        reply = site.http.get(path)
        assert reply.status_code == 200
        assert "frame-ancestors" in reply.headers["content-security-policy"]
        assert reply.headers["x-content-type-options"] == "nosniff"


def test_no_page_loads_scripts_from_other_sites(site: Site) -> None:
    assert site.http.get("/docs").status_code == 404
    assert site.http.get("/redoc").status_code == 404
    for path in ("/", "/interview", "/embed"):
        page = site.http.get(path).text
        assert 'src="http' not in page and "src='http" not in page


def test_result_links_stay_out_of_the_access_log() -> None:
    from backspasm.web.diary import redact_access_log

    redact_access_log()
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/fhir/result/{pack_answers({'age': 40})}", "1.1", 200),
        None,
    )
    for log_filter in logging.getLogger("uvicorn.access").filters:
        assert not isinstance(log_filter, logging.Filter) or log_filter.filter(record)
    assert record.getMessage() == '- - "GET /fhir/result/<token> HTTP/1.1" 200'
