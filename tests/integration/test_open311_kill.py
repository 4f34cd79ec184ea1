"""A poll killed with SIGKILL at a random point, then run again: the raw tables equal a clean run's, row for row."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from lib.migrate import migrate
from sources.open311.jsontext import loads
from sources.open311.poll import poll_endpoint
from sources.open311.server import Feed, Open311Server
from tests.conftest import fresh_database
from tests.integration.open311_helpers import FAST, NOW, SINCE, endpoint, make_requests

ROOT = Path(__file__).resolve().parents[2]
BROKEN = [
    '{"service_request_id": null, "requested_datetime": "2025-02-03T10:00:00+03:00"}',
    '{"service_request_id": "X-1", "requested_datetime": "2025-02-30T10:00:00+03:00",'
    ' "updated_datetime": "2025-02-12T10:00:00+03:00"}',
]
CHILD = """
import sys
from dataclasses import replace
import psycopg
from sources.open311.endpoints import Endpoint
from sources.open311.poll import poll_endpoint
from tests.integration.open311_helpers import FAST, NOW, SINCE
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    poll_endpoint(conn, Endpoint(source="test-city", base_url=sys.argv[2], window_days=7, page_size=5,
                                 lookback_days=0, since=SINCE),
                  now=NOW, client_settings=replace(FAST, max_rps=20))
"""
# Everything a row is, except when and in which batch it was stored.
TABLES = {
    "source_rows": "select source, channel, appeal_id, exported_at, record, payload, flags, origin, sheet, line_no,"
    " line_sha256 from raw.source_rows order by source, appeal_id, exported_at",
    "quarantine": "select loader, source, origin, sheet, line_no, record_key, reason_code, reason, raw_text"
    " from raw.quarantine order by origin, sheet, line_no",
    "services": "select source, service_code, payload, line_sha256 from raw.open311_services order by 2",
    "cursor": "select source, endpoint, window_end from raw.open311_cursors",
}


@pytest.fixture(scope="module")
def server():
    feed = Feed(make_requests(57))
    for text in BROKEN:
        feed.put(loads(text))
    with Open311Server(feed) as running:
        yield running


def tables(url: str) -> dict[str, list]:
    with psycopg.connect(url) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in TABLES.items()}


def prepared(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)


def poll_here(url: str, server) -> None:
    """No lookback: a rerun starts right at the cursor, so a cursor ahead of the data would lose it."""
    with psycopg.connect(url, autocommit=True) as conn:
        poll_endpoint(conn, endpoint(server, lookback_days=0, since=SINCE), now=NOW, client_settings=FAST)


@pytest.fixture(scope="module")
def clean(server, server_url):
    with fresh_database(server_url) as url:
        prepared(url)
        poll_here(url, server)
        yield tables(url)


@pytest.mark.parametrize("seed", range(6))
def test_killed_then_rerun_equals_a_clean_run(server, server_url, clean, seed):
    rng = random.Random(seed)
    with fresh_database(server_url) as url:
        prepared(url)
        seen = len(server.log)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, url, server.url],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stderr=subprocess.PIPE,
        )
        # Die after a random number of HTTP requests plus a random moment: inside a fetch or a commit.
        target = seen + rng.randint(2, 11)  # of about 15
        deadline = time.monotonic() + 30
        while len(server.log) < target and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait()
        partial = tables(url)
        assert len(partial["source_rows"]) < len(clean["source_rows"]), "the kill came after the whole poll"
        poll_here(url, server)  # from the cursor the killed poll left (SINCE if it left none)
        assert tables(url) == clean
