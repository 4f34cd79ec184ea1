"""Инцидент Менеджмент (Медиалогия): XLSX exports of incidents from social networks into raw.source_rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import psycopg

from sources.loader import BatchReport
from sources.native import CONNECTORS, load_table_file

CONNECTOR = CONNECTORS["incident"]


def load_incident_file(
    conn: psycopg.Connection,
    path: Path,
    *,
    source: str | None = None,
    exported_at: datetime | None = None,
    force: bool = False,
    tz: str = "Europe/Moscow",
) -> BatchReport:
    """One ИМ export (a snapshot of incidents) as one batch, loader "incident_export"."""
    return load_table_file(conn, path, CONNECTOR, source=source, exported_at=exported_at, force=force, tz=tz)
