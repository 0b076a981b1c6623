"""The trend chart: thresholds read from the knowledge, a well-formed SVG, escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.followup.chart import Point, marks, trend_svg
from backspasm.followup.rules import History
from tests.support.people import LIFTED_BOXES, interviewed

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 11, 2)


def test_thresholds_come_from_the_knowledge(kb: KnowledgeBase) -> None:
    found = marks(kb, History(START, interviewed(kb, LIFTED_BOXES)))  # pain 7, onset Oct 31
    assert (found.baseline, found.improve_at, found.worse_at) == (7, 5, 9)
    assert found.days == (
        (date(2026, 11, 7), "7 days"),
        (date(2026, 11, 28), "4 weeks"),
        (date(2026, 12, 12), "6 weeks"),
    )


def test_chart_draws_every_entry_and_marks(kb: KnowledgeBase) -> None:
    found = marks(kb, History(START, interviewed(kb, LIFTED_BOXES)))
    points = [
        Point(START + timedelta(days=i), pain, 10 - pain) for i, pain in enumerate([7, 6, 6, 4])
    ]
    root = ET.fromstring(trend_svg(points, START, START + timedelta(days=5), found))
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2 and len(lines[0].attrib["points"].split()) == 4
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "2 points better: a real improvement (5)" in texts
    assert "2 points worse than at the start (9)" in texts
    assert "7 days" in texts and "4 weeks" not in texts  # outside the drawn range
    assert [c.findtext(f"{SVG}title") for c in root.findall(f"{SVG}circle")][:2] == [
        "pain 7",
        "pain 6",
    ]


def test_chart_without_entries_or_baseline_is_still_valid(kb: KnowledgeBase) -> None:
    answers = {k: v for k, v in interviewed(kb, LIFTED_BOXES).items() if k != "pain_severity"}
    found = marks(kb, History(START, answers))
    assert found.improve_at is None and found.worse_at is None
    root = ET.fromstring(trend_svg([], START, START, found))
    assert root.findall(f"{SVG}polyline") == []
