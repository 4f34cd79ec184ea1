"""appeal-event/1 files into raw.appeal_events on a real PostgreSQL: COPY, dedup, quarantine, reconciliation."""

import json
from pathlib import Path

import pytest

from sources.events import load_event_file


def ev(event_id: str, **extra) -> dict:
    base = {
        "schema": "appeal-event/1",
        "event_id": event_id,
        "source": "hotline-nao",
        "channel": "hotline",
        "appeal_id": "HL-1",
        "event_type": "received",
        "occurred_at": "2025-03-03T10:00:00+03:00",
    }
    return {**base, **extra}


def write(path: Path, lines: list) -> Path:
    with open(path, "wb") as fh:
        for item in lines:
            fh.write(item if isinstance(item, bytes) else json.dumps(item, ensure_ascii=False).encode())
            fh.write(b"\n")
    return path


def counts(conn) -> tuple[int, int, int]:
    return tuple(
        conn.execute(f"select count(*) from raw.{t}").fetchone()[0]
        for t in ("appeal_events", "quarantine", "load_batches")
    )


def test_every_line_is_loaded_skipped_or_quarantined(conn, tmp_path):
    path = write(
        tmp_path / "a.jsonl",
        [
            ev("e1"),
            ev("e2", event_type="answered"),
            ev("e2", event_type="answered"),  # exact duplicate
            ev("e2", event_type="rated", rating=5),  # same key, other content: conflict
            b'{"broken',
            b"",
            ev("e3", channel="fax"),
            "Привет".encode("cp1251"),
        ],
    )
    report = load_event_file(conn, path)
    assert (report.lines_read, report.loaded, report.duplicates, report.quarantined) == (7, 2, 1, 4)
    assert report.blank_lines == 1
    assert report.reasons == {"conflict": 1, "invalid_json": 1, "unknown_value": 1, "not_utf8": 1}
    stored = conn.execute("select lines_read, loaded, duplicates, quarantined from raw.load_batches").fetchone()
    assert stored == (7, 2, 1, 4)
    rows = conn.execute("select line_no, reason_code, raw_text from raw.quarantine order by line_no").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(4, "conflict"), (5, "invalid_json"), (7, "unknown_value"), (8, "not_utf8")]
    assert rows[1][2] == '{"broken'
    lineage = conn.execute(
        "select event_id, origin, line_no, length(line_sha256), payload->>'event_type'"
        " from raw.appeal_events order by event_id"
    ).fetchall()
    assert lineage == [("e1", str(path), 1, 64, "received"), ("e2", str(path), 2, 64, "answered")]


def test_same_file_again_changes_nothing_and_other_files_dedupe(conn, tmp_path):
    first = write(tmp_path / "a.jsonl", [ev("e1"), ev("e2", event_type="answered")])
    load_event_file(conn, first)
    before = counts(conn)
    assert load_event_file(conn, first).skipped_file
    assert counts(conn) == before
    second = write(
        tmp_path / "b.jsonl",
        [ev("e2", event_type="answered"), ev("e3", event_type="closed"), ev("e1", event_type="rejected")],
    )
    report = load_event_file(conn, second)
    assert (report.loaded, report.duplicates, report.quarantined) == (1, 1, 1)
    reason = conn.execute("select reason from raw.quarantine").fetchone()[0]
    assert "loaded before with other content" in reason and "a.jsonl line 1" in reason


@pytest.mark.parametrize("in_child", [False, True])
def test_a_failing_file_leaves_nothing_behind(conn, tmp_path, monkeypatch, in_child):
    from sources.verdicts import BatchSorter

    path = write(tmp_path / "a.jsonl", [ev(f"e{i}") for i in range(2500)])
    calls = []

    def explode(self, chunk, verdicts):
        calls.append(len(chunk))
        if len(calls) == 2:  # after the first chunk is stored
            raise RuntimeError("crash in the middle of the load")
        return store(self, chunk, verdicts)

    store = BatchSorter._copy_new
    monkeypatch.setattr(BatchSorter, "_copy_new", explode)
    monkeypatch.setattr("sources.loader.CHUNK_ROWS", 1000)
    with pytest.raises(RuntimeError, match="crash in the middle"):
        load_event_file(conn, path, in_child=in_child)
    assert counts(conn) == (0, 0, 0)
    monkeypatch.undo()
    assert load_event_file(conn, path, in_child=in_child).loaded == 2500


@pytest.mark.parametrize("in_child", [False, True])
def test_streaming_keeps_memory_flat(conn, tmp_path, in_child):
    import tracemalloc

    def peak_for(lines: int) -> int:
        path = tmp_path / f"big-{lines}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for i in range(lines):
                fh.write(
                    json.dumps(ev(f"e{lines}-{i}", appeal_id=f"HL-{i}", text="х" * 1000), ensure_ascii=False) + "\n"
                )
        tracemalloc.start()
        report = load_event_file(conn, path, in_child=in_child)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert report.loaded == lines
        return peak

    small, large = peak_for(6_000), peak_for(24_000)  # ~12 MB and ~50 MB of lines
    # Holding the file would cost 50 MB and more; the loader holds a chunk and a hash per key.
    assert large < 32 * 1024 * 1024, large
    assert large < small + 4 * 1024 * 1024, (small, large)
