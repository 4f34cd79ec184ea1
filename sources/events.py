"""appeal-event/1 JSON Lines: judge each line against the contract, stream a file into raw.appeal_events."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import fastjsonschema
import msgspec
import orjson
import psycopg

from sources.contract import fast_decoder, schema
from sources.copytext import copy_field, copy_line
from sources.dates import DateError, parse_rfc3339
from sources.files import LineReader, file_sha256
from sources.loader import BatchReport, RawTable, Record, load_records
from sources.prefetch import Chunked

LOADER = "appeal_events"
APPEAL_EVENTS = RawTable(
    name="raw.appeal_events",
    columns=(
        ("source", "text"),
        ("event_id", "text"),
        ("payload", "jsonb"),
        ("occurred_at", "timestamptz"),
        ("flags", "text[]"),
        ("origin", "text"),
        ("line_no", "integer"),
        ("line_sha256", "text"),
    ),
    key=("source", "event_id"),
)
IN_CHILD_BYTES = 256 << 10  # below this a second process costs more than it saves
CHILD_CHUNK_ROWS = 1_000  # small: the child judges chunk k+1 while the loader stores chunk k
_REASON_BY_RULE = {
    "required": "missing_field",
    "enum": "unknown_value",
    "const": "unknown_value",
    "type": "wrong_type",
    "additionalProperties": "unknown_field",
}


@cache
def validator():
    """The contract compiled to Python (fifty times faster than interpreting it per line).
    Formats are not checked here: dates get their own parser, which reads a missing offset as local time."""
    return fastjsonschema.compile(schema(), use_formats=False)


# The usual shape of a moment: seconds, optional fraction of 3 or 6 digits, "Z" or a ±hh:mm offset.
_USUAL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3}|\.\d{6})?(?:Z|[+-]\d{2}:\d{2})")


def _usual_moment(text: str) -> datetime | None:
    """A moment of the usual shape, or None for the full parser to judge (and explain)."""
    if _USUAL.fullmatch(text) is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _not_json(constant: str) -> None:
    # json accepts NaN and Infinity; JSON and PostgreSQL's jsonb do not, and one such line would fail the file.
    raise ValueError(f"{constant} is not a JSON number")


def _lone_surrogate(text: str) -> bool:
    """An escape of half a UTF-16 pair: Python reads it, PostgreSQL's jsonb refuses it (and with it the file)."""
    if "\\u" not in text:
        return False
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return "surrogate" in str(exc)
    return False


