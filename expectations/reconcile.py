"""Reconciliations in SQL: counts that must agree between layers, each returning an `Outcome`.

- every load batch: lines read = loaded + duplicates + quarantined, and the rows it claims are stored (batches.py);
- raw rows visible to the last build = staged rows = fact rows, batch by batch;
- distinct appeals in the event fact = rows of the appeal fact;
- a mart's measures = the same measures computed from the fact, slice by slice (`FactTotals`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from expectations.relations import LIMIT, absent, rel, suffixed
from expectations.results import Failure, Outcome
from expectations.suite import FactTotals

HORIZON = "intermediate.int_build_horizon"  # the as_of and batch_hwm of the last dbt build (a dbt model)


@dataclass(frozen=True)
class StagedFlow:
    """A raw table, the staging model that reads it under the build horizon, and the fact it ends in."""

    name: str
    raw: str
    time_column: str  # the raw column the `visible()` filter compares with as_of
    staged: str
    fact: str
    fact_where: str


FLOWS = (
    StagedFlow(
        "appeal_events",
        raw="raw.appeal_events",
        time_column="occurred_at",
        staged="staging.stg_events__appeal_events",
        fact="marts.fct_appeal_events",
        fact_where="derived_from = 'event'",
    ),
)


def staged_flow(conn: psycopg.Connection, flow: StagedFlow, suffix: str = "") -> Outcome:
    """Raw rows the last build could see (its batch_hwm and as_of) = staged rows = fact rows, per batch."""
    started = datetime.now(UTC)
    horizon, staged, fact = suffixed(HORIZON, suffix), suffixed(flow.staged, suffix), suffixed(flow.fact, suffix)
    name = f"{flow.name}_staged"
    missing = absent(conn, horizon, staged, fact)
    if missing:
        return Outcome(name, "reconciliation", staged, 0, [], started, datetime.now(UTC), error=missing)
    as_of, hwm = conn.execute(sql.SQL("select as_of, batch_hwm from {}").format(rel(horizon))).fetchone()
    rows = conn.execute(
        sql.SQL("""
        with r as (select batch_id, count(*) as n from {raw} where batch_id <= %(hwm)s and {t} <= %(as_of)s
                   group by batch_id),
        s as (select batch_id, count(*) as n from {staged} group by batch_id),
        f as (select batch_id, count(*) as n from {fact} where {where} group by batch_id)
        select coalesce(r.batch_id, s.batch_id, f.batch_id) as batch_id, coalesce(r.n, 0), coalesce(s.n, 0),
            coalesce(f.n, 0)
        from r full join s using (batch_id) full join f using (batch_id)
        order by 1""").format(
            raw=rel(flow.raw),
            t=sql.Identifier(flow.time_column),
            staged=rel(staged),
            fact=rel(fact),
            where=sql.SQL(flow.fact_where),
        ),
        {"hwm": hwm, "as_of": as_of},
    ).fetchall()
    failures = [
        Failure(
            rule="raw = staged = fact",
            expected="equal counts within the build horizon",
            column=f"batch {b}",
            observed={"raw": int(r), "staged": int(s), "fact": int(f)},
        )
        for b, r, s, f in rows
        if not r == s == f
    ]
    stats = {
        "as_of": as_of,
        "batch_hwm": hwm,
        "batches": len(rows),
        "raw": sum(r[1] for r in rows),
        "staged": sum(r[2] for r in rows),
        "fact": sum(r[3] for r in rows),
    }
    return Outcome(
        name,
        "reconciliation",
        staged,
        len(rows),
        failures[:LIMIT],
        started,
        datetime.now(UTC),
        stats=stats,
        failed_count=len(failures),
    )


def appeals_in_events(conn: psycopg.Connection, suffix: str = "") -> Outcome:
    """Every appeal of the event fact has its row in fct_appeals, and every row there has events."""
    started = datetime.now(UTC)
    appeals, events = suffixed("marts.fct_appeals", suffix), suffixed("marts.fct_appeal_events", suffix)
    missing = absent(conn, appeals, events)
    if missing:
        return Outcome("appeals_in_events", "reconciliation", appeals, 0, [], started, datetime.now(UTC), error=missing)
    query = sql.SQL("""
        with e as (select distinct appeal_key from {events}), a as (select appeal_key from {appeals})
        select (select count(*) from e), (select count(*) from a),
            array(select appeal_key from e except select appeal_key from a order by 1 limit 5),
            (select count(*) from (select appeal_key from e except select appeal_key from a) as x),
            array(select appeal_key from a except select appeal_key from e order by 1 limit 5),
            (select count(*) from (select appeal_key from a except select appeal_key from e) as x)
        """).format(events=rel(events), appeals=rel(appeals))
    in_events, in_facts, only_events, n_only_events, only_facts, n_only_facts = conn.execute(query).fetchone()
    failures = []
    if n_only_events:
        failures.append(
            Failure(
                "events without an appeal row",
                "0",
                column="appeal_key",
                unexpected_count=n_only_events,
                sample=tuple(only_events),
            )
        )
    if n_only_facts:
        failures.append(
            Failure(
                "appeal rows without events",
                "0",
                column="appeal_key",
                unexpected_count=n_only_facts,
                sample=tuple(only_facts),
            )
        )
    if in_events != in_facts and not failures:
        failures.append(Failure("distinct appeals in events = rows of fct_appeals", str(in_facts), observed=in_events))
    return Outcome(
        "appeals_in_events",
        "reconciliation",
        appeals,
        2,
        failures,
        started,
        datetime.now(UTC),
        stats={"appeals_in_events": in_events, "rows_in_fct_appeals": in_facts},
    )


def fact_totals(conn: psycopg.Connection, name: str, mart: str, totals: FactTotals, suffix: str = "") -> Outcome:
    """The mart's measures summed per slice equal the same measures computed from the fact."""
    started = datetime.now(UTC)
    mart, fact = suffixed(mart, suffix), suffixed(totals.fact, suffix)
    named = sorted(set(PLACEHOLDER.findall(" ".join(_texts(totals)))))
    missing = absent(conn, mart, fact, *(suffixed(r, suffix) for r in named))
    if missing:
        return Outcome(name, "reconciliation", mart, 0, [], started, datetime.now(UTC), error=missing)
    rows = conn.execute(totals_sql(mart, fact, totals, suffix)).fetchall()
    keys, measures = list(totals.slice), list(totals.measures)
    failures, sums = [], {f"{side}_{m}": 0 for side in ("mart", "fact") for m in measures}
    for row in rows:
        cell = dict(zip(keys, row[: len(keys)]))
        got = dict(zip(measures, row[len(keys) :: 2]))
        want = dict(zip(measures, row[len(keys) + 1 :: 2]))
        for m in measures:
            sums[f"mart_{m}"] += got[m]
            sums[f"fact_{m}"] += want[m]
        differ = [m for m in measures if got[m] != want[m]]
        if differ:
            failures.append(
                Failure(
                    rule="mart totals = fact totals",
                    expected=f"{', '.join(differ)} as in {fact}",
                    column=", ".join(f"{k}={v}" for k, v in cell.items()),
                    observed={"mart": {m: got[m] for m in differ}, "fact": {m: want[m] for m in differ}},
                    note=totals.label or None,
                )
            )
    stats = {"slices": len(rows), "failing_slices": len(failures), **sums}
    return Outcome(
        name,
        "reconciliation",
        mart,
        len(rows),
        failures[:LIMIT],
        started,
        datetime.now(UTC),
        stats=stats,
        failed_count=len(failures),
    )


