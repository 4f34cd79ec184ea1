"""СЭД registration cards of letters (59-ФЗ): CSV exports, Windows-1251 or UTF-8, into raw.source_rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import psycopg

from sources.loader import BatchReport
from sources.native import CONNECTORS, load_table_file

CONNECTOR = CONNECTORS["letter"]


def load_letters_file(
    conn: psycopg.Connection,
    path: Path,
    *,
    source: str | None = None,
    exported_at: datetime | None = None,
    force: bool = False,
    tz: str = "Europe/Moscow",
) -> BatchReport:
    """One СЭД card export (each card's state at the export) as one batch, loader "sed_letters"."""
    return load_table_file(conn, path, CONNECTOR, source=source, exported_at=exported_at, force=force, tz=tz)
