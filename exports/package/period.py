"""Reporting periods of the federal package: a month (2025-10) or, on request, an ISO week (2025-W43)."""

from __future__ import annotations

from datetime import date, timedelta

from lib.periods import Period
from lib.periods import parse_period as _parse_any

__all__ = ["Period", "is_package_day", "nth_working_day", "parse_period", "previous_month", "working_days_of"]


def parse_period(text: str) -> Period:
    """A package's period: '2025-10' → the month; '2025-W43' → the ISO week (Monday to Monday, Moscow time)."""
    found = _parse_any(text)
    if found.kind not in ("month", "week"):
        raise ValueError(f"period must look like 2025-10 (a month) or 2025-W43 (an ISO week): {text!r}")
    return found


def previous_month(day: date) -> str:
    """The month before the one `day` is in: what a schedule firing in November reports."""
    first = day.replace(day=1) - timedelta(days=1)
    return first.strftime("%Y-%m")


def working_days_of(year: int, month: int) -> list[date]:
    """The month's working days by the production calendar seed (holidays' own calendar outside its years)."""
    import csv

    from lib.calendar import SEED_PATH

    prefix = f"{year:04d}-{month:02d}-"
    with open(SEED_PATH, encoding="utf-8") as fh:
        days = [
            date.fromisoformat(r["calendar_date"])
            for r in csv.DictReader(fh)
            if r["calendar_date"].startswith(prefix) and r["is_working_day"] == "true"
        ]
    if days:
        return days
    import holidays

    ru, day, found = holidays.RU(years=year), date(year, month, 1), []
    while day.month == month:
        if ru.is_working_day(day):
            found.append(day)
        day += timedelta(days=1)
    return found


def nth_working_day(year: int, month: int, n: int) -> date:
    return working_days_of(year, month)[n - 1]


def is_package_day(day: date) -> bool:
    """The schedule's day: the second working day of the month (after the first for late loads)."""
    return day == nth_working_day(day.year, day.month, 2)
