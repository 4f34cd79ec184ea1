"""Reporting periods, parsed in one place: a year (2025), a quarter (2025-Q4), a month (2025-10) or an ISO week
(2025-W43), each [start, end) in Moscow time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

REPORTING_TZ = ZoneInfo("Europe/Moscow")  # НАО lives on Moscow time; periods close at local midnight
_PERIOD = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>0[1-9]|1[0-2])|-Q(?P<quarter>[1-4])|-W(?P<week>0[1-9]|[1-4]\d|5[0-3]))?$"
)


@dataclass(frozen=True)
class Period:
    """A closed reporting period: [start, end) in Moscow time; `month` is the calendar month the marts use."""

    label: str  # 2025, 2025-Q4, 2025-10 or 2025-W43
    kind: str  # year | quarter | month | week
    start: datetime
    end: datetime

    @property
    def close(self) -> datetime:
        return self.end

    @property
    def suffix(self) -> str:
        """Schema suffix of the period's as-of build: '2025-10' → 'asof_2025_10', '2025-Q4' → 'asof_2025_q4'."""
        return "asof_" + self.label.lower().replace("-", "_")

    @property
    def month(self) -> date:
        """The month whose figures the package shows: the period's own, or the one a week ends in."""
        last_day = (self.end - timedelta(days=1)).date()
        return last_day.replace(day=1)

    @property
    def month_label(self) -> str:
        return self.month.strftime("%Y-%m")


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=REPORTING_TZ)


def parse_period(text: str) -> Period:
    """'2025', '2025-Q4', '2025-10' or '2025-W43' (Monday to Monday) → the Period."""
    text = (text or "").strip()
    match = _PERIOD.match(text)
    if not match:
        raise ValueError(f"period must look like 2025-10, 2025-Q4, 2025 or 2025-W43: {text!r}")
    year = int(match["year"])
    if match["week"]:
        try:
            monday = date.fromisocalendar(year, int(match["week"]), 1)
        except ValueError:
            raise ValueError(f"no such ISO week: {text!r}") from None
        return Period(text, "week", _midnight(monday), _midnight(monday + timedelta(days=7)))
    if match["month"]:
        kind, first, months = "month", int(match["month"]), 1
    elif match["quarter"]:
        kind, first, months = "quarter", 3 * int(match["quarter"]) - 2, 3
    else:
        kind, first, months = "year", 1, 12
    last = first + months  # the month after the period, possibly in the next year
    end = date(year + (last - 1) // 12, (last - 1) % 12 + 1, 1)
    return Period(text, kind, _midnight(date(year, first, 1)), _midnight(end))


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """'2025-10', '2025-Q4' or '2025' → [start, end) in Moscow time (the periods the marts keep)."""
    found = parse_period(period)
    if found.kind == "week":
        raise ValueError(f"period must look like 2025-10, 2025-Q4 or 2025: {period!r}")
    return found.start, found.end


def period_close(period: str) -> datetime:
    """The moment a period closes: its exclusive end, e.g. '2025-10' → 2025-11-01T00:00:00+03:00."""
    return period_bounds(period)[1]


def suffix_for(period: str) -> str:
    """Schema suffix of a period's as-of build: '2025-10' → 'asof_2025_10', '2025-Q4' → 'asof_2025_q4'."""
    period_bounds(period)  # validates
    return parse_period(period).suffix
