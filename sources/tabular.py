"""Streaming readers of tabular exports (XLSX, CSV): find the header row, then yield data rows one by one.

Memory does not grow with the file: XLSX is read with openpyxl's read-only parser, CSV line by line (csvfile.py).
What cannot be read at all raises `FileProblem` (the whole file goes to quarantine); what is wrong with
one row travels with that row (`Row.problem`) so the connector quarantines just the row.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from sources.headers import HeaderMap

HEADER_SEARCH_ROWS = 20  # title rows above the header ("Выгрузка за период …") are common
DELIMITERS = (";", ",", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the pre-2007 binary .xls
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class FileProblem(Exception):
    """The file as a whole cannot be read; `code` is the quarantine reason code."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


@dataclass
class Row:
    number: int  # sheet row or the file line the record starts on, 1-based
    values: list
    problem: tuple[str, str] | None = None  # (reason code, reason) for a row that cannot be trusted


@dataclass
class Table:
    sheet: str | None
    header_row: int
    headers: list[str]  # unique: a blank header is «column_N», a repeated one «name (2)»
    columns: dict[int, str]  # column index → field
    rows: Iterator[Row]


@dataclass
class Opened:
    """An opened export: its tables (lazily), what the file says about itself, and what was skipped."""

    format: str  # xlsx or csv
    tables: Iterator[Table]
    modified: datetime | None = None  # XLSX core properties: when the file was last saved
    encoding: str | None = None
    delimiter: str | None = None
    blank_rows: int = 0
    _closers: list = field(default_factory=list)

    def close(self) -> None:
        for close in self._closers:
            close()


def is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def unique_headers(values) -> list[str]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        name = str(value).strip() if value is not None and str(value).strip() else f"column_{index + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _find_header(rows: Iterator[tuple[int, list]], hmap: HeaderMap) -> tuple[int, list] | list:
    """(row number, header values) or, when there is none, the non-blank rows seen before giving up."""
    seen: list[tuple[int, list]] = []
    for number, values in rows:
        if is_blank(values):
            continue
        if not hmap.missing_required(values):
            return number, list(values)
        seen.append((number, list(values)))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    return seen


def _no_header(hmap: HeaderMap, where: str, seen: list[tuple[int, list]]) -> FileProblem:
    wanted = " and ".join("«" + " / ".join(hmap.headers_for(f)) + "»" for f in ("appeal_id", "created_at"))
    first = seen[0] if seen else None
    shown = ", ".join(str(v) for v in first[1] if v not in (None, ""))[:200] if first else ""
    return FileProblem(
        "no_header",
        f"no header row with {wanted} among the first {HEADER_SEARCH_ROWS} rows"
        f" of {where}" + (f"; row {first[0]} reads: {shown}" if first else ""),
    )


# --- XLSX -------------------------------------------------------------------------------------------------


def open_xlsx(path: Path, hmap: HeaderMap) -> Opened:
    import openpyxl

    head = _head(path)
    if not head:
        raise FileProblem("empty_file", "the file is empty (0 bytes)")
    if head.startswith(OLE_MAGIC):
        raise FileProblem("not_xlsx", "an old binary Excel file (.xls): save it as .xlsx")
    if not head.startswith(ZIP_MAGIC):
        raise FileProblem("not_xlsx", "not an XLSX workbook: the file is not a ZIP package")
    fh = open(path, "rb")
    try:  # a file object, not a name: openpyxl would judge by the extension
        book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a ZIP that is not a workbook
        fh.close()
        raise FileProblem(
            "not_xlsx", f"a ZIP package but not an XLSX workbook: {type(exc).__name__}: {str(exc)[:200]}"
        ) from None
    opened = Opened("xlsx", iter(()), _closers=[book.close, fh.close])
    modified = book.properties.modified
    opened.modified = modified.replace(tzinfo=UTC) if modified and not modified.tzinfo else modified
    try:
        tables = _xlsx_tables(book, hmap, opened)
        first = next(tables)  # a workbook without any table fails now, before the load begins
    except StopIteration:
        problem = _xlsx_problem(book, hmap)
        opened.close()
        raise problem from None
    except FileProblem:
        opened.close()
        raise
    opened.tables = chain([first], tables)
    return opened


def _sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    sheet.reset_dimensions()  # some writers store a wrong size; read what is there
    number = 0
    try:
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, list(values)
    except Exception as exc:  # a damaged sheet part: XML, shared strings, styles
        raise FileProblem(
            "read_error",
            f"sheet «{sheet.title}» cannot be read after row {number}: {type(exc).__name__}: {str(exc)[:200]}",
        ) from None


def _xlsx_tables(book, hmap: HeaderMap, opened: Opened) -> Iterator[Table]:
    for sheet in book.worksheets:
        rows = _sheet_rows(sheet)
        found = _find_header(rows, hmap)
        if isinstance(found, list):
            continue  # a sheet of parameters or notes beside the data
        number, header = found
        yield Table(sheet.title, number, unique_headers(header), hmap.columns(header), _xlsx_data(rows, opened))


def _xlsx_data(rows: Iterator[tuple[int, list]], opened: Opened) -> Iterator[Row]:
    for number, values in rows:
        if is_blank(values):
            opened.blank_rows += 1
            continue
        yield Row(number, values)


def _xlsx_problem(book, hmap: HeaderMap) -> FileProblem:
    seen: list[tuple[int, list]] = []
    where = "any sheet"
    for sheet in book.worksheets:
        found = _find_header(_sheet_rows(sheet), hmap)
        if isinstance(found, list) and found and not seen:
            seen, where = found, f"sheet «{sheet.title}»"
    if not seen:
        return FileProblem("empty_file", "the workbook has no filled cells")
    return _no_header(hmap, where, seen)


def _head(path: Path, size: int = 8192) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)
