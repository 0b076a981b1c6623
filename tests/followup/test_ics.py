"""The reminders file, read back by an independent iCalendar parser."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.followup.calendar import Reminder, calendar, fold
from backspasm.store.tables import Episode
from tests.support.db_fixtures import NOW
from tests.support.people import LIFTED_BOXES, interviewed


def test_reminders_parse_back_exactly(kb: KnowledgeBase) -> None:
    from backspasm.followup.episodes import reminders

    episode = Episode(
        token_hash="a" * 64, started_on=date(2026, 11, 2), answers=interviewed(kb, LIFTED_BOXES)
    )
    items = reminders(kb, episode, date(2026, 11, 2))
    parsed = icalendar.Calendar.from_ical(calendar(items, NOW))
    events = list(parsed.walk("VEVENT"))
    assert [e.decoded("DTSTART") for e in events] == [
        date(2026, 11, 5),
        date(2026, 11, 7),
        date(2026, 11, 14),
        date(2026, 11, 28),
        date(2026, 12, 12),
    ]
    assert str(events[0]["SUMMARY"]) == "Back diary: 3-day check-in"
    assert all(e.decoded("DTSTAMP") == NOW for e in events)
    assert len({str(e["UID"]) for e in events}) == 5
    assert all(list(e.walk("VALARM")) for e in events)
    later = reminders(kb, episode, date(2026, 11, 29))
    assert [r.uid for r in later] == [items[-1].uid]  # stable UIDs: re-import updates


def test_text_is_escaped_and_lines_folded() -> None:
    text = "Heat, ice; or both\\rest\nthen walk " + "é" * 60
    raw = calendar(
        [Reminder("u1@x", date(2026, 1, 2), text, text)], datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    event = next(iter(icalendar.Calendar.from_ical(raw).walk("VEVENT")))
    assert str(event["SUMMARY"]) == text and str(event["DESCRIPTION"]) == text


def test_fold_never_splits_a_character() -> None:
    folded = fold("X:" + "€" * 40)
    pieces = folded.split("\r\n ")
    assert "".join(pieces) == "X:" + "€" * 40
    assert [len(p.encode()) for p in pieces] == [74, 48]  # 2 + 24 x 3 octets, then 16 x 3
