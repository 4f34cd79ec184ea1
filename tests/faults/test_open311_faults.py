"""Fault suite 4: an Open311 server that fails in every listed way; each poll ends in a complete, duplicate-free
load after recovery, and the cursor never passes data that is not stored.

Faults one at a time (500, 503 + Retry-After, timeouts, cut bodies, repeated, missing and empty pages, a server
dying mid-poll once) are in tests/integration/test_open311_poll.py and test_open311_client.py; this adds 429 with
Retry-After in seconds and as an HTTP date, all faults in one poll, and the server dying after each possible
request of a poll, with a resume that has no lookback (a cursor one window too far would lose that window).
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from sources.open311.poll import PollError, poll_endpoint
from sources.open311.server import Feed, Open311Server
from tests.integration.open311_helpers import FAST, NOW, SINCE, endpoint, make_requests, snapshots

DATA = make_requests(57)  # 2025-02-01 .. 2025-02-22, nine hours apart: four seven-day windows, pages of five


@pytest.fixture
def db(warehouse):
    with warehouse.connect(autocommit=True) as connection:
        yield connection


def rows(db, source: str) -> list[tuple[str, datetime]]:
    return db.execute(
        "select appeal_id, exported_at from raw.source_rows where source = %s order by 1, 2", (source,)
    ).fetchall()


def cursor_of(db, source: str) -> datetime | None:
    row = db.execute("select window_end from raw.open311_cursors where source = %s", (source,)).fetchone()
    return row[0] if row else None


def assert_whole(db, source: str) -> None:
    stored = rows(db, source)
    assert len(stored) == len(set(stored)) == len(DATA)  # every request once
    assert set(stored) == snapshots(DATA)
    assert cursor_of(db, source) == NOW
    unbalanced = db.execute(
        "select count(*) from raw.load_batches where source = %s and lines_read <> loaded + duplicates + quarantined",
        (source,),
    ).fetchone()[0]
    assert unbalanced == 0


@pytest.mark.parametrize("retry_after", ["1", "date"], ids=["seconds", "http-date"])
def test_429_with_retry_after_is_waited_for_and_the_load_is_whole(db, retry_after):
    with Open311Server(Feed(DATA)) as server:
        value = "1" if retry_after == "1" else format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
        server.faults.status(429, times=1, retry_after=value)
        report = poll_endpoint(db, endpoint(server, source="rate-limited"), since=SINCE, now=NOW, client_settings=FAST)
        refused = [i for i, entry in enumerate(server.log) if entry["resource"] == "requests.json"][0]
        waited = server.log[refused + 1]["t"] - server.log[refused]["t"]
    assert report.complete
    assert waited >= 0.9, waited  # the backoff alone would be 0.05 s at most
    assert_whole(db, "rate-limited")


def test_every_fault_in_one_poll(db):
    with Open311Server(Feed(DATA)) as server:
        faults = server.faults
        faults.status(500, times=2).status(429, times=1, retry_after="1").slow(1.0, times=1).truncate(times=2)
        faults.repeat_page(3).skip_page(2)
        # Four failures of one request in a row: more retries than FAST's three (three fail a poll, as tested).
        report = poll_endpoint(
            db, endpoint(server, source="storm"), since=SINCE, now=NOW, client_settings=replace(FAST, retries=6)
        )
        left = [f.kind for f in faults._faults if f.times > 0]
    assert left == []  # each fault was met
    assert report.complete
    assert_whole(db, "storm")


def test_a_server_dying_after_any_request_never_makes_the_cursor_skip(db):
    made = {r["service_request_id"]: datetime.fromisoformat(r["requested_datetime"]) for r in DATA}
    with Open311Server(Feed(DATA)) as clean:
        poll_endpoint(db, endpoint(clean, source="clean"), since=SINCE, now=NOW, client_settings=FAST)
        requests = len(clean.log)
    assert requests >= 10
    for die_after in range(1, requests):  # after services.json, after each page, before the last one
        source = f"dies-after-{die_after}"
        server = Open311Server(Feed(DATA)).start()
        server.faults.die_after = die_after
        options = {"source": source, "since": SINCE, "lookback_days": 0}
        with pytest.raises(PollError):
            poll_endpoint(db, endpoint(server, **options), now=NOW, client_settings=FAST)
        stored = rows(db, source)
        assert len(stored) == len(set(stored)), die_after
        cursor = cursor_of(db, source)
        if cursor is not None:  # everything made before the cursor is stored: the cursor skipped nothing
            assert {i for i, at in made.items() if at < cursor} <= {i for i, _ in stored}, die_after
        while server._httpd is not None:  # the dying server stops itself in a thread
            time.sleep(0.01)
        server.faults.die_after = None
        server.start()  # back on the same port: the same endpoint, the same cursor
        try:
            report = poll_endpoint(db, endpoint(server, **options), now=NOW, client_settings=FAST)
        finally:
            server.stop()
        assert report.complete, die_after
        if cursor is not None:
            assert report.cursor_before == cursor  # resumed where the broken poll left off, not before
        assert_whole(db, source)
