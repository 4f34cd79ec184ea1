"""`tsur query --metrics on_time_share,incoming --group-by sector,municipality,month`: any slice, as BI reads it."""

from __future__ import annotations

import argparse
from pathlib import Path

import psycopg

from orchestration.commands import CliError, warehouse


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def cmd_query(args: argparse.Namespace) -> None:
    from exports.query.engine import ALIASES, QueryError, SemanticLayer
    from exports.query.output import rows_of, text_table, write_csv, write_xlsx
    from orchestration.defs.transform.project import ensure_manifest

    layer = SemanticLayer(ensure_manifest().parent / "semantic_manifest.json")
    if args.list:
        print(
            "Показатели:\n"
            + "\n".join(f"  {m.name}: {m.label}" for m in sorted(layer.manifest.metrics, key=lambda m: m.name))
        )
        print(
            "Разрезы (--group-by, --where): " + ", ".join(ALIASES) + "\n  или имена MetricFlow "
            "(appeal__<dimension>, <entity>__<dimension>, metric_time__<grain>)"
        )
        print("Сохраненные запросы (--saved-query): " + ", ".join(q.name for q in layer.manifest.saved_queries))
        return
    metrics, group_by = _split(args.metrics), _split(args.group_by)
    if not metrics and not args.saved_query:
        raise CliError("name --metrics (or --saved-query); `tsur query --list` shows them")
    try:
        if args.explain:
            print(layer.sql(metrics, group_by, args.where, saved_query=args.saved_query)[0])
            return
        wh = warehouse()
        with wh.connect(role="bi") as conn:
            answer = layer.query(conn, metrics, group_by, args.where, saved_query=args.saved_query)
    except QueryError as exc:
        raise CliError(f"MetricFlow: {exc}") from None
    except psycopg.Error as exc:  # e.g. marts not built or published yet
        raise CliError(
            f"the warehouse refused the query: {str(exc).strip().splitlines()[0]}"
            " (are the marts built and published? `tsur status`)"
        ) from None
    shown = metrics or [c for c in answer.columns if c not in group_by]
    rows = rows_of(answer, shown)
    if args.csv:
        write_csv(Path(args.csv), answer.columns, rows)
        print(f"{len(rows)} строк → {args.csv}")
    elif args.xlsx:
        labels = {m.name: m.label or m.name for m in layer.manifest.metrics}
        write_xlsx(Path(args.xlsx), answer.columns, rows, labels)
        print(f"{len(rows)} строк → {args.xlsx}")
    else:
        print(text_table(answer.columns, rows))


def add_commands(sub) -> None:
    query = sub.add_parser("query", help="any indicator by any dimension (the semantic layer, as the BI role)")
    query.add_argument("--metrics", help="comma-separated, e.g. on_time_share,incoming")
    query.add_argument(
        "--group-by",
        help="comma-separated: sector, category, channel, agency (body), "
        "municipality, legal_regime, *_name, day … year",
    )
    query.add_argument(
        "--where", action="append", help="a filter, e.g. \"sector = 'housing' and month >= '2025-06-01'\" (repeatable)"
    )
    query.add_argument("--saved-query", help="a saved query of the semantic layer (package tables)")
    out = query.add_mutually_exclusive_group()
    out.add_argument("--csv", help="write the answer to this CSV file")
    out.add_argument("--xlsx", help="write the answer to this Excel file")
    query.add_argument("--explain", action="store_true", help="print the SQL instead of running it")
    query.add_argument("--list", action="store_true", help="list the metrics, dimensions and saved queries")
    query.set_defaults(func=cmd_query)
