from datetime import UTC, datetime, timedelta, timezone

import pytest

from sources.dates import DateError, from_excel_serial, parse_rfc3339, parse_ru_datetime

MSK = timezone(timedelta(hours=3))


def test_rfc3339_with_offset_keeps_the_instant():
    parsed = parse_rfc3339("2025-03-03T10:00:00+03:00")
    assert parsed.had_offset
    assert parsed.value == datetime(2025, 3, 3, 7, 0, tzinfo=UTC)


def test_rfc3339_zulu_and_fraction():
    parsed = parse_rfc3339("2025-03-03T07:00:00.5Z")
    assert parsed.value == datetime(2025, 3, 3, 7, 0, 0, 500000, tzinfo=UTC)


def test_rfc3339_without_offset_is_read_in_source_zone_and_flagged():
    parsed = parse_rfc3339("2025-03-03T10:00:00", "Europe/Moscow")
    assert not parsed.had_offset
    assert parsed.value == datetime(2025, 3, 3, 10, 0, tzinfo=MSK)


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-30T10:00:00+03:00",
        "2025-13-01T00:00:00Z",
        "2025-01-01T25:00:00Z",
        "03.03.2025",
        "yesterday",
        "2025-01-01T10:00:00+25:00",
    ],
)
def test_rfc3339_rejects_what_cannot_be_a_moment(text):
    with pytest.raises(DateError):
        parse_rfc3339(text)


def test_russian_dates():
    assert parse_ru_datetime("03.03.2025") == datetime(2025, 3, 3, tzinfo=MSK)
    assert parse_ru_datetime("3.3.2025 9:05") == datetime(2025, 3, 3, 9, 5, tzinfo=MSK)
    assert parse_ru_datetime("03.03.2025 09:05:07") == datetime(2025, 3, 3, 9, 5, 7, tzinfo=MSK)
    with pytest.raises(DateError):
        parse_ru_datetime("31.02.2025")


def test_excel_serial_1900_system():
    # 45717 is 2025-03-01 in Excel's 1900 date system; .5 is noon.
    assert from_excel_serial(45717.5) == datetime(2025, 3, 1, 12, 0, tzinfo=MSK)
    with pytest.raises(DateError):
        from_excel_serial(-3)
