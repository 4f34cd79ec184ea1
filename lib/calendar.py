"""The Russian production calendar, frozen from the `holidays` package into a dbt seed."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import holidays

from lib.config import DBT_PROJECT_DIR

SEED_PATH = DBT_PROJECT_DIR / "seeds" / "calendar" / "production_calendar.csv"
# The official calendar from 1991 (the first year the package knows for Russia); years ahead carry the fixed
# holidays without transfers (the government publishes those a year ahead). Outside, int_working_calendar
# counts Monday to Friday, so deadlines and durations of any date stay computable.
FIRST_YEAR, LAST_YEAR = 1991, 2035
HEADER = ["calendar_date", "is_working_day", "is_weekend", "holiday_name"]


def calendar_rows(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> list[list[str]]:
    """One row per day: working day by the official calendar (transfers included), weekend, holiday name."""
    ru = holidays.RU(years=range(first_year, last_year + 1), language="ru")
    rows = []
    day = date(first_year, 1, 1)
    while day.year <= last_year:
        name = ru.get(day) or ""
        rows.append([day.isoformat(), str(ru.is_working_day(day)).lower(), str(day.weekday() >= 5).lower(), name])
        day += timedelta(days=1)
    return rows


def write_seed(path: Path = SEED_PATH) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = calendar_rows()
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return len(rows)
