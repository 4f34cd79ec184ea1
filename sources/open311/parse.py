"""GeoReport v2 request objects, as real feeds send them, into Records for raw.source_rows. Pure.

What real feeds contain and what happens to it here:
- a key twice in one object: the first value that parses is kept, flag `duplicate_key:<key>`;
- "null" strings: no value; "true"/"false" (or JSON booleans) where text, a number or a date belongs:
  no value, flag `bad_<field>`; malformed optional dates: no value, flag `bad_<field>`;
- statuses other than open/closed are kept as sent, flag `unknown_status` (dbt maps them);
- no usable service_request_id or requested_datetime: quarantine with the reason; the others load.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sources.dates import DateError
from sources.loader import Record
from sources.open311.jsontext import BodyError, Pairs, dumps
from sources.snapshot import FIELDS, FieldError, SnapshotJudge, typed

# GeoReport v2 name → the snapshot contract's field name.
FIELD_MAP = {
    "service_request_id": "appeal_id",
    "requested_datetime": "created_at",
    "updated_datetime": "updated_at",
    "expected_datetime": "due_at",
    "status": "status",
    "status_notes": "status_notes",
    "service_name": "category_name",
    "service_code": "category_code",
    "description": "text",
    "agency_responsible": "agency_name",
    "address": "address",
    "lat": "lat",
    "long": "lon",
    "media_url": "media_url",
}
KNOWN_STATUSES = ("open", "closed")
_BOOLEAN_WORDS = ("true", "false")
_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


def request_list(document: Any) -> list[Any]:
    """The request objects of a requests.json body: a JSON array, or an object wrapping one."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in ("service_requests", "requests", "request"):
            if isinstance(document.get(key), list):
                return document[key]
        if "code" in document and "description" in document:
            raise BodyError(f"the server answered with an error: {document['code']} {document['description']}")
    raise BodyError(f"not a GeoReport v2 request list: a JSON {_JSON_KINDS.get(type(document), 'object')}")


def _usable(kind: str, value: Any, tz: str) -> Any:
    """The typed value, None for "null"-likes; raises FieldError for what cannot be this kind."""
    if isinstance(value, bool) or (isinstance(value, str) and value.strip().lower() in _BOOLEAN_WORDS):
        if kind != "boolean":
            raise FieldError(f"a yes/no value where {kind} belongs: {value!r}")
    if isinstance(value, (dict, list)):
        raise FieldError(f"a JSON {'object' if isinstance(value, dict) else 'array'} where {kind} belongs")
    try:
        return typed(kind, value, tz)
    except DateError as exc:
        raise FieldError(str(exc)) from None


def first_usable(obj: Pairs, key: str, kind: str, tz: str) -> tuple[Any, str | None]:
    """(typed value, None) of the first value of `key` that parses; (None, why) when none does."""
    problem = None
    for value in obj.values_of(key):
        if key == "media_url":
            value = _media_url(value)
        try:
            result = _usable(kind, value, tz)
        except FieldError as exc:
            problem = problem or str(exc)
            continue
        if result is not None:
            return result, None
    return None, problem


def request_record(obj: Any, *, judge: SnapshotJudge, line_no: int, page: str | None = None) -> Record:
    """One request object → an accepted Record (values for raw.source_rows) or a quarantine Record."""
    source = judge.source
    if not isinstance(obj, Pairs):
        return Record(
            line_no,
            dumps(obj),
            reason_code="not_an_object",
            sheet=page,
            reason=f"a JSON {_JSON_KINDS.get(type(obj), 'value')}, not a request object",
        )
    raw_text = dumps(obj)
    appeal_id, id_problem = first_usable(obj, "service_request_id", "text", judge.tz)

    def reject(code: str, reason: str) -> Record:
        return Record(
            line_no,
            raw_text,
            reason_code=code,
            reason=reason,
            sheet=page,
            record_key=f"{source}/{appeal_id}" if appeal_id else None,
        )

    if appeal_id is None:
        return reject(
            "missing_field",
            f"service_request_id is {_absent(obj, 'service_request_id', id_problem)}:"
            " a request without an id cannot be followed",
        )
    created, created_problem = first_usable(obj, "requested_datetime", "datetime", judge.tz)
    if created is None:
        code = "bad_date" if created_problem else "missing_field"
        return reject(code, f"requested_datetime is {_absent(obj, 'requested_datetime', created_problem)}")

    flags = [f"duplicate_key:{key}" for key in obj.repeated_keys]
    fields: dict[str, Any] = {}
    payload = {key: obj[key] for key in obj}  # the first value of each key, replaced below by the kept one
    for key, field in FIELD_MAP.items():
        if key not in obj:
            continue
        value, problem = first_usable(obj, key, FIELDS[field], judge.tz)
        if problem and value is None:
            flags.append(f"bad_{field}")
        fields[field] = value
        if len(obj.values_of(key)) > 1 and value is not None:
            payload[key] = next(
                v
                for v in obj.values_of(key)
                if _safe(FIELDS[field], _media_url(v) if key == "media_url" else v, judge.tz) == value
            )

    status = (fields.get("status") or "").strip().lower()
    if status and status not in KNOWN_STATUSES:
        flags.append("unknown_status")
    updated = fields.get("updated_at")
    if status == "closed" and updated:
        # GeoReport servers set updated_datetime when they close a request (Austin's documentation says so).
        fields["closed_at"] = updated
    if updated:
        exported_at = datetime.fromisoformat(updated)
    else:
        exported_at = datetime.fromisoformat(created)
        flags.append("exported_at_from_requested_datetime")
    # Values are typed already; the judge types them again (idempotent) and checks the contract.
    return judge.judge(
        fields=fields, payload=payload, exported_at=exported_at, line_no=line_no, sheet=page, flags=flags
    )


def _media_url(value: Any) -> Any:
    """Some feeds (Boston's) send media_url as a list of {"url": ...}: the first URL is the value."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict) and isinstance(value.get("url"), str):
        return value["url"]
    return value


def _safe(kind: str, value: Any, tz: str) -> Any:
    try:
        return _usable(kind, value, tz)
    except FieldError:
        return None


def _absent(obj: Pairs, key: str, problem: str | None) -> str:
    if problem:
        return f"unusable ({problem})"
    return "null or empty" if key in obj else "missing"
