"""The exercise library, the diary's programme and its PDF over real HTTP (uvicorn on loopback)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from backspasm.engine.knowledge_base import KnowledgeBase
from tests.support.people import LIFTED_BOXES, interviewed
from tests.support.server import Server, start

TODAY = date(2026, 11, 7)


@pytest.fixture(scope="module")
def server(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start(module_db_url, tmp_path_factory.mktemp("server"), today=TODAY.isoformat())
    yield running
    running.stop()


def new_episode(client: httpx.Client, kb: KnowledgeBase, **facts: object) -> str:
    answers = interviewed(kb, {**LIFTED_BOXES, **facts})
    reply = client.post("/api/episodes", json={"answers": answers})
    assert reply.status_code == 201, reply.text
    return str(reply.json()["token"])


def test_every_exercise_has_a_page_with_its_picture_steps_and_sources(
    server: Server, kb: KnowledgeBase
) -> None:
    with server.client() as client:
        library = client.get("/exercises")
        assert library.status_code == 200
        for exercise in kb.exercises.exercises:
            assert f'href="/exercises/{exercise.id}"' in library.text
            page = client.get(f"/exercises/{exercise.id}")
            assert page.status_code == 200
            assert 'src="data:image/svg+xml;base64,' in page.text
            assert f'alt="{exercise.picture.alt}"' in page.text.replace("&#34;", '"')
            assert "<ol>" in page.text and "Sources" in page.text
        assert client.get("/exercises/no_such_thing").status_code == 404


def test_the_diary_form_records_exercises_and_moves_the_programme_up(
    server: Server, kb: KnowledgeBase
) -> None:
    with server.client() as client:
        token = new_episode(client, kb)
        page = client.get(f"/diary/{token}")
        assert "Your exercises today: Ease the pain: level 1 of" in page.text
        assert f'href="/diary/{token}/programme"' in page.text
        form = {
            "day": TODAY.isoformat(),
            "pain": "7",
            "function": "5",
            "spasms": "some",
            "exercise_done": ["knee_rolls:fine", "pelvic_tilt:fine"],
            "exercise_pain": "3",
            "exercise_next_morning": "settled",
        }
        reply = client.post(f"/diary/{token}", data=form)
        assert reply.status_code == 303, reply.text
        page = client.get(f"/diary/{token}")
        assert "level 2 of" in page.text
        assert "settled by the next morning, so move up" in page.text
        episode = client.get(f"/api/episodes/{token}").json()
        assert episode["programme"]["step"] == 2
        assert episode["programme"]["moves"][-1]["rule"] == "within_limits"
        stored = episode["diary"][0]["exercise"]
        assert stored["pain"] == 3 and stored["next_morning"] == "settled"
        assert {d["id"] for d in stored["done"]} == {"knee_rolls", "pelvic_tilt"}
        bad = client.post(f"/diary/{token}", data={**form, "exercise_done": ["flying:fine"]})
        assert bad.status_code == 422 and "not in the library" in bad.text


def test_the_programme_page_and_pdf_leave_out_what_the_answers_rule_out(
    server: Server, kb: KnowledgeBase, tmp_path: Path
) -> None:
    with server.client() as client:
        token = new_episode(client, kb, sex="female", pregnant=True)
        page = client.get(f"/diary/{token}/programme")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        assert "Lying with your legs on a chair" in page.text  # named only in "Left out"
        shown = re.findall(r'<h3 id="ex-([a-z_]+)"', page.text)
        assert shown and "legs_on_chair" not in shown and "pelvic_tilt" not in shown
        assert "Tick the days you did it" in page.text
        pdf = client.get(f"/diary/{token}/programme.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        (tmp_path / "programme.pdf").write_bytes(pdf.content)
        info = subprocess.run(
            ["pdfinfo", str(tmp_path / "programme.pdf")], capture_output=True, text=True, check=True
        ).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
        assert 1 <= pages <= 2
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "programme.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Side lying" in text or "Lying on your side" in text
        assert client.get("/diary/nobody/programme").status_code == 404
