"""`tsur bench --scale 1` as CI's smoke test: every step runs, the figures reconcile, nothing is left behind.

Speed is not asserted (docs/benchmarks.md has the figures); what is asserted is what must hold on any machine.
"""

import json
import os
import subprocess
import sys

import psycopg
import pytest

from sources.sample import generate_sample

pytestmark = pytest.mark.slow


def test_bench_at_scale_one(tsur_env, server_url, dbt_manifest, tmp_path):
    # The same sample the bench generates, counted here line by line.
    sample = generate_sample(tmp_path / "sample", formats="canonical")
    lines = sum(path.read_bytes().count(b"\n") for path in sample.paths)

    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "bench", "--scale", "1", "--repeats", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    result = json.loads(proc.stdout)

    data, ingest, build = result["data"], result["ingest"], result["build"]
    assert (data["appeals"], data["lines"]) == (sample.appeals, lines) == (12_500, lines)
    assert 0.005 * lines <= data["late_lines"] <= 0.01 * lines  # the newest 1 % at most, whole hours
    # Every line the loader read of the main part is loaded, a duplicate or in quarantine.
    assert ingest["lines_read"] == lines - data["late_lines"]
    assert ingest["lines_read"] == ingest["loaded"] + ingest["duplicates"] + ingest["quarantined"]
    assert ingest["rows"] == ingest["loaded"] == ingest["copy_rows"]
    assert ingest["quarantined"] > 0 and ingest["duplicates"] > 0  # the sample's injected damage
    assert 0 < build["late_events"] <= data["late_lines"]
    assert 0 < build["appeals_touched"] < data["appeals"] / 10
    assert build["full_work_seconds"] > 0 and build["incremental_work_seconds"] > 0
    assert {m for m, _ in build["full_slowest_models"]} & {
        "fct_appeals",
        "fct_appeal_events",
        "int_appeal_events",
        "mart_conflicts",
        "mart_deadline_control",
    }

    dashboards = result["dashboards"]
    assert len(dashboards) == 10 and all(d["equal"] and d["rows"] > 0 for d in dashboards)
    assert result["dashboards_min_ratio"] == min(d["ratio"] for d in dashboards)
    assert 0 < result["memory"]["loader_peak_rss_mb"] < 300
    assert result["machine"]["cpus"] == os.cpu_count()

    with psycopg.connect(server_url) as conn:  # the scratch database is gone
        left = conn.execute("select count(*) from pg_database where datname like 'tsur_bench_%'").fetchone()[0]
    assert left == 0
    saved = list((tsur_env / "home" / "bench").glob("*-scale1.json"))
    assert len(saved) == 1 and json.loads(saved[0].read_text())["ingest"] == ingest
