"""`tsur bench --scale N`: one run on one scratch database — ingest, full build, incremental build, dashboards, memory.

Every figure that is compared is a ratio of two things measured in this run on this machine: the loader
against a bare COPY of the same rows, the incremental build against the full one, mart queries against the
same answers from the event facts. Fixed start costs (a Python or dbt process starting, parsing, connecting)
are measured in the run too and taken off, so that what is compared is the work that grows with the data.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import resource
import secrets
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from lib.warehouse import Warehouse, conninfo_uri
from orchestration.bench.data import write_bench_data
from orchestration.bench.steps import (
    bare_copy,
    dbt,
    model_seconds,
    raw_counts,
    run_child,
    seconds_by_materialization,
    tsur,
)
from orchestration.publish import publish


def machine(conn: psycopg.Connection) -> dict:
    pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(pages * page_size / 2**30, 1),
        "postgresql": conn.execute("show server_version").fetchone()[0],
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def measure(url: str, work: Path, scale: float, repeats: int, log: Path) -> dict:
    """Every step on the (empty, migrated) database at `url`; returns the figures."""
    from orchestration.bench.dashboards import measure as measure_dashboards

    start = time.perf_counter()
    scratch = Warehouse(dataclasses.replace(Warehouse().settings, database_url=url))
    key = secrets.token_hex(16)
    env = {
        **os.environ,
        "TSUR_DATABASE_URL": url,
        "TSUR_PII_KEY": key,
        "TSUR_HOME": str(work / "home"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }
    env.update(_dbt_env(scratch, key))
    out: dict = {"scale": scale}

    t = time.perf_counter()
    data = write_bench_data(work / "data", scale)
    out["data"] = {
        "appeals": data.appeals,
        "lines": data.lines,
        "late_lines": data.late_lines,
        "late_from_hour": data.cutoff,
        "seconds": round(time.perf_counter() - t, 1),
        "generator_peak_rss_mb": round(_children_peak_mb()),
    }

    # 1. Ingest: the loader over the main part, less its fixed start, against a bare COPY of the same rows.
    load = run_child(tsur("ingest", str(data.main_dir)), env, log)
    smallest = min(data.main_dir.rglob("*.jsonl"), key=lambda p: p.stat().st_size)
    fixed_load = run_child(tsur("ingest", str(smallest)), env, log)  # seen before: skipped, only the start
    with psycopg.connect(url) as conn:
        counts = raw_counts(conn)
        copy_seconds, copy_rows = bare_copy(conn, work / "raw.copy")
        out["machine"] = machine(conn)
    loader_seconds = max(load.seconds - fixed_load.seconds, 1e-3)
    out["ingest"] = {
        **counts,
        "wall_seconds": round(load.seconds, 2),
        "fixed_seconds": round(fixed_load.seconds, 2),
        "events_per_second": round(counts["rows"] / loader_seconds),
        "copy_rows": copy_rows,
        "copy_seconds": round(copy_seconds, 2),
        "copy_rows_per_second": round(copy_rows / copy_seconds),
        "ratio_to_copy": round((counts["rows"] / loader_seconds) / (copy_rows / copy_seconds), 2),
        "loader_peak_rss_mb": round(load.peak_rss_mb),
    }

    # 1b. The classifier over every appeal loaded; a second run finds nothing new and is its fixed start.
    classified = run_child(tsur("classify"), env, log)
    fixed_classify = run_child(tsur("classify"), env, log)
    with psycopg.connect(url) as conn:
        considered, labels = conn.execute(
            "select sum(lines_read), sum(loaded) from raw.load_batches where loader = 'classifier'"
        ).fetchone()
    classify_seconds = max(classified.seconds - fixed_classify.seconds, 1e-3)
    out["classify"] = {
        "appeals": int(considered or 0),
        "labels": int(labels or 0),
        "wall_seconds": round(classified.seconds, 2),
        "fixed_seconds": round(fixed_classify.seconds, 2),
        "appeals_per_second": round((considered or 0) / classify_seconds),
        "peak_rss_mb": round(classified.peak_rss_mb),
    }

    # 2–3. Full build, then 1 % more events and an incremental build; a one-model run is the fixed cost.
    target = work / "target"
    run_child(dbt("seed", target=target), env, log)
    fixed = min(run_child(dbt("run", "--select", "dim_channels", target=target), env, log).seconds for _ in range(2))
    full = run_child(dbt("run", "--full-refresh", "--vars", _clocks(url), target=target), env, log)
    full_models, full_kinds = model_seconds(target), seconds_by_materialization(target)
    with psycopg.connect(url) as conn:
        hwm = conn.execute("select max(batch_id) from raw.load_batches").fetchone()[0]
    late = run_child(tsur("ingest", str(data.late_dir)), env, log)
    run_child(tsur("classify"), env, log)  # the new appeals' labels, before the incremental build
    incremental = run_child(dbt("run", "--vars", _clocks(url), target=target), env, log)
    incremental_models, incremental_kinds = model_seconds(target), seconds_by_materialization(target)
    full_work, incremental_work = max(full.seconds - fixed, 1e-3), max(incremental.seconds - fixed, 1e-3)
    with psycopg.connect(url) as conn:
        # Builds write marts_build; the dashboards read what is published (one schema swap, not timed).
        publish(conn, run_id=None)
        late_counts = raw_counts(conn)
        touched = conn.execute(
            "select count(distinct appeal_key) from marts.fct_appeal_events where batch_id > %s", (hwm,)
        ).fetchone()[0]
        database, raw_events = conn.execute(
            "select pg_database_size(current_database()), pg_total_relation_size('raw.appeal_events')"
        ).fetchone()
    out["disk"] = {"database_mb": round(database / 2**20), "raw_events_mb": round(raw_events / 2**20)}
    out["build"] = {
        "fixed_seconds": round(fixed, 2),
        "full_seconds": round(full.seconds, 2),
        "full_work_seconds": round(full_work, 2),
        "full_slowest_models": full_models,
        "late_events": late_counts["rows"] - counts["rows"],
        "appeals_touched": touched,
        "incremental_seconds": round(incremental.seconds, 2),
        "incremental_work_seconds": round(incremental_work, 2),
        "incremental_slowest_models": incremental_models,
        "full_model_seconds_by_kind": full_kinds,
        "incremental_model_seconds_by_kind": incremental_kinds,
        "incremental_to_full": round(incremental_work / full_work, 3),
        "dbt_peak_rss_mb": round(max(full.peak_rss_mb, incremental.peak_rss_mb)),
    }
    out["ingest"]["late_loader_peak_rss_mb"] = round(late.peak_rss_mb)

    # 4. Dashboards: the same ten answers from the marts and from the event facts.
    with psycopg.connect(url) as conn:
        out["dashboards"] = measure_dashboards(conn, repeats=repeats)
    ratios = sorted(d["ratio"] for d in out["dashboards"])
    out["dashboards_median_ratio"] = ratios[len(ratios) // 2] if ratios else None
    out["dashboards_min_ratio"] = ratios[0] if ratios else None

    # 6. The classifier with a model trained on the known appeals: every appeal classified again.
    trained = run_child(tsur("classify", "--train", "--force"), env, log)
    with_model = run_child(tsur("classify", "--full"), env, log)
    with psycopg.connect(url) as conn:
        again = conn.execute(
            "select lines_read from raw.load_batches where loader = 'classifier' order by batch_id desc limit 1"
        ).fetchone()[0]
    out["classify"].update(
        {
            "training_seconds": round(trained.seconds, 1),
            "with_model_appeals": again,
            "with_model_seconds": round(with_model.seconds, 2),
            "with_model_appeals_per_second": round(again / max(with_model.seconds - fixed_classify.seconds, 1e-3)),
            "with_model_peak_rss_mb": round(with_model.peak_rss_mb),
        }
    )

    # 5. Memory: this process and the largest of its children (PostgreSQL's own memory is not counted).
    out["memory"] = {
        "loader_peak_rss_mb": out["ingest"]["loader_peak_rss_mb"],
        "classifier_peak_rss_mb": max(out["classify"]["peak_rss_mb"], out["classify"]["with_model_peak_rss_mb"]),
        "dbt_peak_rss_mb": out["build"]["dbt_peak_rss_mb"],
        "generator_peak_rss_mb": out["data"]["generator_peak_rss_mb"],
        "bench_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "whole_run_peak_rss_mb": round(
            max(_children_peak_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        ),
    }
    out["seconds"] = round(time.perf_counter() - start, 1)
    return out


def _clocks(url: str) -> str:
    """Both clocks fixed for the build, as the orchestrator fixes them (lib/clocks.py)."""
    from lib.clocks import build_vars

    with psycopg.connect(url) as conn:
        return json.dumps(build_vars(conn, None))


def _dbt_env(wh: Warehouse, key: str) -> dict[str, str]:
    from lib import pii

    env = wh.params()
    return {
        "TSUR_PG_HOST": env.get("host", "localhost"),
        "TSUR_PG_PORT": env.get("port", "5432"),
        "TSUR_PG_USER": env.get("user", "postgres"),
        "TSUR_PG_DBNAME": env.get("dbname", "postgres"),
        "DBT_ENV_SECRET_PG_PASSWORD": env.get("password", ""),
        "PGOPTIONS": pii.pgoptions(key.encode()),
    }


def run_bench(scale: float = 1.0, repeats: int = 5, keep: bool = False) -> dict:
    """Make a scratch database on the warehouse's server, measure, drop it; results also saved under home."""
    wh = Warehouse().start()
    name = f"tsur_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(wh.url(), autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    params = conninfo_to_dict(wh.url())
    params["dbname"] = name
    url = conninfo_uri(make_conninfo(**params))
    out_dir = wh.settings.home / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    try:
        with tempfile.TemporaryDirectory(prefix="tsur-bench-") as tmp, psycopg.connect(url) as conn:
            from lib.migrate import migrate

            migrate(conn)
            conn.close()
            result = measure(url, Path(tmp), scale, repeats, out_dir / f"{stamp}-scale{scale:g}.log")
    finally:
        if not keep:
            with psycopg.connect(wh.url(), autocommit=True) as admin:
                admin.execute(f'drop database if exists "{name}" with (force)')
    result["database"] = name if keep else None
    (out_dir / f"{stamp}-scale{scale:g}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result
