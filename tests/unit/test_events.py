import json
from datetime import UTC, datetime

import pytest

from sources.events import EventJudge

NOW = datetime(2026, 11, 29, tzinfo=UTC)


def event(**overrides) -> dict:
    base = {
        "schema": "appeal-event/1",
        "event_id": "e1",
        "source": "hotline-nao",
        "channel": "hotline",
        "appeal_id": "HL-1",
        "event_type": "received",
        "occurred_at": "2025-03-03T10:00:00+03:00",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def judge(raw: bytes):
    return EventJudge("f.jsonl", now=NOW, future_tolerance_hours=24).judge(7, raw)


def line(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode()


def test_valid_event_becomes_row_values_with_lineage():
    record = judge(line(event(author={"name": "Иван"})))
    assert record.ok
    source, event_id, payload, occurred, flags, origin, line_no, sha = record.values
    assert (source, event_id, origin, line_no) == ("hotline-nao", "e1", "f.jsonl", 7)
    assert json.loads(payload)["author"] == {"name": "Иван"}
    assert occurred == datetime(2025, 3, 3, 7, tzinfo=UTC)
    assert flags == [] and len(sha) == 64


@pytest.mark.parametrize(
    "raw, code",
    [
        (b'{"event_id": "e1", "source": "x"', "invalid_json"),
        (b"[1, 2]", "not_an_object"),
        ('{"event_id": "Привет"}'.encode("cp1251"), "not_utf8"),
        (line(event(appeal_id=None)), "missing_field"),
        (line(event(channel="fax")), "unknown_value"),
        (line(event(event_type="archived")), "unknown_value"),
        (line(event(rating="5")), "wrong_type"),
        (line(event(colour="red")), "unknown_field"),
        (line(event(occurred_at="2025-02-30T10:00:00+03:00")), "bad_date"),
        (line(event(occurred_at="03.03.2025")), "bad_date"),
        (line(event(due_at="2025-04-31T00:00:00Z")), "bad_date"),
        (line(event(occurred_at="2031-01-01T00:00:00+03:00")), "future_date"),
        (line(event(text="a\u0000b")), "control_character"),
    ],
)
def test_bad_lines_get_a_reason(raw, code):
    record = judge(raw)
    assert not record.ok
    assert record.reason_code == code, record.reason
    assert record.reason and record.raw_bytes == raw


def test_date_without_offset_is_kept_and_flagged():
    record = judge(line(event(occurred_at="2025-03-03T10:00:00")))
    assert record.ok
    assert record.values[3] == datetime(2025, 3, 3, 7, tzinfo=UTC)
    assert record.values[4] == ["occurred_at_without_offset"]


def test_tolerance_allows_slightly_future_events():
    assert judge(line(event(occurred_at="2026-11-29T20:00:00Z"))).ok


def test_sql_injection_shaped_text_is_just_text():
    record = judge(line(event(text="'); drop table raw.appeal_events; --")))
    assert record.ok
