"""Test data for the Open311 tests, and expectations computed from that data alone (plain json/datetime)."""

import json
from datetime import UTC, datetime, timedelta, timezone

from sources.open311.client import ClientSettings
from sources.open311.endpoints import Endpoint

MSK = timezone(timedelta(hours=3))
START = datetime(2025, 2, 1, 8, 0, tzinfo=MSK)
NOW = datetime(2025, 3, 1, tzinfo=UTC)
SINCE = datetime(2025, 2, 1, tzinfo=UTC)
# Short everything: the faults are real, the waits are not.
FAST = ClientSettings(
    connect_timeout=0.5, read_timeout=0.4, retries=3, backoff=0.01, backoff_max=0.05, body_retries=2, max_rps=1000
)


def make_requests(n: int, start: datetime = START, step: timedelta = timedelta(hours=9)) -> list[dict]:
    """n clean requests, one every `step`, each updated two hours after it was made."""
    out = []
    for i in range(1, n + 1):
        made = start + (i - 1) * step
        out.append(
            {
                "service_request_id": f"R-{i:03d}",
                "status": "closed" if i % 3 == 0 else "open",
                "service_code": "roads-pothole",
                "service_name": "Ямы на дороге",
                "description": f"Яма напротив дома {i}",
                "agency_responsible": "Администрация",
                "requested_datetime": made.isoformat(),
                "updated_datetime": (made + timedelta(hours=2)).isoformat(),
                "address": f"ул. Смидовича, д. {i}",
                "lat": 67.63 + i / 10_000,
                "long": 53.0,
            }
        )
    return out


def snapshots(requests: list[dict]) -> set[tuple[str, datetime]]:
    """(id, updated moment) of each request: what raw.source_rows must hold for them."""
    return {(r["service_request_id"], datetime.fromisoformat(r["updated_datetime"])) for r in requests}


def endpoint(server, **options) -> Endpoint:
    values = {
        "source": "test-city",
        "base_url": server.url,
        "window_days": 7,
        "lookback_days": 30,
        "page_size": 5,
        "max_rps": 1000,
        **options,
    }
    return Endpoint(**values)


def stored(conn) -> list[tuple[str, datetime]]:
    return conn.execute(
        "select appeal_id, exported_at from raw.source_rows where source = 'test-city' order by 1, 2"
    ).fetchall()


def cursor(conn):
    row = conn.execute("select window_end from raw.open311_cursors where source = 'test-city'").fetchone()
    return row[0] if row else None


def raw_dump(conn) -> str:
    """Every row of every raw table as text, to look for what must never be there."""
    tables = [
        r[0]
        for r in conn.execute("select table_name from information_schema.tables where table_schema = 'raw'").fetchall()
    ]
    return "\n".join(
        json.dumps(conn.execute(f"select json_agg(t)::text from raw.{t} as t").fetchone()[0]) for t in tables
    )
