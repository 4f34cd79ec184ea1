"""A feed in the shapes of a foreign city's GeoReport v2 server (tests/fixtures/open311/make_riverton.py):
every valid request kept, every broken one quarantined with its reason, whatever the server's page limit."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sources.open311.endpoints import Endpoint
from sources.open311.poll import poll_endpoint
from sources.open311.server import Feed, Open311Server
from tests.integration.open311_helpers import FAST

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "open311"
EXPECTED = json.loads((FIXTURES / "riverton.expected.json").read_text(encoding="utf-8"))
NOW = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture
def db(warehouse):
    with warehouse.connect(autocommit=True) as connection:
        yield connection


# Austin's documented limits: 50 by default, at most 500 per page; and a server that allows only 50.
@pytest.mark.parametrize("max_page_size", [500, 50], ids=["honours-page-size", "caps-page-size-at-50"])
def test_every_valid_request_loads_and_every_broken_one_is_quarantined(db, max_page_size):
    feed = Feed.from_file(FIXTURES / "riverton.json", tz=EXPECTED["timezone"])
    with Open311Server(feed, default_page_size=50, max_page_size=max_page_size) as server:
        endpoint = Endpoint(
            source="riverton-311",
            base_url=server.url,
            timezone=EXPECTED["timezone"],
            since=datetime(2024, 3, 1, tzinfo=UTC),
            window_days=30,
            page_size=100,
        )
        report = poll_endpoint(db, endpoint, now=NOW, client_settings=FAST)
        again = poll_endpoint(db, endpoint, now=NOW, client_settings=FAST)
    rows = db.execute("select appeal_id, exported_at from raw.source_rows").fetchall()
    assert {r[0]: r[1].isoformat() for r in rows} == EXPECTED["snapshots"] and len(rows) == len(EXPECTED["snapshots"])
    reasons = sorted(r[0] for r in db.execute("select reason_code from raw.quarantine").fetchall())
    assert reasons == EXPECTED["quarantined"]
    for appeal_id, flag in EXPECTED["flags"].items():
        assert flag in db.execute("select flags from raw.source_rows where appeal_id = %s", (appeal_id,)).fetchone()[0]
    for appeal_id, status in EXPECTED["first_status"].items():
        assert (
            db.execute("select record->>'status' from raw.source_rows where appeal_id = %s", (appeal_id,)).fetchone()[0]
            == status
        )
    unknown = db.execute("select count(*) from raw.source_rows where 'unknown_status' = any(flags)").fetchone()[0]
    assert unknown == EXPECTED["unknown_statuses"]
    assert report.complete and again.totals()["loaded"] == 0 and again.totals()["quarantined"] == 0
    assert (
        db.execute(
            "select count(*) from raw.open311_windows w join raw.load_batches b using (batch_id)"
            " where w.objects_read <> b.lines_read + w.repeated_broken"
        ).fetchone()[0]
        == 0
    )
