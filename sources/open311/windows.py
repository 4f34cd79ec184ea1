"""Polling windows over requested_datetime: on a fixed grid, so the same window reads the same requests
on every poll and an unchanged window can be recognised and skipped. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

GRID_ORIGIN = datetime(2000, 1, 1, tzinfo=timezone.utc)


def floor_to_grid(moment: datetime, size: timedelta) -> datetime:
    steps = (moment - GRID_ORIGIN) // size
    return GRID_ORIGIN + steps * size


def grid_windows(start: datetime, end: datetime, size: timedelta) -> list[tuple[datetime, datetime]]:
    """Windows of `size` on the grid covering [start, end]; the last one ends at `end`.

    GeoReport's start_date and end_date are both inclusive, so neighbours share their boundary instant:
    a request stamped exactly there is read twice and loads once.
    """
    if size <= timedelta(0):
        raise ValueError("window size must be positive")
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("window bounds need a time zone")
    windows = []
    left = floor_to_grid(start, size)
    while left < end:
        windows.append((left, min(left + size, end)))
        left += size
    return windows


def halves(window: tuple[datetime, datetime]) -> list[tuple[datetime, datetime]]:
    """A window cut in two at its middle second (for servers that cap results and ignore paging)."""
    left, right = window
    middle = left + timedelta(seconds=(right - left).total_seconds() // 2)
    return [(left, middle), (middle, right)]


def w3(moment: datetime) -> str:
    """A moment as GeoReport wants it: W3C date-time in UTC, e.g. 2010-01-01T00:00:00Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
