"""Polling the local Open311 server into a real PostgreSQL: faults, recovery, the cursor, re-polls, changes.

The expected content of raw.source_rows is computed from the server's data with plain json/datetime.
"""

import logging
from datetime import UTC, datetime, timedelta

import pytest

from sources.open311.client import Open311Error
from sources.open311.poll import PollError, poll_endpoint
from sources.open311.server import Feed, Open311Server
from tests.integration.open311_helpers import (
    FAST,
    NOW,
    SINCE,
    cursor,
    endpoint,
    make_requests,
    raw_dump,
    snapshots,
    stored,
)

DATA = make_requests(57)  # 2025-02-01 .. 2025-02-22, nine hours apart: four seven-day windows, pages of five


@pytest.fixture
def db(warehouse):
    with warehouse.connect(autocommit=True) as connection:
        yield connection


@pytest.fixture
def server():
    with Open311Server(Feed(DATA)) as running:
        yield running


def poll(db, server, *, now=NOW, since=SINCE, **options):
    return poll_endpoint(db, endpoint(server, **options), since=since, now=now, client_settings=FAST)


def test_a_poll_loads_every_request_once_with_lineage(db, server):
    report = poll(db, server)
    assert set(stored(db)) == snapshots(DATA) and len(stored(db)) == 57
    totals = report.totals()
    assert (totals["read"], totals["loaded"], totals["duplicates"], totals["quarantined"]) == (57, 57, 0, 0)
    assert cursor(db) == NOW and report.cursor_after == NOW
    row = db.execute(
        "select origin, sheet, line_no, payload->>'description', flags from raw.source_rows where appeal_id = 'R-012'"
    ).fetchone()
    assert row[0].startswith(server.url + "/requests.json?start_date=2025-02-01T00%3A00%3A00Z&end_date=")
    assert row[0].endswith("&page=3&page_size=5") and (row[1], row[2]) == ("page=3", 2)
    assert row[3:] == ("Яма напротив дома 12", [])
    ledger = db.execute(
        "select sum(w.objects_read), sum(b.lines_read), sum(w.repeated_broken)"
        " from raw.open311_windows w join raw.load_batches b using (batch_id)"
    ).fetchone()
    assert ledger == (57, 57, 0)
    assert db.execute("select service_code, payload->>'service_name' from raw.open311_services").fetchall() == [
        ("roads-pothole", "Ямы на дороге")
    ]


def test_polling_again_loads_nothing_and_makes_no_batches(db, server):
    poll(db, server)
    batches = db.execute("select count(*) from raw.load_batches").fetchone()[0]
    before = stored(db)
    report = poll(db, server)
    assert stored(db) == before
    assert db.execute("select count(*) from raw.load_batches").fetchone()[0] == batches
    assert report.totals()["loaded"] == 0 and report.totals()["batches"] == 0
    # Without `since`, the next poll starts at the cursor minus the lookback and also finds nothing new.
    later = poll_endpoint(db, endpoint(server), now=NOW + timedelta(hours=1), client_settings=FAST)
    assert later.totals()["loaded"] == 0 and stored(db) == before


def test_a_changed_request_is_a_new_snapshot_and_the_old_one_stays(db, server):
    poll(db, server)
    changed = dict(DATA[19], status="closed", status_notes="Яма заделана", updated_datetime="2025-02-27T10:00:00+03:00")
    server.feed.put(changed)
    report = poll(db, server, now=NOW + timedelta(days=1))
    assert report.totals()["loaded"] == 1
    assert set(stored(db)) == snapshots(DATA) | snapshots([changed])
    rows = db.execute(
        "select exported_at, record->>'status', record->>'closed_at' from raw.source_rows"
        " where appeal_id = 'R-020' order by exported_at"
    ).fetchall()
    assert rows == [
        (datetime.fromisoformat(DATA[19]["updated_datetime"]), "open", None),
        (datetime(2025, 2, 27, 7, tzinfo=UTC), "closed", "2025-02-27T10:00:00+03:00"),
    ]


