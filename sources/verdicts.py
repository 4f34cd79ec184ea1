"""Sort a batch's records, chunk by chunk, into new rows, duplicates and quarantine — writing each row once.

New rows go by COPY straight into the raw table; nothing is staged. A key stored before makes the COPY
fail on the table's unique key, and only then is the chunk sorted against the table (loads hold the load
lock, sources/loader.py, so no other batch adds keys meanwhile). Only the rows whose key was seen before —
earlier in the file or in an earlier batch — are compared, and PostgreSQL compares them, so
`{"a":1, "b":2}` equals `{"b":2,"a":1}` as jsonb does, exactly as before.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from sources.copytext import array_literal, field_text
from sources.records import RawTable, Record

_QUARANTINE_COLUMNS = (
    "batch_id, loader, source, origin, sheet, line_no, record_key, reason_code, reason,"
    " raw_text, raw_bytes, quarantined_at"
)


@dataclass
class BatchSorter:
    conn: psycopg.Connection
    table: RawTable
    batch_id: int
    loader: str
    source: str | None
    origin: str
    loaded_at: datetime
    counts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    # hash() of every key this batch stored or found stored by an earlier batch: ~60 bytes a row, not the row.
    # A collision only sends a new row to the comparison, which then finds no stored row and says so.
    _seen: set = field(default_factory=set)

    def __post_init__(self) -> None:
        types = dict(self.table.columns)
        names = self.table.column_names
        self._key_at = [names.index(k) for k in self.table.key]
        self._key_types = [types[k] for k in self.table.key]
        self._content_at = names.index(self.table.content) if self.table.key else None
        self._content_type = types.get(self.table.content, "text")
        self._copy_sql = f"copy {self.table.name} ({', '.join(names)}, batch_id, loaded_at) from stdin"
        self._arrays = [i for i, (_, kind) in enumerate(self.table.columns) if kind == "text[]"]

    def add(self, chunk: list[Record]) -> None:
        """Judge one chunk (in file order) and store it: new rows into the table, the rest into quarantine.

        Optimistic: a key not seen before in this file is taken as new and copied under a savepoint; only if
        an earlier batch stored one of them (a unique violation) are the chunk's keys looked up in the table
        first. Every repeated key is then compared with the row the table holds for it — stored earlier in
        this file or by an earlier batch — so only colliding rows cost a comparison.
        """
        verdicts = [("new", None, None) if rec.ok else ("quarantine", rec.reason_code, rec.reason) for rec in chunk]
        if not self._key_at:
            self._copy_new(chunk, verdicts)
        else:
            keys = [self._key(rec) if rec.ok else None for rec in chunk]
            added, repeats = self._first_seen(keys, verdicts)
            try:
                with self.conn.transaction():
                    self._copy_new(chunk, verdicts)
            except psycopg.errors.UniqueViolation:
                self._seen.difference_update(added)
                verdicts = [("new", None, None) if rec.ok else v for rec, v in zip(chunk, verdicts)]
                stored = self._stored({k for k in keys if k is not None and hash(k) not in self._seen})
                self._seen.update(map(hash, stored))
                _, repeats = self._first_seen(keys, verdicts)
                self._copy_new(chunk, verdicts)
            if repeats:
                self._compare_with_table(chunk, keys, repeats, verdicts)
        bad = [(rec, v) for rec, v in zip(chunk, verdicts) if v[0] == "quarantine"]
        if bad:
            self._quarantine(bad)
        for verdict, code, _ in verdicts:
            self.counts[verdict] += 1
            if verdict == "quarantine":
                self.reasons[code] += 1

    def _first_seen(self, keys: list, verdicts: list) -> tuple[list[int], list[int]]:
        """Keys seen for the first time (their rows stay new; their hashes returned) and the rows whose key
        was seen before."""
        added: list[int] = []
        repeats: list[int] = []
        seen = self._seen
        for i, key in enumerate(keys):
            if key is None:
                continue
            h = hash(key)
            if h in seen:
                repeats.append(i)
                verdicts[i] = ("repeat", None, None)
            else:
                seen.add(h)
                added.append(h)
        return added, repeats

    def _copy_new(self, chunk: list[Record], verdicts: list) -> None:
        new = [rec for rec, v in zip(chunk, verdicts) if v[0] == "new"]
        if not new:
            return
        with self.conn.cursor().copy(self._copy_sql) as copy:
            if all(rec.copy_line is not None for rec in new):  # rendered by the judging process
                tail = f"\t{self.batch_id}\t{self.loaded_at.isoformat()}\n".encode()
                copy.write(tail.join(rec.copy_line for rec in new) + tail)
                return
            tail = (self.batch_id, self.loaded_at)
            arrays = self._arrays
            for rec in new:
                values = _with_array_literals(rec.values, arrays) if arrays else rec.values
                copy.write_row(values + tail)

    def _content(self, rec: Record) -> object:
        value = rec.values[self._content_at]
        if value is None and rec.copy_line is not None:  # only the COPY text came from the judging process
            value = field_text(rec.copy_line, self._content_at)
        return value

    def _key(self, rec: Record) -> tuple:
        values = rec.values
        return tuple(values[i] for i in self._key_at)

    def _stored(self, keys: set[tuple]) -> list[tuple]:
        """Which of these keys an earlier batch stored (one index lookup each, in one statement)."""
        if not keys:
            return []
        keys = list(keys)
        cols = self.table.key
        arrays = [[k[j] for k in keys] for j in range(len(cols))]
        unnest = ", ".join(f"%s::{t}[]" for t in self._key_types)
        on = " and ".join(f"s.{c} = k.{c}" for c in cols)
        rows = self.conn.execute(
            f"select {', '.join('k.' + c for c in cols)} from unnest({unnest}) as k({', '.join(cols)})"
            f" join {self.table.name} as s on {on}",
            arrays,
        ).fetchall()
        return [tuple(row) for row in rows]

    def _compare_with_table(self, chunk: list[Record], keys: list, at: list[int], verdicts: list) -> None:
        """Each repeated row against the stored row of its key: the same content (as the column's type
        compares it, jsonb for payloads) is a duplicate; other content is a conflict, named by where the
        stored row came from."""
        cols, c, t = self.table.key, self.table.content, self._content_type
        arrays = [[keys[i][j] for i in at] for j in range(len(cols))]
        unnest = ", ".join(f"%s::{kt}[]" for kt in self._key_types)
        on = " and ".join(f"s.{col} = k.{col}" for col in cols)
        rows = self.conn.execute(
            f"select k.n, s.{c} is not distinct from k.content::{t}, s.batch_id, s.origin, s.line_no"
            f" from unnest(%s::int[], {unnest}, %s::text[]) as k(n, {', '.join(cols)}, content)"
            f" join {self.table.name} as s on {on}",
            [at, *arrays, [self._content(chunk[i]) for i in at]],
        ).fetchall()
        for n, equal, batch_id, origin, line_no in rows:
            line = "?" if line_no is None else line_no
            if equal:
                verdicts[n] = ("duplicate", None, None)
            elif batch_id == self.batch_id:
                verdicts[n] = (
                    "quarantine",
                    "conflict",
                    f"the same key appears earlier in this input with other content (line {line})",
                )
            else:
                verdicts[n] = (
                    "quarantine",
                    "conflict",
                    f"the same key was loaded before with other content (batch {batch_id}, {origin} line {line})",
                )
        missing = [i for i in at if verdicts[i][0] == "repeat"]
        if missing:  # a hash collision of two keys (or a stored row gone): never count it silently
            raise RuntimeError(
                f"{len(missing)} repeated keys have no stored row in {self.table.name};"
                " load the file again (key hashes differ in every process)"
            )

    def _quarantine(self, bad: list[tuple[Record, tuple]]) -> None:
        head = (self.batch_id, self.loader, self.source, self.origin)
        with self.conn.cursor().copy(f"copy raw.quarantine ({_QUARANTINE_COLUMNS}) from stdin") as copy:
            for rec, (_, code, reason) in bad:
                text = rec.raw_text if rec.raw_text is not None or not rec.ok else self._content(rec)
                copy.write_row(
                    head
                    + (
                        rec.sheet,
                        rec.line_no,
                        rec.record_key,
                        code,
                        reason,
                        _text_safe(text),
                        None if rec.ok else rec.raw_bytes,
                        self.loaded_at,
                    )
                )


def _with_array_literals(values: tuple, at: list[int]) -> tuple:
    """Text arrays as PostgreSQL literals: psycopg's list dumper is Python and cost more than the rest of a row."""
    row = list(values)
    for i in at:
        items = row[i]
        if items is None or isinstance(items, str):
            continue
        row[i] = array_literal(items)
    return tuple(row)


def _text_safe(text: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; the exact bytes are kept in raw_bytes.
    return None if text is None else text.replace("\x00", "\ufffd")
