"""Fault suite 6: incremental builds after several loads equal a full refresh of the same data.

Files of every file-borne channel arrive in three rounds; after each round dbt builds incrementally with the
clocks moving forward (world time and load batches). The result must be the same, table for table, as a
build from scratch with the last clocks — and the last incremental step must really have rebuilt only a part.
Moving a clock back (a past picture built into the same schemas) must also give the from-scratch result."""

import re

import pytest

from sources.detect import ingest_file
from sources.sample import generate_sample
from tests.faults.cases import build, schema_digests

pytestmark = pytest.mark.slow
BUILD_CLOCKS = ("_built_hwm", "_built_as_of")  # the clocks of the build that wrote a row: differ by design
ROUNDS = (("2025-01", "2025-04"), ("2025-05", "2025-08"), ("2025-09", "2026-01"))
AS_OF = {0: "2025-05-01T00:00:00+03:00", 1: "2025-09-01T00:00:00+03:00", 2: "2026-01-20T00:00:00+03:00"}
INCREMENTAL = (
    "int_appeal_events",
    "int_appeals__folded",
    "int_appeal_categories",
    "int_appeal_deadlines",
    "int_appeal_work_spells",
    "fct_appeal_events",
    "fct_appeals",
    "fct_appeal_measures",
    "mart_conflicts",
    "mart_deadline_control",
    "int_kpi_periods",
    "int_repeat_clusters",
    "int_sector_kpi_months",
)


def month_of(name: str) -> str:
    return re.search(r"(\d{4}-\d{2})", name).group(1)


def state(conn) -> dict[str, tuple]:
    """md5 of every mart and intermediate table, the build clocks of incremental rows aside."""
    return {
        **schema_digests(conn, "marts", BUILD_CLOCKS),
        **{f"intermediate.{k}": v for k, v in schema_digests(conn, "intermediate", BUILD_CLOCKS).items()},
    }


def rebuilt_by_last_build(conn, hwm: int, table: str = "int_appeals__folded") -> tuple[int, int]:
    return conn.execute(
        f"select count(*) filter (where _built_hwm = %s), count(*) from intermediate.{table}", (hwm,)
    ).fetchone()


def test_incremental_builds_equal_a_full_refresh(warehouse, dbt_manifest, tmp_path):
    sample = generate_sample(tmp_path / "landing", scale=0.03, formats="native")
    files = [p for p in sample.paths if p.suffix in (".jsonl", ".csv", ".xlsx")]
    clocks = {}
    with warehouse.connect(autocommit=True) as conn:
        for round_no, (first, last) in enumerate(ROUNDS):
            for path in sorted(files, key=lambda p: (month_of(p.name), p.name)):
                if first <= month_of(path.name) <= last:
                    ingest_file(conn, path)
            hwm = conn.execute("select max(batch_id) from raw.load_batches").fetchone()[0]
            clocks = {"as_of": AS_OF[round_no], "batch_hwm": hwm}
            build(warehouse, clocks)
        incremental = state(conn)
        rebuilt, total = rebuilt_by_last_build(conn, clocks["batch_hwm"])
        periods_rebuilt = conn.execute(
            "select count(distinct (period_kind, period_start)) filter (where _built_hwm = %s),"
            " count(distinct (period_kind, period_start)) from intermediate.int_kpi_periods",
            (clocks["batch_hwm"],),
        ).fetchone()
    # The last round touched the appeals of its files and those older exports still showed, not all of them.
    assert 0 < rebuilt < total, (rebuilt, total)
    # …and the indicators of the months those appeals came in (with their quarters and years), not all periods.
    assert 0 < periods_rebuilt[0] < periods_rebuilt[1], periods_rebuilt

    build(warehouse, clocks, full_refresh=True)
    with warehouse.connect(autocommit=True) as conn:
        full = state(conn)
        assert rebuilt_by_last_build(conn, clocks["batch_hwm"]) == (total, total)
    assert set(INCREMENTAL) <= {k.split(".")[-1] for k in full}
    differing = sorted(k for k in full if incremental.get(k) != full[k])
    assert differing == [], differing
    assert len(full) >= 20 and full["fct_appeals"][0] == total
    print(
        f"\nincremental = full refresh: {len(full)} tables; last step rebuilt {rebuilt} of {total} appeals,"
        f" {periods_rebuilt[0]} of {periods_rebuilt[1]} periods"
    )


def test_a_clock_moved_back_rebuilds_from_scratch(warehouse, dbt_manifest, tmp_path):
    sample = generate_sample(tmp_path / "landing", scale=0.02, formats="native")
    with warehouse.connect(autocommit=True) as conn:
        for path in sample.paths:
            if path.suffix in (".jsonl", ".csv", ".xlsx"):
                ingest_file(conn, path)
        hwm = conn.execute("select max(batch_id) from raw.load_batches").fetchone()[0]
    now = {"as_of": "2026-01-20T00:00:00+03:00", "batch_hwm": hwm}
    past = {"as_of": "2025-07-01T00:00:00+03:00", "batch_hwm": hwm - 10}
    build(warehouse, now)
    build(warehouse, past)  # incremental, but both clocks went back
    with warehouse.connect(autocommit=True) as conn:
        went_back = state(conn)
        later = conn.execute(
            "select count(*) from intermediate.int_appeal_events where batch_id > %s or occurred_at > %s",
            (past["batch_hwm"], past["as_of"]),
        ).fetchone()[0]
    assert later == 0
    build(warehouse, past, full_refresh=True)
    with warehouse.connect(autocommit=True) as conn:
        assert state(conn) == went_back
