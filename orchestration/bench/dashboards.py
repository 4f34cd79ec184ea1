"""Ten BI dashboard queries (dashboard_sql.py), each twice: on the marts and on the event fact table alone.

The mart side is what a BI tool sends; the facts side is what an analyst without marts would write: fold
`marts.fct_appeal_events` into one row per appeal (the warehouse's own rules, int_appeals__folded and
fct_appeal_measures), then aggregate. `measure` checks that both sides give the same answer and times them.
Only figures that are exactly reproducible from events are used (no deadlines in working time).
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal

import psycopg

from orchestration.bench.dashboard_sql import DASHBOARDS


def dashboard_params(conn: psycopg.Connection) -> dict:
    """The busiest month, its quarter and year, its busiest sector, the body with most appeals in work and the
    month with most negative ratings (ties go to the earliest date / smallest code)."""
    month = conn.execute(
        "select month from marts.mart_sector_monthly group by 1 order by sum(incoming) desc, 1 limit 1"
    ).fetchone()[0]
    sector = conn.execute(
        "select sector_code from marts.mart_sector_monthly where month = %s group by 1 "
        "order by sum(incoming) desc, 1 limit 1",
        (month,),
    ).fetchone()[0]
    agency = conn.execute(
        "select agency_code from marts.mart_deadline_control where agency_code is not null "
        "and control_status in ('open', 'open_overdue') "
        "group by 1 order by count(*) desc, 1 limit 1"
    ).fetchone()
    conflict = conn.execute(
        "select month from marts.mart_conflicts where reason_code = 'negative_rating' "
        "group by 1 order by count(*) desc, 1 limit 1"
    ).fetchone()
    return {
        "month": month,
        "quarter": date(month.year, (month.month - 1) // 3 * 3 + 1, 1),
        "year": date(month.year, 1, 1),
        "sector": sector,
        "agency": agency and agency[0],
        "conflict_month": conflict[0] if conflict else month,
    }


def _normal(value):
    # Integral numerics compare as ints, the rest rounded to 4 places; texts and dates as they are.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else round(float(value), 4)
    if isinstance(value, float):
        return round(value, 4)
    return value


def answer(conn: psycopg.Connection, sql: str, params: dict) -> list[tuple]:
    """The rows of one query, normalised and sorted (None first in each column) so two sides compare equal."""
    rows = [tuple(_normal(v) for v in row) for row in conn.execute(sql, params).fetchall()]
    return sorted(rows, key=lambda row: tuple((v is not None, v if v is not None else 0) for v in row))


def _timed(conn, sql: str, params: dict, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        conn.execute(sql, params).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(conn: psycopg.Connection, repeats: int = 5) -> list[dict]:
    """Per dashboard: both answers compared (the warm-up run), then each side timed `repeats` times."""
    params = dashboard_params(conn)
    results = []
    for d in DASHBOARDS:
        mart, facts = answer(conn, d.mart_sql, params), answer(conn, d.facts_sql, params)
        mart_ms = _timed(conn, d.mart_sql, params, repeats)
        facts_ms = _timed(conn, d.facts_sql, params, repeats)
        results.append(
            {
                "name": d.name,
                "label": d.label,
                "rows": len(mart),
                "equal": mart == facts,
                "mart_median_ms": round(mart_ms, 2),
                "facts_median_ms": round(facts_ms, 2),
                "ratio": round(facts_ms / mart_ms, 1) if mart_ms else None,
            }
        )
    return results
