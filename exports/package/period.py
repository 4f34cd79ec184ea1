"""Reporting periods of the federal package: a month (2025-10) or, on request, an ISO week (2025-W43)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from orchestration.asof import REPORTING_TZ, period_bounds

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_WEEK = re.compile(r"^(?P<year>\d{4})-W(?P<week>0[1-9]|[1-4]\d|5[0-3])$")


@dataclass(frozen=True)
class Period:
    """A closed reporting period: [start, end) in Moscow time; `month` is the calendar month the marts use."""

    label: str  # 2025-10 or 2025-W43
    kind: str  # month | week
    start: datetime
    end: datetime

    @property
    def close(self) -> datetime:
        return self.end

    @property
    def suffix(self) -> str:
        """Schema suffix of the period's as-of build (the same as `tsur report` uses for a month)."""
        return "asof_" + self.label.lower().replace("-", "_")

    @property
    def month(self) -> date:
        """The month whose figures the package shows: the period's own, or the one a week ends in."""
        last_day = (self.end - timedelta(days=1)).date()
        return last_day.replace(day=1)

    @property
    def month_label(self) -> str:
        return self.month.strftime("%Y-%m")


def parse_period(text: str) -> Period:
    """'2025-10' → the month; '2025-W43' → the ISO week (Monday to Monday, Moscow time)."""
    text = (text or "").strip()
    if _MONTH.match(text):
        start, end = period_bounds(text)
        return Period(text, "month", start, end)
    match = _WEEK.match(text)
    if match:
        try:
            monday = date.fromisocalendar(int(match["year"]), int(match["week"]), 1)
        except ValueError:
            raise ValueError(f"no such ISO week: {text!r}") from None
        start = datetime(monday.year, monday.month, monday.day, tzinfo=REPORTING_TZ)
        end_day = monday + timedelta(days=7)
        return Period(text, "week", start, datetime(end_day.year, end_day.month, end_day.day, tzinfo=REPORTING_TZ))
    raise ValueError(f"period must look like 2025-10 (a month) or 2025-W43 (an ISO week): {text!r}")


def previous_month(day: date) -> str:
    """The month before the one `day` is in: what a schedule firing in November reports."""
    first = day.replace(day=1) - timedelta(days=1)
    return first.strftime("%Y-%m")


def working_days_of(year: int, month: int) -> list[date]:
    """The month's working days by the production calendar seed (holidays' own calendar outside its years)."""
    import csv

    from orchestration.calendar import SEED_PATH

    prefix = f"{year:04d}-{month:02d}-"
    with open(SEED_PATH, encoding="utf-8") as fh:
        days = [date.fromisoformat(r["calendar_date"]) for r in csv.DictReader(fh)
                if r["calendar_date"].startswith(prefix) and r["is_working_day"] == "true"]
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
