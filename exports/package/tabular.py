"""A package table (columns, key, rows) and the reads from a period's as-of marts that fill one."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql


@dataclass(frozen=True)
class Column:
    name: str  # CSV header and key in diffs (English snake_case)
    header: str  # what people read in the workbook
    kind: str = "text"  # text | int | share | num


@dataclass(frozen=True)
class Table:
    sheet: str  # workbook sheet (Russian)
    stem: str  # file name of the CSV
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # columns that identify a row (diffs)
    rows: tuple[tuple, ...]

    def records(self) -> list[dict]:
        names = [c.name for c in self.columns]
        return [dict(zip(names, row)) for row in self.rows]


_KIND_FORMAT = {"count": "int", "share": "share", "quantile": "num", "rate": "num"}


def kpi_columns(conn, schema: str, indicators: tuple[str, ...]) -> list[Column]:
    """Columns of indicators headed by their names in the catalogue (dim_kpis: the semantic layer's labels)."""
    rows = fetch(conn, "select indicator, indicator_name, indicator_kind from {marts}.dim_kpis", schema, {})
    known = {code: (name, _KIND_FORMAT[kind]) for code, name, kind in rows}
    return [Column(i, *known[i]) for i in indicators]


def fetch(conn: psycopg.Connection, query: str, schema: str, params: dict) -> tuple[tuple, ...]:
    """A query's rows as tuples, `{marts}` in it naming the as-of marts schema."""
    composed = sql.SQL(query).format(marts=sql.Identifier(schema))
    return tuple(tuple(row) for row in conn.execute(composed, params).fetchall())


def kpi_sheet(
    conn, schema: str, model: str, keys: tuple[Column, ...], where: str, order: str, params: dict
) -> tuple[tuple[Column, ...], tuple[tuple, ...]]:
    """A package model's rows: its key columns, then its indicators headed by the catalogue's names."""
    names = [c.name for c in keys]
    cursor = conn.execute(
        sql.SQL("select * from {} where " + where + " limit 0").format(sql.Identifier(schema, model)), params
    )
    indicators = tuple(
        d.name for d in cursor.description if d.name not in names and d.name not in ("period_kind", "period_start")
    )
    columns = (*keys, *kpi_columns(conn, schema, indicators))
    rows = fetch(
        conn,
        f"select {', '.join(c.name for c in columns)} from {{marts}}.{model} where {where} order by {order}",
        schema,
        params,
    )
    return columns, rows