class EventJudge:
    """Decides for one line: accepted values for raw.appeal_events, or a quarantine reason.

    The usual line takes the fast path — the contract compiled to msgspec, dates of the usual RFC 3339
    shape parsed by the standard library in C. Anything else takes the full path, which is the definition:
    the schema validator and the full date parser, with the reason for people.
    """

    def __init__(
        self,
        origin: str,
        *,
        now: datetime | None = None,
        future_tolerance_hours: float = 24,
        default_tz: str = "Europe/Moscow",
        render_copy: bool = False,
    ):
        self.origin = origin
        self.render_copy = render_copy  # also give accepted rows as COPY text (the judging process does)
        self._origin_copy = copy_field(origin).encode("utf-8")
        self.latest_allowed = (now or datetime.now(UTC)) + timedelta(hours=future_tolerance_hours)
        self.default_tz = default_tz
        self._decode = fast_decoder().decode

    def judge(self, line_no: int, raw: bytes, too_long: bool = False) -> Record:
        if not too_long and b"\\u0000" not in raw:
            try:
                event = self._decode(raw)
                text = raw.decode("utf-8")
            except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError):
                pass
            else:
                occurred = _usual_moment(event.occurred_at)
                due = event.due_at
                if occurred is not None and (due is msgspec.UNSET or _usual_moment(due) is not None):
                    if occurred <= self.latest_allowed:
                        sha = hashlib.sha256(raw).hexdigest()
                        values = (event.source, event.event_id, text, occurred, [], self.origin, line_no, sha)
                        line = self._copy_line(event, raw, line_no, sha) if self.render_copy else None
                        return Record(
                            line_no, text, values, None, None, f"{event.source}/{event.event_id}", None, None, line
                        )
        rec = self.judge_fully(line_no, raw, too_long)
        return rec._replace(copy_line=copy_line(rec.values)) if self.render_copy and rec.ok else rec

    def _copy_line(self, event, raw: bytes, line_no: int, sha: str) -> bytes:
        """The row as COPY text, from the line's own bytes (no second UTF-8 encoding of the payload)."""
        if b"\\" in raw or b"\t" in raw or b"\r" in raw:  # a JSON line has no raw line feed
            raw = raw.replace(b"\\", b"\\\\").replace(b"\t", b"\\t").replace(b"\r", b"\\r")
        return b"\t".join(
            (
                copy_field(event.source).encode(),
                copy_field(event.event_id).encode(),
                raw,
                event.occurred_at.encode(),
                b"{}",
                self._origin_copy,
                b"%d" % line_no,
                sha.encode(),
            )
        )

    def judge_fully(self, line_no: int, raw: bytes, too_long: bool = False) -> Record:
        sha = hashlib.sha256(raw).hexdigest()
        text = raw.decode("utf-8", errors="replace")

        def reject(code: str, reason: str, key: str | None = None) -> Record:
            return Record(line_no, text, reason_code=code, reason=reason, record_key=key, raw_bytes=raw)

        if too_long:
            return reject("line_too_long", f"line longer than the limit; only its first {len(raw)} bytes are kept")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return reject("not_utf8", f"not UTF-8 at byte {exc.start}: the file must be UTF-8 encoded")
        try:
            event = json.loads(text, parse_constant=_not_json)
        except json.JSONDecodeError as exc:
            return reject("invalid_json", f"not a JSON value: {exc.msg} at column {exc.colno}")
        except ValueError as exc:
            return reject("invalid_json", f"not a JSON value: {exc}")
        if not isinstance(event, dict):
            kind = "a JSON array" if isinstance(event, list) else f"a JSON {type(event).__name__}"
            return reject("not_an_object", f"{kind}, not an object: the file must hold one event object per line")
        key = f"{event.get('source')}/{event.get('event_id')}"
        if "\\u0000" in text:
            return reject("control_character", "a NUL character (\\u0000) in a string value", key)
        if _lone_surrogate(text):
            return reject("invalid_json", "a lone UTF-16 surrogate escape (\\ud800-\\udfff): not a character", key)
        try:
            validator()(event)
        except fastjsonschema.JsonSchemaValueException as error:
            code = _REASON_BY_RULE.get(error.rule, "schema_violation")
            message = error.message.removeprefix("data.").replace("data ", "event ", 1)
            return reject(code, message[:300], key)
        flags: list[str] = []
        try:
            occurred = parse_rfc3339(event["occurred_at"], self.default_tz)
            if event.get("due_at") is not None:
                due = parse_rfc3339(event["due_at"], self.default_tz)
                if not due.had_offset:
                    flags.append("due_at_without_offset")
        except DateError as exc:
            return reject("bad_date", str(exc), key)
        if not occurred.had_offset:
            flags.append("occurred_at_without_offset")
        if occurred.value > self.latest_allowed:
            return reject(
                "future_date",
                f"occurred_at {event['occurred_at']} is in the future "
                f"(beyond the tolerance, latest allowed {self.latest_allowed:%Y-%m-%d %H:%M}Z)",
                key,
            )
        values = (event["source"], event["event_id"], text, occurred.value, flags, self.origin, line_no, sha)
        return Record(line_no, text, values=values, record_key=key)

    def records(self, reader: LineReader) -> Iterator[Record]:
        for line_no, raw, too_long in reader:
            yield self.judge(line_no, raw, too_long)


def load_event_file(
    conn: psycopg.Connection, path: Path, *, force: bool = False, in_child: bool | None = None, **judge_options
) -> BatchReport:
    """Load one appeal-event/1 file as one batch; a file loaded before (same sha256) is skipped.

    Files of IN_CHILD_BYTES and more are judged by a second process while this one stores (in_child forces
    either way); the records, and so the batch, are the same.
    """
    origin = str(path)
    if in_child is None:
        in_child = path.stat().st_size >= IN_CHILD_BYTES
    if in_child:
        from sources.judge_worker import worker

        judging = worker()
        records = Chunked(judging.judged(path, CHILD_CHUNK_ROWS, **judge_options))
        blank_lines = lambda: judging.blank_lines  # noqa: E731
    else:
        reader = LineReader(path)
        records = EventJudge(origin, **judge_options).records(reader)
        blank_lines = lambda: reader.blank_lines  # noqa: E731
    return load_records(
        conn,
        APPEAL_EVENTS,
        records,
        loader=LOADER,
        origin=origin,
        origin_sha256=file_sha256(path),
        force=force,
        blank_lines=blank_lines,
    )
