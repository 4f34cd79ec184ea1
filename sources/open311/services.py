"""services.json into raw.open311_services: each service as read; an unchanged list loads nothing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import psycopg

from sources.loader import BatchReport, RawTable, Record, load_records
from sources.open311.jsontext import Pairs, dumps
from sources.open311.parse import first_usable

LOADER = "open311_services"
SERVICES = RawTable(
    name="raw.open311_services",
    columns=(
        ("source", "text"),
        ("service_code", "text"),
        ("payload", "jsonb"),
        ("origin", "text"),
        ("line_no", "integer"),
        ("line_sha256", "text"),
    ),
    key=("source", "service_code", "line_sha256"),
)


def service_records(items: Any, *, source: str, origin: str) -> list[Record]:
    """One Record per service object; a service without a code goes to quarantine."""
    if not isinstance(items, list):
        items = [items]
    records = []
    for line_no, obj in enumerate(items, start=1):
        text = dumps(obj)
        if not isinstance(obj, Pairs):
            records.append(Record(line_no, text, reason_code="not_an_object", reason="not a service object"))
            continue
        code, problem = first_usable(obj, "service_code", "text", "UTC")
        if code is None:
            why = f"unusable ({problem})" if problem else "missing or empty"
            records.append(Record(line_no, text, reason_code="missing_field", reason=f"service_code is {why}"))
            continue
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        payload = json.dumps({key: obj[key] for key in obj}, ensure_ascii=False)
        records.append(
            Record(line_no, text, values=(source, code, payload, origin, line_no, sha), record_key=f"{source}/{code}")
        )
    return records


def store_services(conn: psycopg.Connection, items: Any, *, source: str, origin: str) -> BatchReport:
    """Load the service list as one batch; the same list as before (by content) is skipped whole."""
    sha = hashlib.sha256((source + "\n" + dumps(items)).encode("utf-8")).hexdigest()
    return load_records(
        conn,
        SERVICES,
        service_records(items, source=source, origin=origin),
        loader=LOADER,
        origin=origin,
        origin_sha256=sha,
        source=source,
    )
