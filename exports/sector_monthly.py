"""CSV export of mart_sector_monthly: the first file the warehouse hands to people."""

from __future__ import annotations

import csv
from pathlib import Path

import psycopg

COLUMNS = [
    "month",
    "sector_code",
    "sector_name",
    "channel_code",
    "channel_name",
    "incoming",
    "answered",
    "answered_on_time",
    "on_time_share",
    "overdue_open",
    "resolution_median_days",
    "rated",
    "satisfied",
    "satisfaction_share",
]


def export_sector_monthly(conn: psycopg.Connection, out_dir: Path) -> tuple[Path, int]:
    """Write the mart ordered by its key; the same data gives the same bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "mart_sector_monthly.csv"
    rows = conn.execute(
        f"select {', '.join(COLUMNS)} from marts.mart_sector_monthly order by month, sector_code, channel_code"
    ).fetchall()
    tmp = path.with_suffix(".csv.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    tmp.replace(path)  # readers never see a half-written file
    return path, len(rows)