@pytest.mark.parametrize(
    "inject, extra_requests",
    [
        (lambda f: f.status(500, times=2), 2),
        (lambda f: f.status(503, times=1, retry_after="1"), 1),
        (lambda f: f.slow(1.0, times=1), 1),
        (lambda f: f.truncate(times=2), 2),
        (lambda f: f.repeat_page(3), None),  # page 3 answered with page 2: the window is read again
        (lambda f: f.skip_page(2), None),  # page 2 answered with page 3: its objects never came; read again
    ],
    ids=["500", "503+retry-after", "timeout", "truncated", "repeated-page", "missing-page"],
)
def test_each_fault_ends_in_a_complete_duplicate_free_load(db, server, inject, extra_requests):
    clean = Open311Server(Feed(DATA)).start()
    try:
        poll_endpoint(db, endpoint(clean, source="control"), since=SINCE, now=NOW, client_settings=FAST)
    finally:
        clean.stop()
    baseline = len(clean.log)
    inject(server.faults)
    report = poll(db, server)
    assert set(stored(db)) == snapshots(DATA)
    assert db.execute(
        "select count(*), count(distinct appeal_id) from raw.source_rows where source = 'test-city'"
    ).fetchone() == (57, 57)
    assert cursor(db) == NOW and report.complete
    assert db.execute("select count(*) from raw.quarantine").fetchone()[0] == 0
    if extra_requests is not None:
        assert len(server.log) == baseline + extra_requests
    else:  # one window read twice: its pages fetched again
        assert len(server.log) > baseline + 1


def test_a_page_lost_without_a_trace_is_recovered_by_the_next_poll(db, server):
    server.faults.empty_page(2)  # page 2 of the first window comes back empty: as if the data ended there
    first = poll(db, server)
    missing = snapshots(DATA) - set(stored(db))
    # Windows lie on a grid of Saturdays 00:00 UTC; the first is Feb 1..8. Its first page held five requests.
    first_window = [
        r for r in DATA if datetime.fromisoformat(r["requested_datetime"]) <= datetime(2025, 2, 8, tzinfo=UTC)
    ]
    assert missing == snapshots(first_window[5:]) and len(missing) > 5
    assert first.complete  # nothing in the answers showed it
    # The next scheduled poll starts lookback_days before the cursor and reads the window again.
    poll_endpoint(db, endpoint(server), now=NOW + timedelta(minutes=15), client_settings=FAST)
    assert set(stored(db)) == snapshots(DATA) and len(stored(db)) == 57


def test_a_server_dying_mid_poll_then_a_second_poll_completes(db, server):
    server.faults.die_after = 6  # services, then pages of the first windows
    with pytest.raises(PollError) as caught:
        poll(db, server)
    report = caught.value.report
    kept = stored(db)
    assert 0 < len(kept) < 57
    # The cursor stands exactly at the end of the last window stored, and that window is whole.
    assert cursor(db) == report.windows[-1].end == report.cursor_after
    before_cursor = {
        s
        for s in snapshots(DATA)
        if s[0]
        in {r["service_request_id"] for r in DATA if datetime.fromisoformat(r["requested_datetime"]) <= cursor(db)}
    }
    assert before_cursor <= set(kept)
    server.faults.die_after = None
    server.start()  # back on the same port
    poll_endpoint(db, endpoint(server), now=NOW, client_settings=FAST)  # from the cursor, no `since`
    assert set(stored(db)) == snapshots(DATA) and len(stored(db)) == 57
    assert cursor(db) == NOW


def test_a_feed_that_lists_a_request_twice_across_pages_is_read_whole(db, server):
    from sources.open311.jsontext import Pairs

    server.feed.append(Pairs(list(DATA[4].items())))  # R-005 ends page 1; its twin opens page 2
    report = poll(db, server)
    assert set(stored(db)) == snapshots(DATA) and len(stored(db)) == 57
    assert report.complete and cursor(db) == NOW  # read twice, the same both times: that is the feed


def test_a_server_that_ignores_paging_is_read_in_smaller_windows(db):
    with Open311Server(Feed(DATA), honour_paging=False, default_page_size=10) as capped:
        report = poll(db, capped)
    assert set(stored(db)) == snapshots(DATA) and len(stored(db)) == 57
    assert report.complete


