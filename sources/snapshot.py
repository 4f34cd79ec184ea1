"""The contract between snapshot connectors and dbt: one raw table, one vocabulary of record fields.

A connector maps its columns to these field names and hands raw cell values to `SnapshotJudge`, which
types them (dates with zone, numbers, yes/no) or says why the row cannot be taken. Meaning (which
status is "answered", which result is «Разъяснено») is decided in dbt by seeds, not here.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sources.dates import DateError, from_excel_serial, localize, parse_rfc3339, parse_ru_datetime
from sources.loader import RawTable, Record

SOURCE_ROWS = RawTable(
    name="raw.source_rows",
    columns=(
        ("source", "text"),
        ("channel", "text"),
        ("appeal_id", "text"),
        ("exported_at", "timestamptz"),
        ("record", "jsonb"),
        ("payload", "jsonb"),
        ("flags", "text[]"),
        ("origin", "text"),
        ("sheet", "text"),
        ("line_no", "integer"),
        ("line_sha256", "text"),
    ),
    key=("source", "appeal_id", "exported_at"),
    content="record",
)

# Field name → kind. Personal data (author_*, text, address, answer_text) stays in raw.
FIELDS: dict[str, str] = {
    "appeal_id": "text",
    "created_at": "datetime",
    "registered_at": "datetime",
    "updated_at": "datetime",
    "legal_regime": "text",
    "kind": "text",
    "form": "text",
    "category_code": "text",
    "category_name": "text",
    "subcategory_name": "text",
    "theme": "text",
    "totk_code": "text",
    "text": "text",
    "address": "text",
    "lat": "number",
    "lon": "number",
    "oktmo": "text",
    "municipality_name": "text",
    "settlement_name": "text",
    "agency_name": "text",
    "redirected_to": "text",
    "status": "text",
    "status_notes": "text",
    "due_at": "datetime",
    "extended_due_at": "datetime",
    "interim_answer_at": "datetime",
    "first_response_at": "datetime",
    "answered_at": "datetime",
    "closed_at": "datetime",
    "answer_text": "text",
    "result": "text",
    "outcome": "text",
    "rating": "integer",
    "return_count": "integer",
    "fast_track": "boolean",
    "repeated": "boolean",
    "collective": "boolean",
    "incident_type": "text",
    "social_network": "text",
    "url": "text",
    "media_url": "text",
    "author_name": "text",
    "author_phone": "text",
    "author_email": "text",
    "author_id": "text",
}
REQUIRED = ("appeal_id", "created_at")
# Moments of what already happened to an appeal; deadlines (due_at, extended_due_at) lie ahead by nature.
PAST_MOMENTS = (
    "created_at",
    "registered_at",
    "updated_at",
    "interim_answer_at",
    "first_response_at",
    "answered_at",
    "closed_at",
)
# A reaction to an appeal cannot come before it was received.
REACTIONS = ("interim_answer_at", "first_response_at", "answered_at", "closed_at")
_YES = {"да", "yes", "true", "1", "y", "д", "+"}
_NO = {"нет", "no", "false", "0", "n", "н", "-", ""}
_NULLS = {"", "null", "none", "nil", "n/a", "-", "—"}


class FieldError(ValueError):
    """A value that does not fit its field; the message is for people."""


def typed(kind: str, value: Any, tz: str) -> Any:
    """A cell value as the field's kind; None for empty cells and "null"-like strings."""
    if value is None or (isinstance(value, str) and value.strip().lower() in _NULLS):
        return None
    if kind == "text":
        return str(value).strip() if not isinstance(value, float) or not value.is_integer() else str(int(value))
    if kind == "datetime":
        return _datetime(value, tz).isoformat()
    if kind in ("number", "integer"):
        return _number(kind, value)
    if kind == "boolean":
        text = str(value).strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise FieldError(f"not yes/no: {str(value)[:40]!r}")
    raise ValueError(f"unknown field kind {kind}")


def _datetime(value: Any, tz: str) -> datetime:
    if isinstance(value, (datetime, date)):
        return localize(value, tz)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_excel_serial(float(value), tz)
    text = str(value).strip()
    try:
        if text[:4].isdigit() and "-" in text[:5]:
            return parse_rfc3339(text if "T" in text or " " in text else text + "T00:00:00", tz).value
        return parse_ru_datetime(text, tz)
    except DateError as exc:
        raise FieldError(str(exc)) from None


