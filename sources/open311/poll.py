"""Polling one Open311 endpoint: windows from the cursor, one batch per window, the cursor in the same commit.

Each window of requested_datetime (on a fixed grid, see windows.py) is read whole (reader.py), judged
(parse.py) and loaded into raw.source_rows as one batch; the cursor moves to the window's end in the
same transaction, so a crash at any point leaves either the window and its cursor or neither. Every
poll starts `lookback_days` before the cursor: updated requests are seen again, unchanged ones are
duplicates, and a window whose content is the same as a loaded one is skipped without a batch.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg
from psycopg.pq import TransactionStatus

from sources.loader import BatchReport, load_records
from sources.open311.client import ClientSettings, Open311Client, Open311Error
from sources.open311.endpoints import Endpoint
from sources.open311.parse import request_record
from sources.open311.reader import WindowRead, WindowReader
from sources.open311.services import store_services
from sources.open311.windows import WideningGrid, w3
from sources.snapshot import SOURCE_ROWS, SnapshotJudge

log = logging.getLogger(__name__)
LOADER = "open311"
CHANNEL = "portal"
FIRST_POLL_DAYS = 90  # without a cursor or `since`: GeoReport's own default span
_POLL_LOCK = 746_003  # with hashtext(source): one poll per source at a time
LOCK_WAIT_SECONDS = 15.0


@dataclass
class WindowReport:
    start: datetime
    end: datetime
    batch: BatchReport
    objects_read: int
    repeated_broken: int
    pages: int
    http_requests: int
    complete: bool
    note: str = ""

    def line(self) -> str:
        span = f"{w3(self.start)}..{w3(self.end)}"
        if self.batch.skipped_file:
            text = f"{span}: {self.objects_read} requests as loaded before, skipped"
        else:
            text = (
                f"{span}: read {self.objects_read}, loaded {self.batch.loaded}, duplicates "
                f"{self.batch.duplicates}, quarantined {self.batch.quarantined}, "
                f"skipped {self.repeated_broken} (quarantined before)"
            )
            if self.batch.reasons:
                text += " [" + ", ".join(f"{k} {v}" for k, v in sorted(self.batch.reasons.items())) + "]"
        text += f"; {self.pages} pages, batch {self.batch.batch_id or '-'}"
        return text + ("" if self.complete else f"; INCOMPLETE: {self.note}")


@dataclass
class PollReport:
    source: str
    endpoint: str
    cursor_before: datetime | None = None
    cursor_after: datetime | None = None
    windows: list[WindowReport] = field(default_factory=list)
    services: BatchReport | None = None
    services_error: str | None = None
    http_requests: int = 0

    @property
    def complete(self) -> bool:
        return all(w.complete for w in self.windows)

    def totals(self) -> dict[str, int]:
        loaded = [w for w in self.windows if not w.batch.skipped_file]
        return {
            "windows": len(self.windows),
            "batches": len(loaded),
            "read": sum(w.objects_read for w in self.windows),
            "loaded": sum(w.batch.loaded for w in loaded),
            "duplicates": sum(w.batch.duplicates for w in loaded),
            "quarantined": sum(w.batch.quarantined for w in loaded),
            "skipped": sum(w.repeated_broken for w in loaded)
            + sum(w.objects_read for w in self.windows if w.batch.skipped_file),
            "http_requests": self.http_requests,
        }

    def line(self) -> str:
        t = self.totals()
        return (
            f"{self.source}: read {t['read']}, loaded {t['loaded']}, duplicates {t['duplicates']}, "
            f"quarantined {t['quarantined']}, skipped {t['skipped']} in {t['windows']} windows "
            f"({t['batches']} batches, {t['http_requests']} HTTP requests); cursor "
            f"{w3(self.cursor_after) if self.cursor_after else '-'}"
        )


class PollError(Open311Error):
    """A poll that stopped: the windows stored before the failure stay, with the cursor after them."""

    def __init__(self, message: str, report: PollReport):
        super().__init__(message)
        self.report = report


def read_cursor(conn: psycopg.Connection, source: str, endpoint: str) -> datetime | None:
    row = conn.execute(
        "select window_end from raw.open311_cursors where source = %s and endpoint = %s", (source, endpoint)
    ).fetchone()
    return row[0] if row else None


@contextmanager
def _exclusive(conn: psycopg.Connection, source: str, wait_seconds: float | None = None) -> Iterator[None]:
    """One poll per source at a time; a poll that is still running (or a killed one whose session the
    server has not yet closed) is waited for a little, then this one gives up."""
    wait = LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    try:
        with conn.transaction():
            conn.execute("select set_config('lock_timeout', %s, true)", (f"{int(wait * 1000)}ms",))
            conn.execute("select pg_advisory_lock(%s, hashtext(%s))", (_POLL_LOCK, source))
    except psycopg.errors.LockNotAvailable:
        raise Open311Error(f"{source}: another poll of this source is running") from None
    try:
        yield
    finally:
        if conn.info.transaction_status == TransactionStatus.INERROR:
            conn.rollback()
        with conn.transaction():
            conn.execute("select pg_advisory_unlock(%s, hashtext(%s))", (_POLL_LOCK, source))


def store_window(
    conn: psycopg.Connection,
    endpoint: Endpoint,
    read: WindowRead,
    window_url: str,
    *,
    advance: bool,
    http_requests: int = 0,
) -> WindowReport:
    """Load the window as one batch and, if it was read whole, move the cursor to its end — one commit."""
    judges: dict[str, SnapshotJudge] = {}
    records = []
    for obj, page_url, page, position in read.objects:
        judge = judges.setdefault(
            page_url,
            SnapshotJudge(
                source=endpoint.source, channel=CHANNEL, origin=page_url, tz=endpoint.timezone, bad_optional="flag"
            ),
        )
        records.append(request_record(obj, judge=judge, line_no=position, page=f"page={page}"))
    content = hashlib.sha256("\n".join([endpoint.source, *sorted(read.texts)]).encode("utf-8")).hexdigest()
    with conn.transaction():
        # A broken request seen again in an overlapping window is not quarantined again.
        before = {
            row[0]
            for row in conn.execute(
                "select distinct md5(raw_text) from raw.quarantine where loader = %s and source = %s"
                " and raw_text is not null",
                (LOADER, endpoint.source),
            )
        }
        fresh = [r for r in records if hashlib.md5((r.raw_text or "").encode("utf-8")).hexdigest() not in before]
        batch = load_records(
            conn,
            SOURCE_ROWS,
            fresh,
            loader=LOADER,
            origin=window_url,
            origin_sha256=content,
            source=endpoint.source,
            join_transaction=True,
        )
        if not batch.skipped_file:
            conn.execute(
                "insert into raw.open311_windows (batch_id, source, endpoint, window_start, window_end, pages,"
                " http_requests, objects_read, repeated_broken, complete) values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                (
                    batch.batch_id,
                    endpoint.source,
                    endpoint.identity,
                    read.start,
                    read.end,
                    read.pages,
                    http_requests,
                    len(records),
                    len(records) - len(fresh),
                    read.complete,
                ),
            )
        if advance:
            conn.execute(
                "insert into raw.open311_cursors (source, endpoint, window_end, batch_id, updated_at)"
                " values (%s, %s, %s, %s, clock_timestamp())"
                " on conflict (source, endpoint) do update set"
                " window_end = greatest(raw.open311_cursors.window_end, excluded.window_end),"
                " batch_id = coalesce(excluded.batch_id, raw.open311_cursors.batch_id),"
                " updated_at = excluded.updated_at",
                (endpoint.source, endpoint.identity, read.end, batch.batch_id),
            )
    return WindowReport(
        read.start,
        read.end,
        batch,
        len(records),
        len(records) - len(fresh),
        read.pages,
        http_requests,
        read.complete,
        read.note,
    )


def poll_endpoint(
    conn: psycopg.Connection,
    endpoint: Endpoint,
    *,
    since: datetime | None = None,
    now: datetime | None = None,
    client_settings: ClientSettings | None = None,
    on_window: Callable[[WindowReport], None] | None = None,
    rereads: int = 2,
) -> PollReport:
    """Poll services.json and requests.json of one endpoint up to `now`; PollError if it stops midway."""
    if conn.info.transaction_status != TransactionStatus.IDLE:
        raise ValueError("poll_endpoint needs a connection outside a transaction: it commits window by window")
    now = now or datetime.now(UTC)
    settings = client_settings or endpoint.client_settings()
    report = PollReport(endpoint.source, endpoint.identity)
    with (
        Open311Client(
            endpoint.base_url, jurisdiction_id=endpoint.jurisdiction_id, api_key=endpoint.api_key(), settings=settings
        ) as client,
        _exclusive(conn, endpoint.source),
    ):
        try:
            _poll(conn, client, endpoint, report, since, now, on_window, rereads)
        except Open311Error as exc:
            report.http_requests = client.http_requests
            raise PollError(f"{endpoint.source}: poll stopped: {exc}", report) from None
        report.http_requests = client.http_requests
    return report


def _poll(
    conn, client: Open311Client, endpoint: Endpoint, report: PollReport, since, now, on_window, rereads: int
) -> None:
    with conn.transaction():
        report.cursor_before = report.cursor_after = read_cursor(conn, endpoint.source, endpoint.identity)
    _poll_services(conn, client, endpoint, report)
    if since is not None:
        start = since
    elif report.cursor_before is not None:
        start = report.cursor_before - timedelta(days=endpoint.lookback_days)
    else:
        start = endpoint.since or now - timedelta(days=FIRST_POLL_DAYS)
    reader = WindowReader(client, endpoint.page_size, rereads=rereads)
    whole_so_far = True  # the cursor may not pass a window that was not read whole
    grid = WideningGrid(start, now, timedelta(days=endpoint.window_days))
    while (window_bounds := grid.next()) is not None:
        left, right = window_bounds
        requests_before = client.http_requests
        read = reader.read(left, right)
        whole_so_far = whole_so_far and read.complete
        url = client.url("requests.json", {"start_date": w3(left), "end_date": w3(right)})
        window = store_window(
            conn, endpoint, read, url, advance=whole_so_far, http_requests=client.http_requests - requests_before
        )
        report.windows.append(window)
        grid.done(window_bounds, window.objects_read if read.complete else 1)  # an incomplete read: no wider
        if whole_so_far:
            report.cursor_after = max(filter(None, (report.cursor_after, right)))
        log.info("%s", window.line())
        if on_window:
            on_window(window)
    if not whole_so_far:
        raise Open311Error("some windows could not be read whole; the cursor stays before them")


def _poll_services(conn, client: Open311Client, endpoint: Endpoint, report: PollReport) -> None:
    try:
        items, url = client.get_json("services.json")
    except Open311Error as exc:
        if exc.status is None:  # nothing answers: requests.json will not either
            raise
        report.services_error = str(exc)  # an endpoint without a service list still has requests
        log.warning("%s", exc)
        return
    report.services = store_services(conn, items, source=endpoint.source, origin=url)
