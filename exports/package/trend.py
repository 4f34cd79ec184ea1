"""Chart data for the package: incoming by sector and the okrug's shares, month by month over a year."""

from __future__ import annotations

from datetime import date, timedelta

import psycopg

from exports.package.tabular import fetch


def trend(conn: psycopg.Connection, schema: str, month: date, months: int = 12) -> dict:
    """Chart data: incoming by sector and the okrug's satisfaction share, month by month up to `month`."""
    first = month
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    rows = fetch(
        conn,
        """
        with kpis as (select * from {marts}.mart_kpi_values),
        final as (
            select period_start, slice_kind, slice_name, indicator, value
            from kpis
            where period_kind = 'month' and period_start between %(first)s and %(month)s
                and ((slice_kind = 'sector' and indicator = 'incoming')
                    or (slice_kind = 'region' and indicator in ('satisfaction_share', 'on_time_share')))
            order by period_start, slice_kind, slice_name, indicator
        )
        select * from final""",
        schema,
        {"first": first, "month": month},
    )
    # From the first month with data: a year that starts in the window shows no empty months before it.
    months_list, cursor = [], min((r[0] for r in rows), default=month)
    while cursor <= month:
        months_list.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    volume: dict[str, dict[date, float]] = {}
    region: dict[str, dict[date, float | None]] = {"satisfaction_share": {}, "on_time_share": {}}
    for start, kind, name, indicator, value in rows:
        if kind == "sector":
            volume.setdefault(name, {})[start] = float(value or 0)
        else:
            region[indicator][start] = None if value is None else float(value)
    return {"months": months_list, "volume": volume, "region": region}
