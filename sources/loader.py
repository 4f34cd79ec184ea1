"""Load one file (or one HTTP page set) into a raw table: one transaction, each row written once, counts that reconcile.

Every connector turns its input into `Record`s; this module does the rest the same way for all: records are
judged chunk by chunk (`sources/verdicts.py`) — new rows go by COPY straight into the raw table, duplicates
are counted, bad lines and conflicting keys go to the quarantine with their reason — and the batch is written
with its counts. Loads are serialised by an advisory lock, so batch ids follow commit order, a build that reads
"batches up to N" sees each batch whole or not at all, and no other load adds a key while one is sorted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import psycopg

from sources.prefetch import Chunked, chunks
from sources.records import BatchReport, RawTable, Record
from sources.verdicts import BatchSorter

__all__ = ["BatchReport", "LOAD_LOCK", "RawTable", "Record", "already_loaded", "load_records", "refresh_statistics"]

LOAD_LOCK = 746_002
CHUNK_ROWS = 2_000  # rows judged, looked up and copied together: a COPY worth starting, a few MB in memory


def already_loaded(conn: psycopg.Connection, loader: str, sha256: str) -> bool:
    row = conn.execute(
        "select 1 from raw.load_batches where loader = %s and origin_sha256 = %s limit 1", (loader, sha256)
    ).fetchone()
    return row is not None


def load_records(
    conn: psycopg.Connection,
    table: RawTable,
    records: Iterable[Record] | Chunked,
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
        batch_id, loaded_at = conn.execute("select nextval('raw.load_batch_seq'), clock_timestamp()").fetchone()
        conn.execute(
            "insert into raw.load_batches (batch_id, loader, source, origin, origin_sha256, started_at,"
            " finished_at, lines_read, loaded, duplicates, quarantined)"
            " values (%s, %s, %s, %s, %s, %s, %s, 0, 0, 0, 0)",
            (batch_id, loader, source, origin, origin_sha256, loaded_at, loaded_at),
        )
        sorter = BatchSorter(conn, table, batch_id, loader, source, origin, loaded_at)
        for chunk in records if isinstance(records, Chunked) else chunks(records, CHUNK_ROWS):
            sorter.add(chunk)
        report.batch_id = batch_id
        report.loaded = sorter.counts["new"]
        report.duplicates = sorter.counts["duplicate"]
        report.quarantined = sorter.counts["quarantine"]
        report.lines_read = report.loaded + report.duplicates + report.quarantined
        report.reasons = dict(sorter.reasons)
        report.blank_lines = blank_lines() if blank_lines else 0
        conn.execute(
            "update raw.load_batches set finished_at = clock_timestamp(), lines_read = %s, blank_lines = %s,"
            " loaded = %s, duplicates = %s, quarantined = %s where batch_id = %s",
            (report.lines_read, report.blank_lines, report.loaded, report.duplicates, report.quarantined, batch_id),
        )
    return report


def refresh_statistics(conn: psycopg.Connection, table: str) -> None:
    """ANALYZE a raw table after loading into it: a build right after a big load would otherwise plan
    with no or stale statistics (autovacuum gets there later) and scan what it could look up by index."""
    if conn.execute(
        "select pg_has_role(current_user, relowner, 'usage') from pg_class where oid = to_regclass(%s)", (table,)
    ).fetchone() == (True,):
        conn.execute(f"analyze {table}")
        if not conn.autocommit:
            conn.commit()
