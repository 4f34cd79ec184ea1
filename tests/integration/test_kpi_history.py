"""reports.kpi_snapshots on a real PostgreSQL: a report is recorded once, a new revision only on a change."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from exports.kpi_history import record_kpis

MSK = timezone(timedelta(hours=3))
CLOSE = datetime(2025, 11, 1, tzinfo=MSK)


def build(conn, schema: str, rows: list[tuple]) -> None:
    """A stand-in for an as-of build's mart_kpi_values with the columns record_kpis reads."""
    conn.execute(f"create schema if not exists {schema}")
    conn.execute(f"drop table if exists {schema}.mart_kpi_values")
    conn.execute(
        f"create table {schema}.mart_kpi_values (period text, slice_kind text, slice_code text,"
        " indicator text, is_headline boolean, value numeric)"
    )
    with conn.cursor() as cur:
        cur.executemany(f"insert into {schema}.mart_kpi_values values (%s, %s, %s, %s, %s, %s)", rows)
    conn.commit()


FIRST = [
    ("2025-10", "region", "nao", "incoming", True, 10),
    ("2025-10", "region", "nao", "satisfaction_share", True, None),  # no ratings yet
    ("2025-10", "sector", "housing", "incoming", True, 4),
    ("2025-10", "region", "nao", "with_interim", False, 3),  # not a headline figure
    ("2025-10", "category", "housing.heating", "incoming", True, 2),  # not a reported slice
    ("2025-09", "region", "nao", "incoming", True, 8),  # another period
]


def snapshots(conn):
    return conn.execute(
        "select revision, slice_kind, slice_code, indicator, value, batch_hwm, source_schema"
        " from reports.kpi_snapshots"
        " order by revision, slice_kind, slice_code, indicator"
    ).fetchall()


def test_a_report_is_recorded_once_and_revised_only_on_change(conn):
    build(conn, "marts__asof_t1", FIRST)
    assert record_kpis(conn, "2025-10", "asof_t1", CLOSE, 5) == 1
    assert snapshots(conn) == [
        (1, "region", "nao", "incoming", Decimal(10), 5, "marts__asof_t1"),
        (1, "region", "nao", "satisfaction_share", None, 5, "marts__asof_t1"),
        (1, "sector", "housing", "incoming", Decimal(4), 5, "marts__asof_t1"),
    ]
    # The same figures again, even from a later batch, are the same report.
    assert record_kpis(conn, "2025-10", "asof_t1", CLOSE, 6) == 1
    assert len(snapshots(conn)) == 3
    # A late rating arrives: the next build differs in one figure, which makes a whole new revision.
    rated = [r if r[3] != "satisfaction_share" else r[:5] + (Decimal("0.5"),) for r in FIRST]
    build(conn, "marts__asof_t2", rated)
    assert record_kpis(conn, "2025-10", "asof_t2", CLOSE, 7) == 2
    second = [row for row in snapshots(conn) if row[0] == 2]
    assert [(r[3], r[4], r[5]) for r in second] == [
        ("incoming", 10, 7),
        ("satisfaction_share", Decimal("0.5"), 7),
        ("incoming", 4, 7),
    ]
    assert record_kpis(conn, "2025-10", "asof_t2", CLOSE, 7) == 2
    # Another period is reported on its own.
    assert record_kpis(conn, "2025-09", "asof_t1", CLOSE, 5) == 1
    assert conn.execute("select count(*) from reports.kpi_snapshots").fetchone()[0] == 7


def test_nothing_to_record_is_an_error_and_writes_nothing(conn):
    build(conn, "marts__asof_t3", FIRST)
    with pytest.raises(ValueError, match="no headline figures for period 2025-11"):
        record_kpis(conn, "2025-11", "asof_t3", CLOSE, 5)
    with pytest.raises(ValueError, match="time zone"):
        record_kpis(conn, "2025-10", "asof_t3", datetime(2025, 11, 1), 5)
    conn.rollback()
    assert snapshots(conn) == []
