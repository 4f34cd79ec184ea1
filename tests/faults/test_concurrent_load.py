"""Fault suite 7: loads committing while a build runs. The build sees each batch whole or not at all, and
exactly the batches up to the knowledge time (batch_hwm) the orchestrator fixed when it started.

The check can fail, and did when tried: with the batch filter taken out of `visible()` in
macros/as_of.sql, the batches committed during dbt's parse and first models (22, 23, … in that try)
showed up in fct_appeal_events although they were beyond the build's batch_hwm. The per-batch counts and
the agreement of fct_appeals with fct_appeal_events guard the "whole" half: a batch read in part, or read
by one model and not by another, fails them.
"""

import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from lib.clocks import build_vars
from lib.config import DBT_PROJECT_DIR
from tests.conftest import publish_build
from tests.faults.cases import CANONICAL_EVENTS

pytestmark = pytest.mark.slow
AS_OF = "2026-01-25T00:00:00+00:00"
CHUNK_LINES = 12


def chunked(files: list[Path], folder: Path) -> list[Path]:
    """The files cut into small ones, so that many batches commit during one build."""
    out = []
    for n, path in enumerate(files):
        lines = path.read_bytes().splitlines(keepends=True)
        for k in range(0, len(lines), CHUNK_LINES):
            chunk = folder / f"{n:03d}-{k:05d}-{path.name}"
            chunk.write_bytes(b"".join(lines[k : k + CHUNK_LINES]))
            out.append(chunk)
    return out


def keep_loading(case, warehouse, files, dbt: subprocess.Popen, committed: list) -> None:
    """Load one small file after another until the build ends; note each batch and when it committed."""
    with warehouse.connect(autocommit=True) as conn:
        for path in files:
            if dbt.poll() is not None:
                return
            report = case.load(conn, path)
            committed.append((report.batch_id, time.time()))
            time.sleep(0.15)


def node_started(name: str) -> float:
    results = json.loads((DBT_PROJECT_DIR / "target" / "run_results.json").read_text())
    node = next(r for r in results["results"] if r["unique_id"].endswith("." + name))
    execute = next(t for t in node["timing"] if t["name"] == "execute")
    return datetime.fromisoformat(execute["started_at"].replace("Z", "+00:00")).timestamp()


# Events only: the test cuts event files into small chunks to load many batches during one build.
@pytest.mark.parametrize("case", [CANONICAL_EVENTS], ids=lambda c: c.name)
def test_a_build_sees_each_batch_whole_or_not_at_all(case, warehouse, dbt_manifest, tmp_path):
    files = case.write(tmp_path / "landing", 0.05)
    first, rest = files[: len(files) // 3], files[len(files) // 3 :]
    (tmp_path / "chunks").mkdir()
    later = chunked(rest, tmp_path / "chunks")
    with warehouse.connect(autocommit=True) as conn:
        for path in first:
            case.load(conn, path)
        clocks = build_vars(conn, AS_OF)  # as the orchestrator fixes them, once, before dbt starts
    hwm = clocks["batch_hwm"]
    command = [
        str(Path(sys.executable).parent / "dbt"),
        "build",
        "--exclude-resource-type",
        "test",
        "unit_test",
        "--select",
        "+fct_appeals",
        "+fct_appeal_events",
        "--vars",
        json.dumps(clocks),
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
    ]
    started = time.time()
    dbt = subprocess.Popen(
        command, env={**os.environ, **warehouse.dbt_env()}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    committed: list[tuple[int, float]] = []
    loader = threading.Thread(target=keep_loading, args=(case, warehouse, later, dbt, committed))
    loader.start()
    output, _ = dbt.communicate(timeout=600)
    loader.join()
    assert dbt.returncode == 0, output[-3000:]
    publish_build(warehouse)  # the build is read where BI reads it

    # The loads really ran into the build: batches committed after the clocks were fixed and before the
    # facts were built, which a build without a fixed batch_hwm would have taken in.
    facts_started = node_started("fct_appeal_events")
    overlapping = [b for b, t in committed if started < t < facts_started]
    assert len(overlapping) >= 3, (len(committed), overlapping)

    with warehouse.connect(autocommit=True) as conn:
        expected = dict(
            conn.execute(
                "select batch_id, count(*) filter (where occurred_at <= %s) from raw.appeal_events group by 1", (AS_OF,)
            ).fetchall()
        )
        seen = dict(conn.execute("select batch_id, count(*) from marts.fct_appeal_events group by 1").fetchall())
        per_appeal = dict(
            conn.execute("select appeal_key, count(*) from marts.fct_appeal_events group by 1").fetchall()
        )
        folded = dict(conn.execute("select appeal_key, event_count from marts.fct_appeals").fetchall())
        last_batch = conn.execute("select max(last_batch_id) from marts.fct_appeals").fetchone()[0]
    partial = {b: (seen.get(b, 0), n) for b, n in expected.items() if seen.get(b, 0) not in (0, n)}
    assert partial == {}, "batches seen in part"
    assert {b for b, n in expected.items() if n and seen.get(b)} == {b for b, n in expected.items() if n and b <= hwm}
    assert set(seen) <= set(expected)
    # Every model of the build saw the same batches: the appeals agree with their events.
    assert folded == per_appeal and last_batch <= hwm
    assert sum(b > hwm for b in expected) >= len(overlapping)
    print(
        f"\nconcurrent load ({case.name}): build batch_hwm {hwm}; {len(committed)} batches committed during the"
        f" build, {len(overlapping)} before fct_appeal_events ran; {len(seen)} batches seen whole, 0 in part"
    )
