"""Load one file (or one HTTP page set) into a raw table: one COPY, one transaction, counts that reconcile.

Every connector turns its input into `Record`s; this module does the rest the same way for all:
records go through COPY into a temporary table, then SQL sorts them into new rows, duplicates and
conflicts, stores the new rows and the quarantine, and writes the batch with its counts. Loads are
serialised by an advisory lock, so batch ids follow commit order and a build that reads "batches up
to N" sees each batch whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import psycopg

LOAD_LOCK = 746_002


@dataclass(frozen=True)
class RawTable:
    """A raw table and how to tell a duplicate from a conflict in it."""

    name: str
    columns: tuple[tuple[str, str], ...]  # (column, type) filled by the connector, lineage included
    key: tuple[str, ...] = ()  # same key and same `content`: duplicate; other content: conflict
    content: str = "payload"

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]


@dataclass(frozen=True)
class Record:
    """One line or row as read: accepted `values` for the table, or a reason to quarantine it."""

    line_no: int | None
    raw_text: str | None
    values: tuple | None = None
    reason_code: str | None = None
    reason: str | None = None
    record_key: str | None = None
    sheet: str | None = None
    raw_bytes: bytes | None = None

    @property
    def ok(self) -> bool:
        return self.values is not None


@dataclass
class BatchReport:
    origin: str
    batch_id: int | None = None
    lines_read: int = 0
    blank_lines: int = 0
    loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    skipped_file: bool = False
    reasons: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        if self.skipped_file:
            return f"{self.origin}: already loaded, skipped"
        text = (f"{self.origin}: read {self.lines_read}, loaded {self.loaded}, "
                f"duplicates {self.duplicates}, quarantined {self.quarantined}")
        if self.reasons:
            text += " (" + ", ".join(f"{k} {v}" for k, v in sorted(self.reasons.items())) + ")"
        return text


def already_loaded(conn: psycopg.Connection, loader: str, sha256: str) -> bool:
    row = conn.execute(
        "select 1 from raw.load_batches where loader = %s and origin_sha256 = %s limit 1", (loader, sha256)
    ).fetchone()
    return row is not None


def load_records(
    conn: psycopg.Connection,
    table: RawTable,
    records: Iterable[Record],
    *,
    loader: str,
    origin: str,
    origin_sha256: str | None,
    source: str | None = None,
    force: bool = False,
    blank_lines: Callable[[], int] | None = None,
    join_transaction: bool = False,
) -> BatchReport:
    """Load `records` as one batch in one transaction. Files seen before (by sha256) are skipped.

    join_transaction=True lets a caller commit more with the batch (a cursor, say) in its own transaction block.
    """
    if not join_transaction and conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        # Inside an open transaction this would be a savepoint: nothing would be committed with the batch.
        raise RuntimeError("load_records needs a connection outside a transaction: commit first or use autocommit")
    report = BatchReport(origin=origin)
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (LOAD_LOCK,))
        if origin_sha256 and not force and already_loaded(conn, loader, origin_sha256):
            report.skipped_file = True
            return report
        batch_id = conn.execute("select nextval('raw.load_batch_seq')").fetchone()[0]
        conn.execute(
            "insert into raw.load_batches (batch_id, loader, source, origin, origin_sha256, started_at,"
            " finished_at, lines_read, loaded, duplicates, quarantined)"
            " values (%s, %s, %s, %s, %s, clock_timestamp(), clock_timestamp(), 0, 0, 0, 0)",
            (batch_id, loader, source, origin, origin_sha256),
        )
        _copy_incoming(conn, table, records)
        _classify(conn, table)
        loaded_at = conn.execute("select clock_timestamp()").fetchone()[0]
        cols = ", ".join(table.column_names)
        report.loaded = conn.execute(
            f"insert into {table.name} ({cols}, batch_id, loaded_at)"
            f" select {cols}, %s, %s from _incoming join _verdicts using (_seq) where verdict = 'new' order by _seq",
            (batch_id, loaded_at),
        ).rowcount
        conn.execute(
            "insert into raw.quarantine (batch_id, loader, source, origin, sheet, line_no, record_key,"
            " reason_code, reason, raw_text, raw_bytes, quarantined_at)"
            " select %s, %s, %s, %s, _sheet, _line_no, _key, v.reason_code, v.reason, _raw_text, _raw_bytes, %s"
            " from _incoming join _verdicts as v using (_seq) where verdict = 'quarantine' order by _seq",
            (batch_id, loader, source, origin, loaded_at),
        )
        counts = dict(conn.execute("select verdict, count(*) from _verdicts group by 1").fetchall())
        report.reasons = dict(conn.execute(
            "select reason_code, count(*) from _verdicts where verdict = 'quarantine' group by 1"
        ).fetchall())
        report.batch_id = batch_id
        report.lines_read = sum(counts.values())
        report.duplicates = counts.get("duplicate", 0)
        report.quarantined = counts.get("quarantine", 0)
        report.blank_lines = blank_lines() if blank_lines else 0
        conn.execute(
            "update raw.load_batches set finished_at = %s, lines_read = %s, blank_lines = %s, loaded = %s,"
            " duplicates = %s, quarantined = %s where batch_id = %s",
            (loaded_at, report.lines_read, report.blank_lines, report.loaded, report.duplicates,
             report.quarantined, batch_id),
        )
        conn.execute("drop table _incoming, _verdicts")
    return report


def refresh_statistics(conn: psycopg.Connection, table: str) -> None:
    """ANALYZE a raw table after loading into it: a build right after a big load would otherwise plan
    with no or stale statistics (autovacuum gets there later) and scan what it could look up by index."""
    if conn.execute("select pg_has_role(current_user, relowner, 'usage') from pg_class"
                    " where oid = to_regclass(%s)", (table,)).fetchone() == (True,):
        conn.execute(f"analyze {table}")
        if not conn.autocommit:
            conn.commit()


def _copy_incoming(conn: psycopg.Connection, table: RawTable, records: Iterable[Record]) -> None:
    typed = ", ".join(f"{name} {kind}" for name, kind in table.columns)
    conn.execute(
        "create temp table _incoming (_seq bigint, _ok boolean, _line_no integer, _sheet text, _key text,"
        f" _reason_code text, _reason text, _raw_text text, _raw_bytes bytea, {typed})"
        " on commit drop"
    )
    names = ["_seq", "_ok", "_line_no", "_sheet", "_key", "_reason_code", "_reason", "_raw_text", "_raw_bytes"]
    names += table.column_names
    empty = (None,) * len(table.columns)
    with conn.cursor().copy(f"copy _incoming ({', '.join(names)}) from stdin") as copy:
        for seq, rec in enumerate(records):
            head = (seq, rec.ok, rec.line_no, rec.sheet, rec.record_key, rec.reason_code, rec.reason,
                    _text_safe(rec.raw_text), None if rec.ok else rec.raw_bytes)
            copy.write_row(head + (rec.values if rec.ok else empty))
    conn.execute("analyze _incoming")


def _classify(conn: psycopg.Connection, table: RawTable) -> None:
    """Give each incoming row a verdict: new, duplicate, or quarantine (bad input or a conflicting key).

    Verdicts go into a narrow table: updating the wide incoming rows would rewrite every payload.
    """
    if not table.key:
        conn.execute("create temp table _verdicts on commit drop as select _seq,"
                     " case when _ok then 'new' else 'quarantine' end as verdict,"
                     " _reason_code as reason_code, _reason as reason from _incoming")
        return
    key = ", ".join(table.key)
    on = " and ".join(f"s.{k} = i.{k}" for k in table.key)
    c = table.content
    conn.execute(f"""
        create temp table _verdicts on commit drop as
        with ranked as (
            select _seq, _ok, _reason_code, _reason, {key}, {c},
                row_number() over w as rn,
                first_value({c}) over w as first_content,
                first_value(_line_no) over w as first_line
            from _incoming
            window w as (partition by _ok, {key} order by _seq)
        )
        select i._seq,
            case
                when not i._ok then 'quarantine'
                when s.batch_id is not null then case when s.{c} = i.{c} then 'duplicate' else 'quarantine' end
                when i.rn = 1 then 'new'
                when i.{c} = i.first_content then 'duplicate'
                else 'quarantine'
            end as verdict,
            case
                when not i._ok then i._reason_code
                when s.batch_id is not null then case when s.{c} <> i.{c} then 'conflict' end
                when i.rn > 1 and i.{c} <> i.first_content then 'conflict'
            end as reason_code,
            case
                when not i._ok then i._reason
                when s.batch_id is not null then case when s.{c} <> i.{c} then
                    'the same key was loaded before with other content (batch ' || s.batch_id || ', '
                    || s.origin || ' line ' || coalesce(s.line_no::text, '?') || ')' end
                when i.rn > 1 and i.{c} <> i.first_content then
                    'the same key appears earlier in this input with other content (line ' || i.first_line || ')'
            end as reason
        from ranked as i
        left join {table.name} as s on i._ok and {on}
    """)


def _text_safe(text: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; the exact bytes are kept in raw_bytes.
    return None if text is None else text.replace("\x00", "\ufffd")