def _number(kind: str, value: Any) -> int | float:
    try:
        number = (
            float(str(value).replace(",", ".").replace("\u00a0", "").strip())
            if isinstance(value, str)
            else float(value)
        )
    except ValueError:
        raise FieldError(f"not a number: {str(value)[:40]!r}") from None
    if kind == "integer":
        if not number.is_integer():
            raise FieldError(f"not a whole number: {value!r}")
        return int(number)
    return number


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


class SnapshotJudge:
    """Turns one mapped row into a Record for raw.source_rows, or a quarantine reason."""

    def __init__(
        self,
        *,
        source: str,
        channel: str,
        origin: str,
        tz: str = "Europe/Moscow",
        bad_optional: str = "quarantine",
        now: datetime | None = None,
        future_tolerance_hours: float = 24,
    ):
        self.source, self.channel, self.origin, self.tz = source, channel, origin, tz
        self.bad_optional = bad_optional  # "quarantine" (files) or "flag" (feeds that are known to be messy)
        self.latest_allowed = (now or datetime.now(UTC)) + timedelta(hours=future_tolerance_hours)

    def judge(
        self,
        *,
        fields: dict[str, Any],
        payload: dict[str, Any],
        exported_at: datetime,
        line_no: int | None,
        sheet: str | None = None,
        flags: list[str] | None = None,
    ) -> Record:
        raw_text = json.dumps(payload, ensure_ascii=False, default=str)
        sha = hashlib.sha256(raw_text.encode("utf-8")).hexdigest()
        flags = list(flags or [])
        record: dict[str, Any] = {}
        key = fields.get("appeal_id")

        def reject(code: str, reason: str) -> Record:
            return Record(
                line_no,
                raw_text,
                reason_code=code,
                reason=reason,
                sheet=sheet,
                record_key=f"{self.source}/{key}" if key else None,
            )

        if _has_nul(payload):  # PostgreSQL's jsonb cannot hold NUL; the row as read stays in quarantine
            return reject("control_character", "a NUL character (\\u0000) in a value")
        for name, value in fields.items():
            kind = FIELDS.get(name)
            if kind is None:
                continue
            try:
                record[name] = typed(kind, value, self.tz)
            except (FieldError, DateError) as exc:
                if name in REQUIRED or self.bad_optional == "quarantine":
                    code = "bad_date" if kind == "datetime" else "bad_value"
                    return reject(code, f"{name}: {exc}")
                record[name] = None
                flags.append(f"bad_{name}")
        missing = [name for name in REQUIRED if record.get(name) in (None, "")]
        if missing:
            return reject("missing_field", f"required {', '.join(missing)} is empty or missing")
        for name, code, reason in self._impossible(record):
            if name in REQUIRED or self.bad_optional == "quarantine":
                return reject(code, reason)
            record[name] = None
            flags.append(f"{code}:{name}")
        record = {k: v for k, v in record.items() if v is not None}
        values = (
            self.source,
            self.channel,
            record["appeal_id"],
            exported_at,
            json.dumps(record, ensure_ascii=False),
            raw_text,
            sorted(set(flags)),
            self.origin,
            sheet,
            line_no,
            sha,
        )
        return Record(line_no, raw_text, values=values, sheet=sheet, record_key=f"{self.source}/{record['appeal_id']}")

    def _impossible(self, record: dict[str, Any]) -> list[tuple[str, str, str]]:
        """(field, reason code, reason) for moments that cannot be true: in the future, or a reaction before receipt."""
        found = []
        for name in PAST_MOMENTS:
            if record.get(name) and datetime.fromisoformat(record[name]) > self.latest_allowed:
                found.append(
                    (
                        name,
                        "future_date",
                        f"{name} {record[name]} is in the future (beyond the tolerance,"
                        f" latest allowed {self.latest_allowed:%Y-%m-%d %H:%M}Z)",
                    )
                )
        # Calendar days, not moments: a date without time (00:00) on the day of receipt is no contradiction.
        received = self._local_day(record["created_at"])
        for name in REACTIONS:
            if record.get(name) and self._local_day(record[name]) < received:
                found.append(
                    (
                        name,
                        "answer_before_receipt",
                        f"{name} {record[name]} is before the day of receipt (created_at {record['created_at']})",
                    )
                )
        return found

    def _local_day(self, value: str) -> date:
        return datetime.fromisoformat(value).astimezone(ZoneInfo(self.tz)).date()
