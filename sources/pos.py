"""ПОС (Платформа обратной связи, ЕПГУ): XLSX and CSV exports of the organisation's cabinet into raw.source_rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import psycopg

from sources.loader import BatchReport
from sources.native import CONNECTORS, load_table_file

CONNECTOR = CONNECTORS["pos"]


def load_pos_file(
    conn: psycopg.Connection,
    path: Path,
    *,
    source: str | None = None,
    exported_at: datetime | None = None,
    force: bool = False,
    tz: str = "Europe/Moscow",
) -> BatchReport:
    """One ПОС export (a snapshot of messages with their state then) as one batch, loader "pos_export"."""
    return load_table_file(conn, path, CONNECTOR, source=source, exported_at=exported_at, force=force, tz=tz)