def test_broken_requests_are_quarantined_once_and_counts_reconcile(db, server):
    broken = [
        '{"service_request_id": null, "requested_datetime": "2025-02-03T10:00:00+03:00"}',
        '{"service_request_id": "X-1", "requested_datetime": "2025-02-30T10:00:00+03:00",'
        ' "updated_datetime": "2025-02-04T10:00:00+03:00"}',
        '{"service_request_id": "X-2", "requested_datetime": "2025-02-05T10:00:00+03:00",'
        ' "status": "open", "status": "closed", "lat": "null", "updated_datetime": "2025-02-05T11:00:00+03:00"}',
    ]
    from sources.open311.jsontext import loads

    for text in broken:
        server.feed.put(loads(text))
    poll(db, server)
    reasons = db.execute(
        "select reason_code, record_key, sheet, line_no from raw.quarantine order by record_key nulls first"
    ).fetchall()
    # The server sorts by requested time (the updated time when that is broken): Feb 3 07:00Z comes after
    # R-006 (Feb 3 02:00Z), Feb 4 07:00Z after R-009 (Feb 4 05:00Z) and the first broken one; pages of five.
    assert reasons == [("missing_field", None, "page=2", 2), ("bad_date", "test-city/X-1", "page=3", 1)]
    assert db.execute("select record->>'status', flags from raw.source_rows where appeal_id = 'X-2'").fetchone() == (
        "open",
        ["duplicate_key:status"],
    )
    # A change in the same window makes it load again: the broken ones are skipped, not quarantined twice.
    server.feed.put(dict(DATA[0], updated_datetime="2025-02-06T10:00:00+03:00"))
    report = poll(db, server, now=NOW + timedelta(hours=1))
    assert db.execute("select count(*) from raw.quarantine").fetchone()[0] == 2
    assert report.totals()["skipped"] >= 2
    bad = db.execute(
        "select count(*) from raw.open311_windows w join raw.load_batches b using (batch_id)"
        " where w.objects_read <> b.lines_read + w.repeated_broken"
        " or b.lines_read <> b.loaded + b.duplicates + b.quarantined"
    ).fetchone()[0]
    assert bad == 0


def test_the_api_key_is_in_no_raw_table_and_no_log(db, caplog, monkeypatch):
    secret = "k3y-for-the-city-9931"
    monkeypatch.setenv("TEST_CITY_KEY", secret)
    caplog.set_level(logging.DEBUG)
    with Open311Server(Feed(DATA), api_key=secret, jurisdiction_id="nm") as guarded:
        guarded.faults.status(500, times=1)
        report = poll(db, guarded, api_key_env="TEST_CITY_KEY", jurisdiction_id="nm")
    assert len(stored(db)) == 57 and report.complete
    dump = raw_dump(db)
    assert "jurisdiction_id=nm" in dump and secret not in dump
    assert "requests.json" in caplog.text and secret not in caplog.text


def test_two_polls_of_one_source_do_not_run_at_once(db, server, warehouse, monkeypatch):
    from sources.open311 import poll as poll_module

    monkeypatch.setattr(poll_module, "LOCK_WAIT_SECONDS", 0.3)
    with warehouse.connect(autocommit=True) as other, poll_module._exclusive(other, "test-city"):
        with pytest.raises(Open311Error, match="another poll of this source is running"):
            poll(db, server)
        assert stored(db) == []
    assert len(poll(db, server).windows) == 4  # once the other one is done


def test_a_poll_from_ten_years_back_skips_the_empty_years_in_few_requests(db, server):
    since = datetime(2015, 3, 1, tzinfo=UTC)  # 522 weeks before the data's month ends
    report = poll(db, server, since=since)
    assert set(stored(db)) == snapshots(DATA) and report.cursor_after == NOW
    windows = report.windows
    assert windows[0].start <= since and windows[-1].end == NOW
    assert all(a.end == b.start for a, b in zip(windows, windows[1:]))  # nothing between them is skipped
    # Empty windows widen up to a year; the data's weeks are read a week at a time, in pages of five.
    assert len(windows) < 40 and report.http_requests < 80, (len(windows), report.http_requests)
    after_busy = [b for a, b in zip(windows, windows[1:]) if a.objects_read]
    assert after_busy and all(w.end - w.start <= timedelta(days=7) for w in after_busy)
    again = poll(db, server, since=since)
    assert set(stored(db)) == snapshots(DATA) and again.totals()["loaded"] == 0
