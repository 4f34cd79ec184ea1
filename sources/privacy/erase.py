"""152-ФЗ erasure and text retention: the one routine allowed to change the append-only raw log.

Personal fields (author, address, location, texts, unknown attrs) of the chosen rows become null; every other
field stays, so a rebuild keeps every figure except those the erased data alone decided (a repeat found by the
author or the address). The request is written first — its row in privacy.erasure_requests, in this
transaction, is what the raw tables' guard trigger lets through — and holds no personal data: the target as
a SHA-256, the counts. A marker batch makes the next build of each incremental model start from scratch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from sources.loader import LOAD_LOCK
from sources.privacy import identity

KINDS = ("author_key", "appeal", "source_row", "retention")
ERASED_FLAG = "erased"


@dataclass
class ErasureReport:
    request_id: int
    kind: str
    appeals: int = 0
    rows_changed: dict[str, int] = field(default_factory=dict)
    batch_id: int | None = None

    def line(self) -> str:
        changed = ", ".join(f"{k} {v}" for k, v in self.rows_changed.items())
        return f"request {self.request_id} ({self.kind}): {self.appeals} appeals; rows changed: {changed}" + (
            f"; marker batch {self.batch_id}" if self.batch_id else "; nothing left to erase"
        )


def _events(conn, kind: str, value: str, person: list[str]) -> list[tuple]:
    """(source, event_id, payload, appeal key) of the rows the request reaches."""
    base = "select source, event_id, payload, source || '/' || (payload->>'appeal_id') from raw.appeal_events"
    if kind == "appeal":
        source, appeal_id = value.split(":", 1)
        return conn.execute(base + " where source = %s and payload->>'appeal_id' = %s", (source, appeal_id)).fetchall()
    if kind == "source_row":
        origin, line_no = value.rsplit(":", 1)
        return conn.execute(base + " where origin = %s and line_no = %s", (origin, int(line_no))).fetchall()
    # author_key: every event of the appeals the person wrote (answers to them included); retention: of the
    # appeals closed before the limit.
    return conn.execute(base + " where source || '/' || (payload->>'appeal_id') = any(%s)", (person,)).fetchall()


def _person_appeals(conn, value: str, key: bytes) -> list[str]:
    """The appeals (source/appeal_id) of the person the warehouse keys as `value`, in events and native rows;
    then those of the same phone, e-mail or account id under other keys (a ПОС appeal keyed by phone and a
    hotline call by the same phone with a name). Names alone never join: namesakes are other people."""
    events = conn.execute(
        "select source || '/' || (payload->>'appeal_id'), payload->'author'"
        " from raw.appeal_events where payload ? 'author'"
    ).fetchall()
    rows = conn.execute("select source || '/' || appeal_id, record from raw.source_rows").fetchall()
    authors = [(a, author or {}) for a, author in events] + [(a, identity.record_author(r)) for a, r in rows]
    found = {a for a, author in authors if identity.author_key(key, author) == value}
    strong = {s for a, author in authors if a in found for s in identity.strong_identifiers(author)}
    while True:
        more = {a for a, author in authors if a not in found and strong & identity.strong_identifiers(author)}
        if not more:
            return sorted(found)
        found |= more
        strong |= {s for a, author in authors if a in more for s in identity.strong_identifiers(author)}


def _closed_before(conn, before: datetime) -> list[str]:
    """Appeals whose last event is older than `before` and that ended: closed or rejected, or answered with
    no return after the answer."""
    return [
        r[0]
        for r in conn.execute(
            """
        select source || '/' || (payload->>'appeal_id')
        from raw.appeal_events
        group by source, payload->>'appeal_id'
        having max(occurred_at) < %(before)s
            and (bool_or(payload->>'event_type' in ('closed', 'rejected'))
                or max(occurred_at) filter (where payload->>'event_type' = 'answered')
                    > coalesce(max(occurred_at) filter (where payload->>'event_type' = 'returned'), '-infinity'))
        union
        select source || '/' || appeal_id
        from raw.source_rows
        group by source, appeal_id
        having max(coalesce((record->>'closed_at')::timestamptz, (record->>'answered_at')::timestamptz)) < %(before)s
        """,
            {"before": before},
        ).fetchall()
    ]


def _source_rows(conn, kind: str, value: str, appeals: list[str]) -> list[tuple]:
    base = "select source, appeal_id, exported_at, record, payload from raw.source_rows"
    if kind == "source_row":
        origin, line_no = value.rsplit(":", 1)
        return conn.execute(base + " where origin = %s and line_no = %s", (origin, int(line_no))).fetchall()
    if kind == "appeal":
        source, appeal_id = value.split(":", 1)
        appeals = [f"{source}/{appeal_id}"]
    return conn.execute(base + " where source || '/' || appeal_id = any(%s)", (appeals,)).fetchall()


def erase(
    conn: psycopg.Connection,
    kind: str,
    value: str,
    *,
    requested_by: str,
    key: bytes | None = None,
    reason: str | None = None,
    before: datetime | None = None,
) -> ErasureReport:
    """Blank the personal data the request reaches, in one transaction, and record it. Idempotent: a second
    run finds nothing left to change (its request is recorded all the same, with zero rows)."""
    if kind not in KINDS:
        raise ValueError(f"unknown erasure kind {kind!r}: one of {', '.join(KINDS)}")
    if kind == "author_key" and not key:
        raise ValueError("an author key is found through the pseudonym key (TSUR_PII_KEY)")
    if kind in ("appeal", "source_row") and ":" not in value:
        raise ValueError(f"{kind} is given as {'SOURCE:APPEAL_ID' if kind == 'appeal' else 'ORIGIN:LINE'}")
    texts_only = kind == "retention"
    target = value if kind != "retention" else before.isoformat()
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (LOAD_LOCK,))  # no load interleaves with it
        request_id = conn.execute(
            "insert into privacy.erasure_requests (kind, target_sha256, reason, requested_by)"
            " values (%s, %s, %s, %s) returning request_id",
            (kind, hashlib.sha256(target.encode()).hexdigest(), reason, requested_by),
        ).fetchone()[0]
        report = ErasureReport(request_id, kind)
        found: list[str] = []
        person = (
            _person_appeals(conn, value, key)
            if kind == "author_key"
            else _closed_before(conn, before)
            if kind == "retention"
            else []
        )
        events = _events(conn, kind, value, person)
        appeals = sorted({e[3] for e in events})
        changed = 0
        for source, event_id, payload, _ in events:
            blanked, personal = identity.blank_event(payload, texts_only)
            found += personal
            if blanked != payload:
                conn.execute(
                    "update raw.appeal_events set payload = %s, flags = array_append(array_remove("
                    "flags, %s), %s) where source = %s and event_id = %s",
                    (json.dumps(blanked, ensure_ascii=False), ERASED_FLAG, ERASED_FLAG, source, event_id),
                )
                changed += 1
        report.rows_changed["appeal_events"] = changed
        rows = _source_rows(conn, kind, value, sorted(set(appeals) | set(person)))
        changed = 0
        for source, appeal_id, exported_at, record, payload in rows:
            new_record, new_payload, personal = identity.blank_record(record, payload, texts_only)
            found += personal
            appeals.append(f"{source}/{appeal_id}")
            if (new_record, new_payload) != (record, payload):
                conn.execute(
                    "update raw.source_rows set record = %s, payload = %s, flags = array_append("
                    "array_remove(flags, %s), %s) where source = %s and appeal_id = %s and exported_at = %s",
                    (
                        json.dumps(new_record, ensure_ascii=False),
                        json.dumps(new_payload, ensure_ascii=False),
                        ERASED_FLAG,
                        ERASED_FLAG,
                        source,
                        appeal_id,
                        exported_at,
                    ),
                )
                changed += 1
        report.rows_changed["source_rows"] = changed
        report.rows_changed["quarantine"] = _quarantine(
            conn, kind, value, sorted(set(appeals)), identity.literals(found)
        )
        report.appeals = len(set(appeals))
        if sum(report.rows_changed.values()):
            report.batch_id = conn.execute("select nextval('raw.load_batch_seq')").fetchone()[0]
            conn.execute(
                "insert into raw.load_batches (batch_id, loader, origin, started_at, finished_at,"
                " lines_read, loaded, duplicates, quarantined) values (%s, 'erasure', %s,"
                " clock_timestamp(), clock_timestamp(), 0, 0, 0, 0)",
                (report.batch_id, f"privacy.erasure_requests/{request_id}"),
            )
        conn.execute(
            "update privacy.erasure_requests set finished_at = clock_timestamp(), batch_id = %s,"
            " appeals = %s, rows_changed = %s where request_id = %s",
            (report.batch_id, report.appeals, json.dumps(report.rows_changed), request_id),
        )
    return report


def _quarantine(conn, kind: str, value: str, appeals: list[str], found: set[str]) -> int:
    """Quarantined lines of those appeals, or holding any of the erased strings, or the very line asked for:
    their raw text and bytes go, and the erased strings are masked in the reason."""
    if kind == "source_row":
        origin, line_no = value.rsplit(":", 1)
        rows = conn.execute(
            "select quarantine_id, reason from raw.quarantine where origin = %s and line_no = %s"
            " and (raw_text is not null or raw_bytes is not null)",
            (origin, int(line_no)),
        ).fetchall()
    else:
        rows = conn.execute(
            "select quarantine_id, reason from raw.quarantine where (raw_text is not null or raw_bytes is not null)"
            " and (source || '/' || record_key = any(%s) or raw_text like any(%s))",
            (appeals, ["%" + f.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for f in found]),
        ).fetchall()
    for quarantine_id, reason in rows:
        for secret in found:
            reason = reason.replace(secret, "***")
        conn.execute(
            "update raw.quarantine set raw_text = null, raw_bytes = null, reason = %s where quarantine_id = %s",
            (reason, quarantine_id),
        )
    return len(rows)
