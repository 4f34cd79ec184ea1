"""What was reported: a period's headline indicators copied from an as-of build into reports.kpi_snapshots.

A report is recorded as revision 1; recording the same period again adds a revision only when some figure
differs from the last one recorded, so re-running a monthly export changes nothing. mart_restatements then
compares the figures as first reported with the figures as the warehouse knows them now.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import psycopg
from psycopg import sql

from lib.asof import marts_schema

_LOCK_NAMESPACE = 746_004  # advisory lock: one recorder per period at a time

Figures = dict[tuple[str, str, str], Decimal | None]  # (slice_kind, slice_code, indicator) → value


def headline_figures(conn: psycopg.Connection, period: str, schema: str) -> Figures:
    """The period's headline indicators for the okrug and each sector from a build's mart_kpi_values."""
    query = sql.SQL(
        "select slice_kind, slice_code, indicator, value from {}.mart_kpi_values"
        " where period = %s and is_headline and slice_kind in ('region', 'sector')"
    ).format(sql.Identifier(schema))
    return {(kind, code, indicator): value for kind, code, indicator, value in conn.execute(query, (period,))}


def recorded_figures(conn: psycopg.Connection, period: str, revision: int) -> Figures:
    rows = conn.execute(
        "select slice_kind, slice_code, indicator, value from reports.kpi_snapshots"
        " where period = %s and revision = %s",
        (period, revision),
    )
    return {(kind, code, indicator): value for kind, code, indicator, value in rows}


def record_kpis(conn: psycopg.Connection, period: str, schema_suffix: str, as_of: datetime, batch_hwm: int) -> int:
    """Record the period's headline figures of the build in `schema_suffix`; return their revision."""
    if as_of.tzinfo is None:
        raise ValueError(f"as_of needs a time zone: {as_of}")
    schema = marts_schema(schema_suffix)
    # One transaction (a savepoint inside the caller's, if one is open): read, compare and write together.
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s, hashtext(%s))", (_LOCK_NAMESPACE, period))
        figures = headline_figures(conn, period, schema)
        if not figures:
            raise ValueError(f"{schema}.mart_kpi_values has no headline figures for period {period}")
        last = conn.execute("select max(revision) from reports.kpi_snapshots where period = %s", (period,)).fetchone()[
            0
        ]
        if last is not None and recorded_figures(conn, period, last) == figures:
            return last
        revision = (last or 0) + 1
        with conn.cursor() as cur:
            cur.executemany(
                "insert into reports.kpi_snapshots (period, revision, slice_kind, slice_code, indicator,"
                " value, as_of, batch_hwm, source_schema) values (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (period, revision, kind, code, indicator, value, as_of, batch_hwm, schema)
                    for (kind, code, indicator), value in sorted(figures.items())
                ],
            )
    return revision
