import csv
from collections import Counter

from lib.calendar import HEADER, SEED_PATH, calendar_rows


def test_seed_is_the_frozen_calendar():
    with open(SEED_PATH, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == HEADER
    assert rows[1:] == calendar_rows(), "run `tsur calendar` after upgrading the holidays package"


def test_official_working_day_counts():
    counts = Counter(row[0][:4] for row in calendar_rows() if row[1] == "true")
    assert {y: counts[y] for y in ("2023", "2024", "2025", "2026")} == {
        "2023": 247,
        "2024": 248,
        "2025": 247,
        "2026": 247,
    }


def test_transfers():
    working = {row[0]: row[1] == "true" for row in calendar_rows()}
    assert working["2024-04-27"] and working["2024-11-02"] and working["2024-12-28"] and working["2025-11-01"]
    assert not working["2024-11-04"] and not working["2025-01-08"]
