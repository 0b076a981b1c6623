"""Check-in reminders as an iCalendar file (RFC 5545) a person imports into their calendar.

Written by hand because it is small: all-day events with a 09:00 display alarm, TEXT escaped
(section 3.3.11), lines folded at 75 octets without splitting a character (section 3.1), CRLF
line ends. The events carry no pain scores or answers; each carries the diary's link (when
given), so the reminder opens the diary it is about. Anyone who can read the calendar can then
open the diary: the diary page says so where it offers the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from backspasm.messages import message

PRODID = "-//backspasm//follow-up reminders//EN"
ALARM = "PT9H"  # 09:00 on the day (relative to the all-day event's start)


@dataclass(frozen=True)
class Reminder:
    uid: str
    day: date
    summary: str
    description: str


def calendar(reminders: Iterable[Reminder], now: datetime, link: str = "") -> str:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for reminder in reminders:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{reminder.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{reminder.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{reminder.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(reminder.summary)}",
            f"DESCRIPTION:{escape_text(_with_link(reminder.description, link))}",
            *([f"URL:{link}"] if link else []),
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(reminder.summary)}",
            f"TRIGGER:{ALARM}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _with_link(description: str, link: str) -> str:
    return (
        f"{description}\n{message('programme', 'your_diary', link=link)}" if link else description
    )


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """Split into pieces of at most `limit` octets; continuation lines start with a space."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        budget = limit if not pieces else limit - 1  # the leading space counts
        if size + width > budget:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)
