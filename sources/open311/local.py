"""The sample feed served over real HTTP for one poll: `make run` loads the portal channel as a city would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path

from sources.open311.endpoints import Endpoint
from sources.open311.feed import Feed
from sources.open311.server import Open311Server

SAMPLE_FEED = Path("portal") / "open311.json"
SAMPLE_SOURCE = "open311-sample"


def sample_feed_path(landing_dir: Path) -> Path:
    return Path(landing_dir) / SAMPLE_FEED


@contextmanager
def sample_endpoint(path: Path, tz: str = "Europe/Moscow") -> Iterator[Endpoint]:
    """Start the local server on a feed file, yield the endpoint to poll, stop the server afterwards."""
    feed = Feed.from_file(path, tz=tz)
    earliest = feed.earliest()
    since = datetime.combine(earliest.date(), time(), earliest.tzinfo) - timedelta(days=1) if earliest else None
    with Open311Server(feed) as server:
        # Month-long windows and no rate limit worth the name: the server is ours and on loopback.
        yield Endpoint(
            source=feed.source or SAMPLE_SOURCE,
            base_url=server.url,
            since=since,
            timezone=tz,
            window_days=31,
            lookback_days=31,
            page_size=200,
            max_rps=200,
            cursor_name=f"local-file:{Path(path).resolve()}",
        )
