"""Date and time parsing shared by every connector; a value either parses or says why not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

_RFC3339 = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)"
    r"(?P<zone>[Zz]|[+-]\d{2}:?\d{2})?$"
)
_RU_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
# Excel's day zero for the 1900 date system, after its fictitious 1900-02-29.
_EXCEL_EPOCH = datetime(1899, 12, 30)


class DateError(ValueError):
    """A date that does not parse or cannot exist; the message is for people."""


@dataclass(frozen=True)
class Parsed:
    value: datetime  # always timezone-aware
    had_offset: bool


def _zone(zone_name: str) -> ZoneInfo:
    return ZoneInfo(zone_name)


def parse_rfc3339(text: str, default_tz: str = "Europe/Moscow") -> Parsed:
    """RFC 3339 date-time; a value without offset is read in `default_tz` and reported as such."""
    if not isinstance(text, str):
        raise DateError(f"expected a date-time string, got {type(text).__name__}")
    match = _RFC3339.match(text.strip())
    if not match:
        raise DateError(f"not an RFC 3339 date-time: {text[:60]!r}")
    clock = match["time"]
    fraction = ""
    if "." in clock:
        clock, fraction = clock.split(".")
    try:
        naive = datetime.fromisoformat(f"{match['date']}T{clock}")
    except ValueError as exc:
        raise DateError(f"impossible date-time {text[:60]!r}: {exc}") from None
    if fraction:
        naive = naive.replace(microsecond=int(fraction[:6].ljust(6, "0")))
    zone = match["zone"]
    if zone is None:
        return Parsed(naive.replace(tzinfo=_zone(default_tz)), had_offset=False)
    if zone in ("Z", "z"):
        return Parsed(naive.replace(tzinfo=UTC), had_offset=True)
    sign = 1 if zone[0] == "+" else -1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise DateError(f"impossible UTC offset in {text[:60]!r}")
    offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return Parsed(naive.replace(tzinfo=offset), had_offset=True)


def parse_ru_datetime(text: str, tz: str = "Europe/Moscow") -> datetime:
    """`dd.mm.yyyy`, `dd.mm.yyyy hh:mm` or `dd.mm.yyyy hh:mm:ss`, local time of `tz`."""
    match = _RU_DATE.match(text.strip())
    if not match:
        raise DateError(f"not a date dd.mm.yyyy[ hh:mm[:ss]]: {text[:60]!r}")
    day, month, year, hour, minute, second = match.groups()
    try:
        value = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError as exc:
        raise DateError(f"impossible date {text[:60]!r}: {exc}") from None
    return value.replace(tzinfo=_zone(tz))


def from_excel_serial(serial: float, tz: str = "Europe/Moscow") -> datetime:
    """An Excel serial day number (1900 system) as local time of `tz`."""
    if not 1 <= serial < 2958466:  # 1900-01-01 .. 9999-12-31
        raise DateError(f"Excel date serial out of range: {serial}")
    return (_EXCEL_EPOCH + timedelta(days=float(serial))).replace(tzinfo=_zone(tz))


def localize(value: datetime | date, tz: str = "Europe/Moscow") -> datetime:
    """A naive datetime or a date from a spreadsheet cell, read as local time of `tz`."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=_zone(tz))
    return datetime.combine(value, time()).replace(tzinfo=_zone(tz))
