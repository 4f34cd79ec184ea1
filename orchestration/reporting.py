"""`tsur report 2025-10`: build the marts as of a period's close, record its headline figures, show them."""

from __future__ import annotations

import argparse
from datetime import datetime

from lib.asof import build_as_of, drop_suffix_schemas, marts_schema
from lib.periods import period_close, suffix_for


def report_period(warehouse, period: str, batch_hwm: int | None = None, keep: bool = True) -> tuple[int, dict]:
    """The period as the warehouse knows it at its close (world time), from the batches loaded so far or up
    to `batch_hwm` (knowledge time), recorded in reports.kpi_snapshots; returns the revision and the vars."""
    from exports.kpi_history import record_kpis

    suffix = suffix_for(period)
    variables = build_as_of(warehouse, as_of=period_close(period), batch_hwm=batch_hwm, schema_suffix=suffix)
    with warehouse.connect("reporter") as conn:
        revision = record_kpis(conn, period, suffix, datetime.fromisoformat(variables["as_of"]), variables["batch_hwm"])
        if not keep:
            drop_suffix_schemas(conn, suffix)
    return revision, variables


def cmd_report(args: argparse.Namespace) -> None:
    from lib.warehouse import Warehouse

    warehouse = Warehouse().start()
    revision, variables = report_period(warehouse, args.period, args.batch_hwm, keep=not args.drop)
    print(
        f"{args.period}: на {variables['as_of']}, партии загрузки до {variables['batch_hwm']};"
        f" ревизия отчета {revision}"
    )
    if not args.drop:
        print(f"витрины на момент закрытия периода: схема {marts_schema(suffix_for(args.period))}")
    with warehouse.connect() as conn:
        rows = (
            conn.execute(
                "select s.indicator, k.indicator_name, s.value from reports.kpi_snapshots as s"
                " left join marts.dim_kpis as k using (indicator)"
                " where s.period = %s and s.revision = %s and s.slice_kind = 'region' order by k.sort_order",
                (args.period, revision),
            ).fetchall()
            if _has_current_marts(conn)
            else []
        )
    for indicator, name, value in rows:
        print(f"  {name or indicator}: {'—' if value is None else value}")


def _has_current_marts(conn) -> bool:
    return conn.execute("select to_regclass('marts.dim_kpis') is not null").fetchone()[0]


def add_report_command(sub) -> None:
    report = sub.add_parser("report", help="build as of a period's close (2025-10, 2025-Q4, 2025) and record it")
    report.add_argument("period")
    report.add_argument("--batch-hwm", type=int, help="the last load batch to use (default: all loaded now)")
    report.add_argument("--drop", action="store_true", help="drop the period's schemas after recording")
    report.set_defaults(func=cmd_report)