def suite_totals(
    conn: psycopg.Connection, name: str, mart: str, totals: tuple[FactTotals, ...], suffix: str = ""
) -> Outcome:
    """Every comparison a suite declares, as one outcome (stats per label when there are several)."""
    parts = [fact_totals(conn, name, mart, t, suffix) for t in totals]
    if len(parts) == 1:
        return parts[0]
    errors = [p.error for p in parts if p.error]
    return Outcome(
        name,
        "reconciliation",
        parts[0].relation,
        sum(p.evaluated for p in parts),
        [f for p in parts for f in p.failures][:LIMIT],
        parts[0].started_at,
        datetime.now(UTC),
        stats={t.label or str(i): p.stats for i, (t, p) in enumerate(zip(totals, parts))},
        error="; ".join(errors) or None,
        failed_count=sum(p.failed for p in parts),
    )


PLACEHOLDER = re.compile(r"\{(\w+\.\w+)\}")


def _texts(totals: FactTotals) -> list[str]:
    return [
        totals.where,
        totals.mart_where,
        *totals.slice.values(),
        *totals.measures.values(),
        *(totals.mart_measures or {}).values(),
    ]


def resolve(text: str, suffix: str) -> str:
    """{schema.table} in a SQL text -> the quoted relation of the same build (its schema suffix)."""

    def quoted(match: re.Match) -> str:
        schema, table = suffixed(match.group(1), suffix).split(".", 1)
        return f'"{schema}"."{table}"'

    return PLACEHOLDER.sub(quoted, text)


def totals_sql(mart: str, fact: str, totals: FactTotals, suffix: str = "") -> sql.Composed:
    """Per slice: each measure summed over the mart, next to the same measure computed from the fact."""
    keys, measures = list(totals.slice), list(totals.measures)
    key_ids = [sql.Identifier(k) for k in keys]

    def text(value: str) -> sql.SQL:
        return sql.SQL(resolve(value, suffix))

    mart_cols = sql.SQL(", ").join(
        [
            *key_ids,
            *(
                sql.SQL("({e})::bigint as {m}").format(
                    e=text(totals.mart_measure(m))
                    if totals.mart_measure(m)
                    else sql.SQL("sum({})").format(sql.Identifier(m)),
                    m=sql.Identifier(m),
                )
                for m in measures
            ),
        ]
    )
    fact_cols = sql.SQL(", ").join(
        [
            *(sql.SQL("{e} as {k}").format(e=text(totals.slice[k]), k=sql.Identifier(k)) for k in keys),
            *(
                sql.SQL("({e})::bigint as {m}").format(e=text(totals.measures[m]), m=sql.Identifier(m))
                for m in measures
            ),
        ]
    )
    group = sql.SQL(", ").join(sql.Literal(i + 1) for i in range(len(keys)))
    # Null-safe and still hash-joinable (a full join cannot use "is not distinct from").
    on = sql.SQL(" and ").join(
        sql.SQL("coalesce(m.{k}::text, '∅') = coalesce(f.{k}::text, '∅')").format(k=k) for k in key_ids
    )
    out = sql.SQL(", ").join(
        [
            *(sql.SQL("coalesce(m.{k}, f.{k})").format(k=k) for k in key_ids),
            *(sql.SQL("coalesce(m.{m}, 0), coalesce(f.{m}, 0)").format(m=sql.Identifier(m)) for m in measures),
        ]
    )
    return sql.SQL("""
        with m as (select {mart_cols} from {mart} where {mart_where} group by {group}),
        f as (select {fact_cols} from {fact} where {where} group by {group})
        select {out} from m full join f on {on} order by {group}""").format(
        mart_cols=mart_cols,
        mart=rel(mart),
        mart_where=text(totals.mart_where),
        group=group,
        fact_cols=fact_cols,
        fact=rel(fact),
        where=text(totals.where),
        out=out,
        on=on,
    )
