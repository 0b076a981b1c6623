"""Read the value out of a matched value phrase: a number, or a duration in days.

A value phrase in the lexicon names its parts with slots ({n}, {nn}, {d}, {amount}, {unit},
{weekday}, {relday}, {clock}, {day} {month}); the regex keeps each as a named group, and this module
turns the groups into a number using the lexicon's tables and the reference date. Nothing here
reads the clock: "since Monday" means something only next to a `today` that the caller passes in.

Ranges ("6-7/10", "2 or 3 days") read as their upper end, the more cautious reading for both
pain and duration.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from backspasm.text.lexicon import Tables

# "6-7", "2 to 3", "two or three"; a hyphen between words is one number ("sixty-four").
_RANGE = re.compile(r"\s*(?:\bto\b|\bor\b)\s*|(?<=\d)\s*-\s*(?=\d)")


def _key(text: str) -> str:
    return " ".join(text.lower().replace("'", "").replace("-", " ").split())


def _table(table: dict[str, float] | dict[str, int]) -> dict[str, float]:
    return {_key(word): float(value) for word, value in table.items()}


def number(text: str, tables: Tables) -> float:
    """ "7", "7.5", "seven", "twenty-five", "6-7" (read as 7)."""
    parts = [part for part in _RANGE.split(text.strip()) if part]
    return max(_one_number(part, tables) for part in parts)


def _one_number(text: str, tables: Tables) -> float:
    key = _key(text)
    if re.fullmatch(r"\d+(?:\.\d+)?", key):
        return float(key)
    numbers, tens = _table(tables.numbers), _table(tables.tens)
    total = 0.0
    for word in key.split():
        if word in tens:
            total += tens[word]
        elif word in numbers:
            total += numbers[word]
        else:
            raise ValueError(f"not a number: {text!r}")
    return total


def amount(text: str, tables: Tables) -> float:
    """An amount of time units: a number, or "a", "a couple of", "a few"..."""
    amounts = _table(tables.amounts)
    key = _key(text)
    return amounts[key] if key in amounts else number(text, tables)


def days_since_weekday(weekday: int, today: dt.date) -> int:
    """Days back to the last such weekday; the same weekday as today means a week ago."""
    return (today.weekday() - weekday - 1) % 7 + 1


def days_since_date(day: int, month: int, today: dt.date) -> int | None:
    """Days back to a day and month, in this year or, if that is still to come, the last."""
    try:
        date = dt.date(today.year, month, day)
        if date > today:
            date = dt.date(today.year - 1, month, day)
    except ValueError:
        return None
    return (today - date).days


def days_since_day_of_month(day: int, today: dt.date) -> int | None:
    """Days back to "the 14th": in this month or, if that is still to come, the last."""
    month, year = today.month, today.year
    for _ in range(2):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            date = None
        if date is not None and date <= today:
            return (today - date).days
        month, year = (month - 1, year) if month > 1 else (12, year - 1)
    return None


def read_value(groups: dict[str, str | None], tables: Tables, today: dt.date) -> float | None:
    """The value that a value phrase's named groups describe, or None if they make no sense."""
    found = {name: text for name, text in groups.items() if text}
    try:
        if "clock" in found:  # "since 4am": a time today
            return 0.0
        if "relday" in found:
            return float(_table(tables.relative_days)[_key(found["relday"])])
        if "weekday" in found:
            weekday = int(_table(tables.weekdays)[_key(found["weekday"])])
            return float(days_since_weekday(weekday, today))
        if "month" in found and "day" in found:
            month = int(_table(tables.months)[_key(found["month"])])
            day = int(re.sub(r"\D", "", found["day"]))
            days = days_since_date(day, month, today)
            return None if days is None else float(days)
        if "day" in found:  # "since the 14th": of this month
            days = days_since_day_of_month(int(re.sub(r"\D", "", found["day"])), today)
            return None if days is None else float(days)
        count = amount(found["amount"], tables) if "amount" in found else None
        for slot in ("n", "nn", "d", "lone"):
            if count is None and slot in found:
                count = number(found[slot], tables)
        if count is None and "unit" in found:  # "since last week": one unit
            count = 1.0
        if count is None:
            return None
        if "unit" in found:
            return float(math.floor(count * _table(tables.units)[_key(found["unit"])]))
        return count
    except (KeyError, ValueError):
        return None
