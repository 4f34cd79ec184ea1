"""Against a real PostgreSQL: raw suites per ingest asset see only their own rows, the Open311 suites catch bad
rows, mart totals compare with the fact through mart-side measures and relations of the same picture."""

import json
from dataclasses import replace

import pytest

from expectations import reconcile
from expectations.suite import FactTotals, Suite, no_rows
from expectations.suites import BY_NAME
from sources.events import load_event_file


def batch(conn, loader: str, lines: int = 1, quarantined: int = 0) -> int:
    return conn.execute(
        "insert into raw.load_batches (batch_id, loader, origin, origin_sha256, started_at, finished_at, lines_read,"
        " loaded, duplicates, quarantined) values (nextval('raw.load_batch_seq'), %s, 'x', repeat('b', 64), now(),"
        " now(), %s, %s, 0, %s) returning batch_id",
        (loader, lines, lines - quarantined, quarantined),
    ).fetchone()[0]


def quarantine(conn, batch_id: int, loader: str, reason_code: str) -> None:
    conn.execute(
        "insert into raw.quarantine (batch_id, loader, origin, line_no, reason_code, reason, raw_text,"
        " quarantined_at) values (%s, %s, 'x', 1, %s, 'причина', 'строка', now())",
        (batch_id, loader, reason_code),
    )


def run(warehouse, name: str):
    from expectations.runner import run_suite

    return run_suite(warehouse.sqlalchemy_url(), BY_NAME[name])


def test_each_asset_validates_its_own_rows_of_a_shared_table(conn, warehouse, tmp_path):
    events = tmp_path / "a.jsonl"
    events.write_text(
        json.dumps(
            {
                "schema": "appeal-event/1",
                "source": "hotline-nao",
                "channel": "hotline",
                "appeal_id": "HL-1",
                "event_id": "e1",
                "event_type": "received",
                "occurred_at": "2025-03-03T10:00:00+03:00",
            }
        )
        + "\n{broken\n",
        encoding="utf-8",
    )
    load_event_file(conn, events)
    quarantine(conn, batch(conn, "pos_export", quarantined=1), "pos_export", "Not A Code!")
    ours = run(warehouse, "raw_quarantine__appeal_events")
    assert ours.success, ours.message()
    assert ours.stats == {"rows": 1}
    theirs = run(warehouse, "raw_quarantine__pos_exports")
    assert theirs.stats == {"rows": 1}
    assert [(f.rule, f.column, f.unexpected_count, f.sample) for f in theirs.failures] == [
        ("expect_column_values_to_match_regex", "reason_code", 1, ())
    ]  # restricted: a count, no values
    assert run(warehouse, "raw_quarantine__sed_letters").success  # no rows of its own: nothing to fail
    # Structure is the whole table's, whatever the slice: every column expectation still ran.
    assert theirs.evaluated == len(BY_NAME["raw_quarantine__pos_exports"].expectations)


def test_source_rows_of_a_loader_carry_its_channel(conn, warehouse):
    b = batch(conn, "pos_export")
    conn.execute(
        "insert into raw.source_rows (source, channel, appeal_id, exported_at, record, payload, origin,"
        " line_sha256, batch_id, loaded_at) values ('epgu-pos', 'letter', 'P-1', now(), '{}', '{}', 'x',"
        " repeat('a', 64), %s, now())",
        (b,),
    )
    found = run(warehouse, "raw_source_rows__pos_exports")
    assert [f.note for f in found.failures] == ["канал загрузчика: pos"]
    assert run(warehouse, "raw_source_rows__sed_letters").success


@pytest.fixture
def open311(conn):
    b = batch(conn, "open311", lines=3)
    conn.execute(
        "insert into raw.open311_windows values (%s, 'portal-nao', 'https://x/requests.json',"
        " '2025-03-01', '2025-03-02', 1, 1, 3, 0, true)",
        (b,),
    )
    conn.execute(
        "insert into raw.open311_cursors values ('portal-nao', 'https://x/requests.json', '2025-03-02', %s, now())",
        (b,),
    )
    s = batch(conn, "open311_services")
    conn.execute(
        "insert into raw.open311_services values ('portal-nao', 'roads', '{\"service_code\": \"roads\"}',"
        " 'x', 1, repeat('c', 64), %s, now())",
        (s,),
    )
    return b, s


