"""Freshness per channel: a channel silent for longer than its configured limit (seed channel_silence) warns."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import psycopg

from expectations.results import Failure, Outcome
from lib.config import DBT_PROJECT_DIR

SEED = DBT_PROJECT_DIR / "seeds" / "reference" / "channel_silence.csv"

# The last row loaded per channel, from every raw table that knows the channel.
LAST_LOADED_SQL = """
select channel, max(loaded_at) from (
    select payload->>'channel' as channel, max(loaded_at) as loaded_at from raw.appeal_events group by 1
    union all
    select channel, max(loaded_at) from raw.source_rows group by 1
) as t
where channel is not null
group by channel
"""


def silence_limits(path=SEED) -> dict[str, float]:
    """Channel -> the longest silence allowed, in hours."""
    limits: dict[str, float] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            hours = float(row["max_silence_hours"])
            if hours <= 0:
                raise ValueError(f"{path.name}: max_silence_hours of {row['channel_code']} must be positive")
            limits[row["channel_code"]] = hours
    return limits


def last_loaded(conn: psycopg.Connection) -> dict[str, datetime]:
    return dict(conn.execute(LAST_LOADED_SQL).fetchall())


def assess(channel: str, last: datetime | None, limit_hours: float, now: datetime) -> Outcome:
    """Whether `channel` has sent anything within `limit_hours` before `now`."""
    silence = None if last is None else (now - last).total_seconds() / 3600
    stats = {
        "channel": channel,
        "last_loaded_at": last,
        "silence_hours": None if silence is None else round(silence, 1),
        "max_silence_hours": limit_hours,
        "now": now,
    }
    failures = []
    if last is None:
        failures.append(
            Failure(
                "channel_silence", f"a load within {limit_hours:g} h", observed="nothing loaded yet", column=channel
            )
        )
    elif silence > limit_hours:
        failures.append(
            Failure(
                "channel_silence",
                f"silence <= {limit_hours:g} h",
                observed=f"{silence:.1f} h since {last.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
                column=channel,
            )
        )
    return Outcome(f"channel_silence_{channel}", "freshness", None, 1, failures, now, now, stats=stats)


def assess_all(
    conn: psycopg.Connection, now: datetime | None = None, limits: dict[str, float] | None = None
) -> dict[str, Outcome]:
    now = now or datetime.now(UTC)
    limits = limits if limits is not None else silence_limits()
    seen = last_loaded(conn)
    return {channel: assess(channel, seen.get(channel), hours, now) for channel, hours in limits.items()}
