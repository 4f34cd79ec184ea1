"""appeal-event/1 JSON Lines: judge each line against the contract, stream a file into raw.appeal_events."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from functools import cache
from importlib import resources
from pathlib import Path

import psycopg
import fastjsonschema

from sources.dates import DateError, parse_rfc3339
from sources.files import LineReader, file_sha256
from sources.loader import BatchReport, RawTable, Record, load_records

LOADER = "appeal_events"
APPEAL_EVENTS = RawTable(
    name="raw.appeal_events",
    columns=(("source", "text"), ("event_id", "text"), ("payload", "jsonb"), ("occurred_at", "timestamptz"),
             ("flags", "text[]"), ("origin", "text"), ("line_no", "integer"), ("line_sha256", "text")),
    key=("source", "event_id"),
)
_REASON_BY_RULE = {"required": "missing_field", "enum": "unknown_value", "const": "unknown_value",
                   "type": "wrong_type", "additionalProperties": "unknown_field"}


@cache
def validator():
    """The contract compiled to Python (fifty times faster than interpreting it per line).
    Formats are not checked here: dates get their own parser, which reads a missing offset as local time."""
    text = (resources.files("sources") / "contracts" / "appeal-event.schema.json").read_text(encoding="utf-8")
    return fastjsonschema.compile(json.loads(text), use_formats=False)


class EventJudge:
    """Decides for one line: accepted values for raw.appeal_events, or a quarantine reason."""

    def __init__(self, origin: str, *, now: datetime | None = None, future_tolerance_hours: float = 24,
                 default_tz: str = "Europe/Moscow"):
        self.origin = origin
        self.latest_allowed = (now or datetime.now(timezone.utc)) + timedelta(hours=future_tolerance_hours)
        self.default_tz = default_tz

    def judge(self, line_no: int, raw: bytes, too_long: bool = False) -> Record:
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
            event = json.loads(text)
        except json.JSONDecodeError as exc:
            return reject("invalid_json", f"not a JSON value: {exc.msg} at column {exc.colno}")
        if not isinstance(event, dict):
            kind = "a JSON array" if isinstance(event, list) else f"a JSON {type(event).__name__}"
            return reject("not_an_object", f"{kind}, not an object: the file must hold one event object per line")
        key = f"{event.get('source')}/{event.get('event_id')}"
        if "\\u0000" in text:
            return reject("control_character", "a NUL character (\\u0000) in a string value", key)
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
            return reject("future_date", f"occurred_at {event['occurred_at']} is in the future "
                                         f"(beyond the tolerance, latest allowed {self.latest_allowed:%Y-%m-%d %H:%M}Z)", key)
        values = (event["source"], event["event_id"], text, occurred.value, flags, self.origin, line_no, sha)
        return Record(line_no, text, values=values, record_key=key)

    def records(self, reader: LineReader) -> Iterator[Record]:
        for line_no, raw, too_long in reader:
            yield self.judge(line_no, raw, too_long)


def load_event_file(conn: psycopg.Connection, path: Path, *, force: bool = False, **judge_options) -> BatchReport:
    """Load one appeal-event/1 file as one batch; a file loaded before (same sha256) is skipped."""
    origin = str(path)
    reader = LineReader(path)
    return load_records(
        conn, APPEAL_EVENTS, EventJudge(origin, **judge_options).records(reader),
        loader=LOADER, origin=origin, origin_sha256=file_sha256(path), force=force,
        blank_lines=lambda: reader.blank_lines,
    )
