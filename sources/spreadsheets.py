"""One entry to the tabular exports: an XLSX workbook or a CSV file, told apart by content, not by name."""

from __future__ import annotations

from pathlib import Path

from sources.csvfile import open_csv
from sources.headers import HeaderMap
from sources.tabular import OLE_MAGIC, ZIP_MAGIC, Opened, open_xlsx

_XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def open_tabular(path: Path, hmap: HeaderMap) -> Opened:
    """An XLSX or CSV export, told apart by its first bytes (or, for a broken workbook, by its name)."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith((ZIP_MAGIC, OLE_MAGIC)) or path.suffix.lower() in _XLSX_SUFFIXES:
        return open_xlsx(path, hmap)
    return open_csv(path, hmap)
