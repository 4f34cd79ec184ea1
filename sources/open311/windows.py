"""Polling windows over requested_datetime: on a fixed grid, so the same window reads the same requests
on every poll and an unchanged window can be recognised and skipped. Pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

GRID_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)


def floor_to_grid(moment: datetime, size: timedelta) -> datetime:
    steps = (moment - GRID_ORIGIN) // size
    return GRID_ORIGIN + steps * size


class WideningGrid:
    """Windows from `start` to `end` whose width follows what they hold: after an empty window the next one
    is twice as wide (up to `widest`), after one with requests it is `base` again.

    Every width is base × 2^k and every window starts on the grid of its own width, so the same data gives
    the same windows on every poll (an unchanged window is still recognised) and a feed polled from years
    back, with empty months, costs a few dozen requests rather than one per `base`.
    """

    def __init__(self, start: datetime, end: datetime, base: timedelta, widest: timedelta = timedelta(days=366)):
        if base <= timedelta(0):
            raise ValueError("window size must be positive")
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("window bounds need a time zone")
        self.left, self.end, self.base = floor_to_grid(start, base), end, base
        self.top = 0
        while base * 2 ** (self.top + 1) <= widest:
            self.top += 1
        self.level = 0

    def next(self) -> tuple[datetime, datetime] | None:
        """The next window, or None when `end` is reached."""
        if self.left >= self.end:
            return None
        level = self.level
        while level and (self.left - GRID_ORIGIN) % (self.base * 2**level):
            level -= 1  # not on the wider grid here: stay narrower until it lines up
        return self.left, min(self.left + self.base * 2**level, self.end)

    def done(self, window: tuple[datetime, datetime], requests: int) -> None:
        """Record what the window held; the next one starts at its end."""
        self.left = window[1]
        self.level = min(self.level + 1, self.top) if requests == 0 else 0


def halves(window: tuple[datetime, datetime]) -> list[tuple[datetime, datetime]]:
    """A window cut in two at its middle second (for servers that cap results and ignore paging)."""
    left, right = window
    middle = left + timedelta(seconds=(right - left).total_seconds() // 2)
    return [(left, middle), (middle, right)]


def w3(moment: datetime) -> str:
    """A moment as GeoReport wants it: W3C date-time in UTC, e.g. 2010-01-01T00:00:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