def test_open311_suites_pass_on_sound_rows_and_catch_bad_ones(conn, warehouse, open311):
    names = ("raw_open311_windows", "raw_open311_cursors", "raw_open311_services")
    for name in names:
        assert run(warehouse, name).success, name
    b = batch(conn, "open311", lines=1)
    conn.execute(
        "insert into raw.open311_windows values (%s, 'portal-nao', 'https://x/requests.json',"
        " '2025-03-05', '2025-03-04', 1, 1, 1, 2, true)",
        (b,),
    )
    # A feed polled from 2003 is history, not an error; a window that ends in the future is.
    conn.execute("update raw.open311_cursors set window_end = '2003-01-01'")
    assert run(warehouse, "raw_open311_cursors").success
    conn.execute("update raw.open311_cursors set window_end = '2099-01-01'")
    conn.execute(
        "insert into raw.open311_services values ('portal-nao', 'snow', '{\"service_code\": \"roads\"}',"
        " 'x', 2, repeat('d', 64), %s, now())",
        (open311[1],),
    )
    windows, cursors, services = (run(warehouse, name) for name in names)
    assert {f.column for f in windows.failures} == {"window_end >= window_start", "objects_read >= repeated_broken"}
    assert [(f.column, f.unexpected_count) for f in cursors.failures] == [("window_end", 1)]
    assert [(f.note, f.unexpected_count) for f in services.failures] == [
        ("код услуги = service_code прочитанного объекта", 1)
    ]


@pytest.fixture
def picture(conn):
    """A fact, a mart whose measures are conditional counts, and a build horizon, in a picture's schemas."""
    for schema in ("marts__p", "intermediate__p"):
        conn.execute(f"create schema {schema}")
    conn.execute("create table intermediate__p.int_build_horizon as select timestamptz '2025-03-10' as as_of")
    conn.execute(
        "create table marts__p.f as select * from (values ('a', timestamptz '2025-03-01', true),"
        " ('a', '2025-03-20', true), ('a', '2025-03-02', false), ('b', '2025-03-01', true))"
        " as t(k, due, open)"
    )
    # The mart lists appeals in work: one overdue at as_of for a, one for b; a row of another kind to skip.
    conn.execute(
        "create table marts__p.m as select * from (values ('a', 'overdue', 'list'), ('a', 'in_time', 'list'),"
        " ('b', 'overdue', 'list'), ('b', 'overdue', 'other')) as t(k, status, kind)"
    )
    return FactTotals(
        fact="marts.f",
        where="open",
        mart_where="kind = 'list'",
        slice={"k": "k"},
        mart_measures={
            "overdue": "count(*) filter (where status = 'overdue')",
            "in_time": "count(*) filter (where status = 'in_time')",
        },
        measures={
            "overdue": "count(*) filter (where due < (select as_of from {intermediate.int_build_horizon}))",
            "in_time": "count(*) filter (where due >= (select as_of from {intermediate.int_build_horizon}))",
        },
        label="list",
    )


def test_totals_use_mart_measures_and_the_pictures_own_horizon(conn, picture):
    ok = reconcile.fact_totals(conn, "t", "marts.m", picture, "p")
    assert ok.success, ok.message()
    assert ok.stats == {
        "slices": 2,
        "failing_slices": 0,
        "mart_overdue": 2,
        "mart_in_time": 1,
        "fact_overdue": 2,
        "fact_in_time": 1,
    }
    conn.execute("update intermediate__p.int_build_horizon set as_of = '2025-03-21'")  # a later horizon: all overdue
    late = reconcile.suite_totals(conn, "t", "marts.m", (picture, replace(picture, label="again")), "p")
    assert late.failed == 2 and [(f.column, f.note) for f in late.failures] == [("k=a", "list"), ("k=a", "again")]
    assert late.failures[0].observed == {"mart": {"overdue": 1, "in_time": 1}, "fact": {"overdue": 2, "in_time": 0}}
    assert late.stats["again"]["fact_overdue"] == 3 and late.stats["list"]["mart_overdue"] == 2
    missing = reconcile.fact_totals(conn, "t", "marts.m", picture, "q")
    assert missing.error == "relation marts__q.m does not exist"


def test_a_rule_that_cannot_run_is_a_failure_with_the_database_error(conn, warehouse):
    from expectations.runner import run_suite

    conn.execute("create schema marts")
    conn.execute("create table marts.m as select 1 as n")
    broken = Suite(
        name="b", relation="marts.m", model="m", expectations=(no_rows("n", "no_such_column > 0", "правило"),)
    )
    found = run_suite(warehouse.sqlalchemy_url(), broken)
    assert not found.success
    assert found.failures[0].observed.startswith("error: ") and "no_such_column" in found.failures[0].observed
