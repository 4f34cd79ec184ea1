"""Validation against a real PostgreSQL: GX suites on hand-made tables, reconciliations, freshness, storage."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from expectations import batches, reconcile
from expectations.freshness import assess_all
from expectations.results import Failure, Outcome
from expectations.store import latest, record
from expectations.suite import FactTotals, Suite, at_most, columns, expect, not_null, shares, unique
from sources.events import load_event_file

T0 = datetime(2025, 12, 31, tzinfo=UTC)


def write_events(path: Path, *events: dict) -> Path:
    base = {
        "schema": "appeal-event/1",
        "source": "hotline-nao",
        "channel": "hotline",
        "appeal_id": "HL-1",
        "event_type": "received",
        "occurred_at": "2025-03-03T10:00:00+03:00",
    }
    path.write_text("".join(json.dumps({**base, **e}) + "\n" for e in events) + "{broken\n", encoding="utf-8")
    return path


@pytest.fixture
def loaded(conn, tmp_path):
    """Two batches: 3 events + 1 quarantined line, then 2 events + 1 quarantined line."""
    first = load_event_file(
        conn,
        write_events(
            tmp_path / "a.jsonl", {"event_id": "e1"}, {"event_id": "e2"}, {"event_id": "e3", "appeal_id": "HL-2"}
        ),
    )
    second = load_event_file(
        conn, write_events(tmp_path / "b.jsonl", {"event_id": "e4", "channel": "letter"}, {"event_id": "e5"})
    )
    return first.batch_id, second.batch_id


def test_batches_reconcile_until_a_row_goes_missing(conn, loaded):
    first, second = loaded
    ok = batches.load_batches(conn)
    assert ok.success, ok.message()
    assert ok.stats["lines_read"] == 7 and ok.stats["loaded"] == 5 and ok.stats["quarantined"] == 2
    assert ok.evaluated == 2
    conn.execute("set session_replication_role = replica")  # tampering as a superuser past the raw guard
    conn.execute("delete from raw.appeal_events where event_id = 'e5'")
    bad = batches.load_batches(conn)
    assert [f.column for f in bad.failures] == [f"batch {second} (appeal_events)"]
    assert bad.failures[0].expected == "loaded = rows stored"
    assert bad.failures[0].observed["loaded"] == 2 and bad.failures[0].observed["rows_stored"] == 1


def test_a_tampered_batch_count_is_caught(conn, loaded):
    first, _ = loaded
    # The table's own constraint keeps read = loaded + duplicates + quarantined: move one between them.
    conn.execute("set session_replication_role = replica")  # tampering as a superuser past the raw guard
    conn.execute(
        "update raw.load_batches set loaded = loaded - 1, duplicates = duplicates + 1 where batch_id = %s", (first,)
    )
    conn.execute("delete from raw.quarantine where batch_id = %s", (first,))
    bad = batches.load_batches(conn)
    assert len(bad.failures) == 1
    assert bad.failures[0].expected == "loaded = rows stored; quarantined = rows in raw.quarantine"
    assert "1 of 2 failed" in bad.message()


def test_freshness_reads_both_raw_tables(conn, loaded):
    loaded_at = conn.execute(
        "select max(loaded_at) from raw.appeal_events where payload->>'channel' = 'hotline'"
    ).fetchone()[0]
    # A snapshot row for pos, loaded two days before the events.
    batch = conn.execute(
        "insert into raw.load_batches (batch_id, loader, origin, started_at, finished_at,"
        " lines_read, loaded, duplicates, quarantined) values (nextval('raw.load_batch_seq'),"
        " 'pos_export', 'pos.xlsx', now(), now(), 1, 1, 0, 0) returning batch_id"
    ).fetchone()[0]
    conn.execute(
        "insert into raw.source_rows (source, channel, appeal_id, exported_at, record, payload, origin,"
        " line_sha256, batch_id, loaded_at) values ('pos-epgu', 'pos', 'P-1', now(), '{}', '{}', 'pos.xlsx',"
        " repeat('a', 64), %s, %s)",
        (batch, loaded_at - timedelta(hours=48)),
    )
    limits = {"hotline": 72, "letter": 120, "pos": 48, "portal": 24}
    soon = assess_all(conn, now=loaded_at + timedelta(hours=1), limits=limits)
    assert {c: o.success for c, o in soon.items()} == {"hotline": True, "letter": True, "pos": False, "portal": False}
    assert soon["pos"].stats["silence_hours"] == 49.0
    assert soon["portal"].failures[0].observed == "nothing loaded yet"
    later = assess_all(conn, now=loaded_at + timedelta(hours=100), limits=limits)
    assert {c: o.success for c, o in later.items()} == {"hotline": False, "letter": True, "pos": False, "portal": False}


def test_results_are_stored_and_the_latest_is_read_back(conn):
    t0 = conn.execute("select now()").fetchone()[0]
    good = Outcome("s", "expectations", "marts.m", 3, [], t0, t0, stats={"rows": 4})
    bad = Outcome(
        "s",
        "expectations",
        "marts.m",
        3,
        [Failure("expect_x", "true", column="c", unexpected_count=1, sample=(1.7,))],
        t0,
        t0 + timedelta(seconds=1),
    )
    record(conn, good, check_name="gx_s", asset_key="marts/m", blocking=True, run_id="r1")
    record(conn, bad, check_name="gx_s", asset_key="marts/m", blocking=True, run_id="r2")
    now = latest(conn, "marts/m")["gx_s"]
    assert (now["success"], now["evaluated"], now["failed"]) == (False, 3, 1)
    assert now["failed_expectations"][0]["sample"] == [1.7]
    assert conn.execute("select count(*) from quality.validation_runs").fetchone()[0] == 2


@pytest.fixture
def mart(conn):
    conn.execute("create schema marts")
    conn.execute(
        "create table marts.m (month date, sector_code text, on_time_share numeric, incoming integer, answered integer)"
    )
    conn.execute(
        "insert into marts.m values ('2025-01-01', 'health', 0.5, 4, 2), ('2025-01-01', 'roads', 1, 3, 3),"
        " ('2025-02-01', 'health', null, 1, 0)"
    )
    conn.commit()
    return conn


MART_SUITE = Suite(
    name="m",
    relation="marts.m",
    model="m",
    blocking=True,
    expectations=(
        *columns({"month": "date", "sector_code": "text", "on_time_share": "numeric", "incoming": "integer"}),
        *not_null("month", "sector_code"),
        unique("month", "sector_code"),
        *shares("on_time_share"),
        at_most("answered", "incoming"),
        expect(
            "unexpected_rows_expectation",
            "доля = answered / incoming",
            description="доля",
            unexpected_rows_query="select month from {batch} where on_time_share > 1",
        ),
    ),
)


def test_a_suite_passes_on_good_rows_and_names_what_bad_rows_break(mart, warehouse):
    from expectations.runner import run_suite

    good = run_suite(warehouse.sqlalchemy_url(), MART_SUITE)
    assert good.success, good.message()
    assert good.evaluated == len(MART_SUITE.expectations) == 11 and good.stats == {"rows": 3}
    mart.execute("insert into marts.m values ('2025-01-01', 'health', 1.7, 2, 3), ('2025-03-01', null, 0, 1, 1)")
    mart.commit()
    bad = run_suite(warehouse.sqlalchemy_url(), MART_SUITE)
    by_rule = {(f.rule, f.column): f for f in bad.failures}
    assert set(by_rule) == {
        ("expect_column_values_to_not_be_null", "sector_code"),
        ("expect_compound_columns_to_be_unique", "month, sector_code"),
        ("expect_column_values_to_be_between", "on_time_share"),
        ("expect_column_pair_values_a_to_be_greater_than_b", "incoming >= answered"),
        ("unexpected_rows_expectation", None),
    }
    share = by_rule[("expect_column_values_to_be_between", "on_time_share")]
    assert (share.unexpected_count, [float(v) for v in share.sample]) == (1, [1.7])
    assert by_rule[("expect_compound_columns_to_be_unique", "month, sector_code")].unexpected_count == 2
    assert by_rule[("unexpected_rows_expectation", None)].expected == "no rows where on_time_share > 1"
    assert "expect_column_values_to_be_between(on_time_share)" in bad.message(limit=5)


def test_restricted_suites_keep_counts_but_no_values(mart, warehouse):
    from expectations.runner import run_suite

    secret = Suite(
        name="r",
        relation="marts.m",
        asset=("raw", "x"),
        restricted=True,
        expectations=(
            expect("expect_column_values_to_be_in_set", column="sector_code", value_set=["x"]),
            expect("expect_column_most_common_value_to_be_in_set", column="sector_code", value_set=["x"]),
            expect("expect_table_row_count_to_equal", value=2),
            expect("expect_column_values_to_be_of_type", column="sector_code", type_="INTEGER"),
        ),
    )
    found = run_suite(warehouse.sqlalchemy_url(), secret)
    assert [(f.unexpected_count, f.sample, f.observed) for f in found.failures] == [
        (3, (), None),
        (None, (), "hidden: restricted table"),
        (None, (), 3),
        (None, (), "TEXT"),
    ]


def test_a_missing_table_is_an_error_not_a_pass(warehouse):
    from expectations.runner import run_suite

    missing = run_suite(warehouse.sqlalchemy_url(), MART_SUITE)
    assert not missing.success and missing.error == "relation marts.m does not exist"


def test_every_registered_expectation_is_a_gx_expectation():
    import great_expectations as gx

    from expectations.runner import _expectation
    from expectations.suites import SUITES

    for suite in SUITES:
        for i, spec in enumerate(suite.rules):
            assert _expectation(gx, spec, i, T0).meta["index"] == i


def test_mart_totals_against_the_fact_slice_by_slice(mart):
    mart.execute("create table marts.f (received_month date, sector_code text, answered boolean)")
    mart.execute(
        "insert into marts.f values ('2025-01-01', 'health', true), ('2025-01-01', 'health', true),"
        " ('2025-01-01', 'health', false), ('2025-01-01', 'health', false),"
        " ('2025-01-01', 'roads', true), ('2025-01-01', 'roads', true), ('2025-01-01', 'roads', true),"
        " ('2025-02-01', 'health', false), ('2025-02-01', 'energy', true)"
    )
    totals = FactTotals(
        fact="marts.f",
        slice={"month": "received_month", "sector_code": "sector_code"},
        measures={"incoming": "count(*)", "answered": "count(*) filter (where answered)"},
    )
    found = reconcile.fact_totals(mart, "m_totals", "marts.m", totals)
    assert found.stats["slices"] == 4 and found.stats["mart_incoming"] == 8 and found.stats["fact_incoming"] == 9
    assert [(f.column, f.observed) for f in found.failures] == [
        (
            "month=2025-02-01, sector_code=energy",
            {"mart": {"incoming": 0, "answered": 0}, "fact": {"incoming": 1, "answered": 1}},
        )
    ]
    # A slice with a missing key still matches its counterpart (null-safe join).
    mart.execute("update marts.m set sector_code = null where month = '2025-02-01'")
    mart.execute("update marts.f set sector_code = null where received_month = '2025-02-01' and not answered")
    mart.execute("delete from marts.f where sector_code = 'energy'")
    assert reconcile.fact_totals(mart, "m_totals", "marts.m", totals).success


def test_appeals_in_events_both_ways(conn):
    conn.execute("create schema marts")
    conn.execute("create table marts.fct_appeals as select * from (values ('a/1'), ('a/2'), ('a/3')) as t(appeal_key)")
    conn.execute(
        "create table marts.fct_appeal_events as select * from"
        " (values ('a/1'), ('a/1'), ('a/2'), ('a/3')) as t(appeal_key)"
    )
    ok = reconcile.appeals_in_events(conn)
    assert ok.success and ok.stats == {"appeals_in_events": 3, "rows_in_fct_appeals": 3}
    conn.execute("delete from marts.fct_appeals where appeal_key = 'a/2'")
    conn.execute("insert into marts.fct_appeals values ('a/9')")
    bad = reconcile.appeals_in_events(conn)
    assert [(f.rule, f.sample) for f in bad.failures] == [
        ("events without an appeal row", ("a/2",)),
        ("appeal rows without events", ("a/9",)),
    ]
