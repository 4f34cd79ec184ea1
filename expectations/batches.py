"""Load batches reconciled: lines read = loaded + duplicates + quarantined, and the rows claimed are stored."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
from psycopg import sql

from expectations.relations import LIMIT
from expectations.results import Failure, Outcome


def row_tables() -> list[str]:
    """The raw tables loaders put rows into (not the metadata tables that merely point at a batch)."""
    from sources.classify.store import LABELS
    from sources.events import APPEAL_EVENTS
    from sources.open311.services import SERVICES
    from sources.snapshot import SOURCE_ROWS

    return [APPEAL_EVENTS.name, SOURCE_ROWS.name, SERVICES.name, LABELS]


def load_batches(conn: psycopg.Connection, loaders: tuple[str, ...] | None = None) -> Outcome:
    """Every batch of the given loaders (default: all): its counts add up, and the rows it claims are stored."""
    started = datetime.now(UTC)
    tables = [name.split(".")[1] for name in row_tables()]
    stored = (
        sql.SQL(" union all ").join(
            sql.SQL("select batch_id, count(*) as n from {} group by batch_id").format(sql.Identifier("raw", t))
            for t in tables
        )
        if tables
        else sql.SQL("select null::bigint as batch_id, 0::bigint as n where false")
    )
    rows = conn.execute(
        sql.SQL("""
        with stored as (select batch_id, sum(n) as n from ({}) as s group by batch_id),
        quarantined as (select batch_id, count(*) as n from raw.quarantine group by batch_id)
        select b.batch_id, b.loader, b.origin, b.lines_read, b.loaded, coalesce(s.n, 0), b.duplicates,
            b.quarantined, coalesce(q.n, 0)
        from raw.load_batches as b
        left join stored as s using (batch_id)
        left join quarantined as q using (batch_id)
        where %(loaders)s::text[] is null or b.loader = any(%(loaders)s::text[])
        order by b.batch_id""").format(stored),
        {"loaders": list(loaders) if loaders else None},
    ).fetchall()
    failures = []
    for batch, loader, origin, read, loaded, rows_stored, dups, quarantined, rows_quarantined in rows:
        wrong = []
        if read != loaded + dups + quarantined:
            wrong.append("lines_read = loaded + duplicates + quarantined")
        if loaded != rows_stored:
            wrong.append("loaded = rows stored")
        if quarantined != rows_quarantined:
            wrong.append("quarantined = rows in raw.quarantine")
        if wrong:
            failures.append(
                Failure(
                    rule="batch_reconciles",
                    expected="; ".join(wrong),
                    column=f"batch {batch} ({loader})",
                    observed={
                        "origin": origin,
                        "lines_read": read,
                        "loaded": loaded,
                        "rows_stored": int(rows_stored),
                        "duplicates": dups,
                        "quarantined": quarantined,
                        "rows_quarantined": int(rows_quarantined),
                    },
                )
            )
    stats = {
        "batches": len(rows),
        "raw_tables": tables,
        "failing_batches": len(failures),
        "lines_read": sum(r[3] for r in rows),
        "loaded": sum(r[4] for r in rows),
        "duplicates": sum(r[6] for r in rows),
        "quarantined": sum(r[7] for r in rows),
    }
    name = "load_batches" + (f"_{'_'.join(loaders)}" if loaders else "")
    return Outcome(
        name,
        "reconciliation",
        "raw.load_batches",
        len(rows),
        failures[:LIMIT],
        started,
        datetime.now(UTC),
        stats=stats,
        failed_count=len(failures),
    )
