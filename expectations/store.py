"""Validation results in the warehouse (quality.validation_runs, migration 005): write one, read the latest."""

from __future__ import annotations

import json

import psycopg

from expectations.results import Outcome, jsonable


def record(
    conn: psycopg.Connection,
    outcome: Outcome,
    *,
    check_name: str,
    asset_key: str,
    blocking: bool,
    severity: str = "error",
    run_id: str | None = None,
) -> int:
    """Store one outcome in its own transaction; returns its validation_id."""
    with conn.transaction():
        return conn.execute(
            "insert into quality.validation_runs (run_id, check_name, kind, suite, asset_key, relation, blocking,"
            " severity, success, evaluated, failed, failed_expectations, stats, error, batch_hwm, started_at,"
            " finished_at) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
            " (select max(batch_id) from raw.load_batches), %s, %s) returning validation_id",
            (
                run_id,
                check_name,
                outcome.kind,
                outcome.name,
                asset_key,
                outcome.relation,
                blocking,
                severity,
                outcome.success,
                outcome.evaluated,
                outcome.failed,
                json.dumps(outcome.failures_json(), ensure_ascii=False),
                json.dumps(jsonable(outcome.stats), ensure_ascii=False),
                outcome.error,
                outcome.started_at,
                outcome.finished_at,
            ),
        ).fetchone()[0]


def latest(conn: psycopg.Connection, asset_key: str) -> dict[str, dict]:
    """The latest stored result of every check of an asset: check_name -> row (for export gates)."""
    cur = conn.execute(
        "select distinct on (check_name) check_name, kind, suite, success, severity, blocking, evaluated, failed,"
        " failed_expectations, finished_at from quality.validation_runs where asset_key = %s"
        " order by check_name, finished_at desc, validation_id desc",
        (asset_key,),
    )
    names = [d.name for d in cur.description]
    return {row[0]: dict(zip(names, row)) for row in cur.fetchall()}
