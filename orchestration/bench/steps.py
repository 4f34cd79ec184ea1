"""The benchmark's timed steps, each a child process where it can be (its wall time and peak RSS are its own)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from lib.dbt import dbt_args, dbt_executable


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_rss_mb: float


def run_child(argv: list[str], env: dict[str, str], log: Path) -> Timed:
    """Run a command to the end; its wall time and its own peak resident memory (from wait4)."""
    start = time.perf_counter()
    with open(log, "ab") as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(argv[:3])}… failed with exit code {proc.returncode}; see {log}")
    return Timed(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def tsur(*args: str) -> list[str]:
    return [sys.executable, "-m", "orchestration.cli", *args]


def dbt(*args: str, target: Path) -> list[str]:
    return [dbt_executable(), *dbt_args(*args, "--log-path", str(target / "logs"), "--quiet", target_path=target)]


def model_seconds(target: Path, top: int = 8) -> list[tuple[str, float]]:
    """The slowest models of the last dbt command, from its run_results.json."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    timed = sorted(((r["unique_id"].split(".")[-1], r["execution_time"]) for r in results), key=lambda x: -x[1])
    return [(name, round(seconds, 2)) for name, seconds in timed[:top]]


def seconds_by_materialization(target: Path) -> dict[str, float]:
    """Model time of the last dbt command split by how each model is kept (incremental, table, view)."""
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    totals: dict[str, float] = {}
    for r in json.loads((target / "run_results.json").read_text())["results"]:
        kind = nodes.get(r["unique_id"], {}).get("config", {}).get("materialized", "other")
        totals[kind] = round(totals.get(kind, 0.0) + r["execution_time"], 2)
    return totals


def raw_counts(conn: psycopg.Connection) -> dict[str, int]:
    """Lines read, loaded, duplicates and quarantined over every batch: the reconciliation the loader keeps."""
    row = conn.execute("""
        select coalesce(sum(lines_read), 0), coalesce(sum(loaded), 0), coalesce(sum(duplicates), 0),
               coalesce(sum(quarantined), 0), (select count(*) from raw.appeal_events)
        from raw.load_batches
    """).fetchone()
    return dict(zip(("lines_read", "loaded", "duplicates", "quarantined", "rows"), map(int, row)))


def bare_copy(conn: psycopg.Connection, dump: Path, block: int = 1 << 20) -> tuple[float, int]:
    """The physical limit: the loaded rows, dumped once, COPYed again into a table of the same shape.

    The table has the raw table's columns, keys and indexes (`like … including all`); only the copy is
    timed, streamed from a file the way a client on this machine would send it.
    """
    with open(dump, "wb") as fh, conn.cursor().copy("copy raw.appeal_events to stdout") as copy:
        for data in copy:
            fh.write(data)
    conn.execute("drop table if exists public.bench_copy_target")
    conn.execute("create table public.bench_copy_target (like raw.appeal_events including all)")
    conn.commit()
    start = time.perf_counter()
    with open(dump, "rb") as fh, conn.cursor().copy("copy public.bench_copy_target from stdin") as copy:
        while data := fh.read(block):
            copy.write(data)
    conn.commit()
    seconds = time.perf_counter() - start
    rows = conn.execute("select count(*) from public.bench_copy_target").fetchone()[0]
    conn.execute("drop table public.bench_copy_target")
    conn.commit()
    dump.unlink()
    return seconds, rows
