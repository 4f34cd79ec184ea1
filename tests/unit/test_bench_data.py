"""The benchmark's data helpers and verdicts, without a database."""

import json

import pytest

from orchestration.bench.data import chunk_scales, late_cutoff, occurred_hour, split_late, tag_ids
from orchestration.bench.report import verdicts


def test_scale_is_split_into_worlds_of_ten_at_most():
    assert chunk_scales(1) == [1.0]
    assert chunk_scales(10) == [10.0]
    assert chunk_scales(25) == [10.0, 10.0, 5.0]
    assert chunk_scales(100) == [10.0] * 10
    with pytest.raises(ValueError):
        chunk_scales(0)


def test_chunk_ids_get_the_chunk_number_and_dates_do_not():
    line = (
        b'{"event_id":"HL-2025-000001-01","appeal_id":"HL-2025-000001","occurred_at":"2025-01-09T09:16:56+03:00",'
        b'"text":"2025-01-09 and KL-2025 stay"}'
    )
    for chunk in (7, 11):  # two digits after a group number must not read as group 11
        out = json.loads(tag_ids(line, chunk))
        assert out["event_id"] == f"HL{chunk}-2025-000001-01" and out["appeal_id"] == f"HL{chunk}-2025-000001"
        assert out["occurred_at"] == "2025-01-09T09:16:56+03:00" and out["text"] == "2025-01-09 and KL-2025 stay"


def _event(at: str) -> bytes:
    return json.dumps({"event_id": at, "occurred_at": at}, separators=(",", ":")).encode() + b"\n"


def test_the_newest_share_is_held_back_whole_hours_only(tmp_path):
    main = tmp_path / "main" / "x"
    main.mkdir(parents=True)
    # 100 lines: 90 in January, 6 at 2025-02-01T10, 4 at 2025-02-01T11, and one broken line without a date.
    lines = [_event(f"2025-01-{d:02d}T08:00:00+03:00") for d in range(1, 31)] * 3
    lines += [_event("2025-02-01T10:30:00+03:00")] * 6 + [_event("2025-02-01T11:05:00+03:00")] * 4 + [b"{broken\n"]
    (main / "a.jsonl").write_bytes(b"".join(lines[:50]))
    (main / "b.jsonl").write_bytes(b"".join(lines[50:]))
    assert occurred_hour(lines[-2]) == b"2025-02-01T11" and occurred_hour(b"{broken") is None
    cutoff, total = late_cutoff(sorted(main.rglob("*.jsonl")), 0.05)
    assert (cutoff, total) == (b"2025-02-01T11", 101)  # 4 lines fit in 5 %, the 6 before them would not
    cutoff, _ = late_cutoff(sorted(main.rglob("*.jsonl")), 0.10)
    assert cutoff == b"2025-02-01T10"
    moved = split_late(tmp_path / "main", tmp_path / "late", cutoff)
    assert moved == 10
    assert (tmp_path / "late" / "x" / "b.jsonl").read_bytes().count(b"\n") == 10
    assert not (tmp_path / "late" / "x" / "a.jsonl").exists()
    assert (main / "b.jsonl").read_bytes().count(b"\n") == 51 - 10  # the broken line stays with the main part


def test_verdicts_compare_each_ratio_with_its_target():
    result = {
        "ingest": {"ratio_to_copy": 0.61},
        "build": {"incremental_to_full": 0.2},
        "dashboards_min_ratio": 19.9,
        "classify": {"appeals_per_second": 2100},
        "memory": {"loader_peak_rss_mb": 301},
    }
    assert [(value, met) for _, value, _, met in verdicts(result)] == [
        (0.61, True),
        (0.2, False),
        (19.9, False),
        (2100, True),
        (301, False),
    ]
