"""The clinician summary rendered to PDF, read back with pdftotext and drawn with pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.followup import episodes
from backspasm.followup.diary import DiaryInput
from backspasm.followup.summary import render_html, render_pdf
from backspasm.store import repository as repo
from tests.support.db_fixtures import NOW
from tests.support.people import LIFTED_BOXES, interviewed

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
WEEK = [(7, 3), (7, 4), (6, 4), (7, 4), (6, 5), (7, 4)]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Path:
    """A week of diary with no real improvement and a new symptom on the fifth day."""
    from backspasm.store.database import migrate, open_engine, sessions

    folder = tmp_path_factory.mktemp("summary")
    engine = open_engine(f"sqlite:///{folder / 'db.sqlite'}")
    migrate(engine)
    factory: sessionmaker[Session] = sessions(engine)
    with factory.begin() as session:
        started = episodes.start(session, kb, interviewed(kb, LIFTED_BOXES), NOW)
        episode = repo.episode_by_id(session, started.episode_id)
        assert episode is not None
        for offset, (pain, function) in enumerate(WEEK):
            now = NOW + timedelta(days=offset)
            tried = [
                {"item": "heat", "helped": "yes"},
                {"item": "anti_inflammatory", "helped": "no"},
            ]
            symptoms = ["leg_numbness_tingling"] if offset == 4 else []
            entry = DiaryInput.model_validate(
                {
                    "day": now.date(),
                    "pain": pain,
                    "function": function,
                    "spasms": "some",
                    "tried": tried,
                    "new_symptoms": symptoms,
                }
            )
            episodes.add_entry(session, kb, episode, entry, now)
        html = render_html(
            episodes.summary_values(session, kb, episode, (NOW + timedelta(days=5)).date())
        )
    engine.dispose()
    path = folder / "summary.pdf"
    path.write_bytes(render_pdf(html))
    return path


def text_of(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def test_pdf_says_what_a_clinician_needs(pdf: Path, kb: KnowledgeBase) -> None:
    text = text_of(pdf)
    for expected in (
        "Back pain summary for a clinician",
        "Episode began Sat 31 Oct 2026 (day 7)",
        "Care level now",
        "When a week has passed since the pain began",  # the follow-up rule that fired
        "Findings: day 7 since the pain began; pain 0 points lower than at the first",
        "When leg numbness or tingling has lasted a week",  # a triage rule on re-assessment
        "Red flags asked",
        "No:",
        "Numbness or tingling in a leg or foot",  # the new symptom, in the diary table
        "Heat: 6 helped",
        "Ibuprofen or naproxen: 6 did not help",
        "Likely contributors (not a diagnosis)",
        "Presenting complaint",
        f"Knowledge {kb.version} ({kb.content_hash[:12]})",
    ):
        assert expected in text, expected
    # a 34-year-old man: the pregnancy warning signs do not apply, so they are not "not asked"
    assert "Not asked:" not in text
    assert kb.findings["pregnancy_pain_waves"].means not in text
    for internal in ("no_improvement_7_days", "numbness_over_a_week", "[", "2026-"):
        assert internal not in text, internal
    for measure in kb.followup.measures.values():  # findings in words, not measure definitions
        assert measure.means not in text, measure.means


def test_a_diary_yes_overrides_the_first_no_with_its_date(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    """Saddle numbness answered "no" at first, reported in the diary two days later: the summary
    shows "yes" with that date, not the first answer."""
    from backspasm.store.database import migrate, open_engine, sessions

    engine = open_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(engine)
    factory: sessionmaker[Session] = sessions(engine)
    answers = interviewed(kb, LIFTED_BOXES)
    assert answers["saddle_numbness"] is False
    with factory.begin() as session:
        started = episodes.start(session, kb, answers, NOW)
        episode = repo.episode_by_id(session, started.episode_id)
        assert episode is not None
        for offset in range(3):
            now = NOW + timedelta(days=offset)
            entry = DiaryInput.model_validate(
                {
                    "day": now.date(),
                    "pain": 6,
                    "function": 5,
                    "spasms": "some",
                    "tried": [],
                    "new_symptoms": ["saddle_numbness"] if offset == 2 else [],
                }
            )
            episodes.add_entry(session, kb, episode, entry, now)
        values = episodes.summary_values(session, kb, episode, (NOW + timedelta(days=3)).date())
    engine.dispose()
    row = next(r for r in values["red_flags"] if r["means"] == kb.findings["saddle_numbness"].means)
    assert row["answer"] == "yes" and row["positive"]
    assert row["diary"] == "reported in the diary on Wed 4 Nov 2026 (first assessment: no)"
    html = render_html(values)
    assert "reported in the diary on Wed 4 Nov 2026" in html


def test_pdf_page_draws_the_trend_chart(pdf: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1, "the summary fits on one page"
    colours = Image.open(pages[0]).convert("RGB").getcolors(1 << 24) or []
    red = sum(n for n, (r, g, b) in colours if r > 150 and g < 80 and b < 80)
    blue = sum(n for n, (r, g, b) in colours if b > 130 and r < 80 and g < 130)
    assert red > 200 and blue > 100  # the pain and function lines are drawn
