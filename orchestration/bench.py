"""`tsur bench`: throughput of the intake path, reported as ratios against simpler ways of doing the same.

Ratios, not seconds, are what to compare between machines: the same noisy host slows both sides.
Everything runs in a scratch database that is dropped afterwards.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from orchestration.warehouse import Warehouse


def synthetic_events(path: Path, n: int) -> None:
    """n appeal-event/1 lines shaped like the sample's (six events an appeal)."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({
                "schema": "appeal-event/1", "event_id": f"b{i}", "source": "bench", "channel": "pos",
                "appeal_id": f"A{i // 6}", "event_type": "received", "occurred_at": "2025-03-03T10:00:00+03:00",
                "category": {"code": "housing.heating", "name": "Теплоснабжение", "totk": "0005.0005.0056.1156"},
                "author": {"name": "Иван Иванов", "phone": "+79001112233"}, "text": "Нет отопления в подъезде",
                "agency": {"name": "ГУП НАО «Ненецкая коммунальная компания»"}}, ensure_ascii=False) + "\n")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


_COLUMNS = "source, event_id, payload, occurred_at, flags, origin, line_no, line_sha256, batch_id, loaded_at"


def measure(conn: psycopg.Connection, path: Path, n: int, baseline_rows: int) -> dict:
    from jsonschema import Draft202012Validator

    from sources.events import EventJudge, load_event_file, validator
    from sources.files import LineReader

    records = list(EventJudge(str(path)).records(LineReader(path)))
    end_to_end = _timed(lambda: load_event_file(conn, path))
    # The database write alone, two ways, for the same prepared rows.
    rows = [r.values + (0, "2025-01-01T00:00:00Z") for r in records[:baseline_rows]]
    conn.execute("create temp table copy_target (like raw.appeal_events)")
    conn.execute("create temp table insert_target (like raw.appeal_events)")

    def copy_rows():
        with conn.cursor().copy(f"copy copy_target ({_COLUMNS}) from stdin") as copy:
            for row in rows:
                copy.write_row(row)

    copy_seconds = _timed(copy_rows)
    insert_seconds = _timed(lambda: conn.cursor().executemany(
        f"insert into insert_target ({_COLUMNS}) values ({', '.join(['%s'] * 10)})", rows))
    events = [json.loads(r.values[2]) for r in records[:baseline_rows]]
    compiled = validator()
    interpreted = Draft202012Validator(json.loads(
        (Path(__file__).resolve().parents[1] / "sources/contracts/appeal-event.schema.json").read_text()))
    compiled_seconds = _timed(lambda: [compiled(e) for e in events])
    interpreted_seconds = _timed(lambda: [interpreted.validate(e) for e in events])
    return {
        "events": n,
        "load_end_to_end_events_per_second": round(n / end_to_end),
        "copy_rows_per_second": round(baseline_rows / copy_seconds),
        "insert_rows_per_second": round(baseline_rows / insert_seconds),
        "copy_vs_insert_ratio": round(insert_seconds / copy_seconds, 1),
        "compiled_vs_interpreted_validation_ratio": round(interpreted_seconds / compiled_seconds, 1),
    }


def run_bench(n: int = 100_000, baseline_rows: int = 5_000) -> dict:
    wh = Warehouse().start()
    name = f"tsur_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(wh.url(), autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    params = conninfo_to_dict(wh.url())
    params["dbname"] = name
    try:
        with tempfile.TemporaryDirectory() as tmp, psycopg.connect(make_conninfo(**params)) as conn:
            from sources.migrate import migrate

            migrate(conn)
            path = Path(tmp) / "events.jsonl"
            synthetic_events(path, n)
            result = measure(conn, path, n, baseline_rows)
    finally:
        with psycopg.connect(wh.url(), autocommit=True) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')
    result["machine"] = f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}"
    out = wh.settings.home / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(json.dumps(result, indent=2))
    return result
