"""Streaming readers of tabular exports (XLSX, CSV): find the header row, then yield data rows one by one.

Memory does not grow with the file: XLSX is read with openpyxl's read-only parser, CSV line by line.
What cannot be read at all raises `FileProblem` (the whole file goes to quarantine); what is wrong with
one row travels with that row (`Row.problem`) so the connector quarantines just the row.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
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
    return FileProblem("no_header", f"no header row with {wanted} among the first {HEADER_SEARCH_ROWS} rows"
                                    f" of {where}" + (f"; row {first[0]} reads: {shown}" if first else ""))


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
        raise FileProblem("not_xlsx", f"a ZIP package but not an XLSX workbook: {type(exc).__name__}: "
                                      f"{str(exc)[:200]}") from None
    opened = Opened("xlsx", iter(()), _closers=[book.close, fh.close])
    modified = book.properties.modified
    opened.modified = modified.replace(tzinfo=timezone.utc) if modified and not modified.tzinfo else modified
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
        raise FileProblem("read_error", f"sheet «{sheet.title}» cannot be read after row {number}: "
                                        f"{type(exc).__name__}: {str(exc)[:200]}") from None


def _xlsx_tables(book, hmap: HeaderMap, opened: Opened) -> Iterator[Table]:
    for sheet in book.worksheets:
        rows = _sheet_rows(sheet)
        found = _find_header(rows, hmap)
        if isinstance(found, list):
            continue  # a sheet of parameters or notes beside the data
        number, header = found
        yield Table(sheet.title, number, unique_headers(header), hmap.columns(header),
                    _xlsx_data(rows, opened))


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


# --- CSV --------------------------------------------------------------------------------------------------

def sniff_encoding(path: Path) -> str:
    """BOM first; else UTF-8 if more lines read as UTF-8 than fail, else Windows-1251."""
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head[:2] in _UTF16_BOMS:
            return "utf-16"
        fh.seek(0)
        good = bad = 0
        for raw in fh:
            if raw.isascii():
                continue
            try:
                raw.decode("utf-8")
                good += 1
            except UnicodeDecodeError:
                bad += 1
    return "cp1251" if bad > good else "utf-8"


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _decoded(fh, encoding: str, bad_lines: dict[int, str]) -> Iterator[str]:
    if encoding == "utf-16":
        yield from io.TextIOWrapper(fh, encoding="utf-16", newline="")
        return
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    for number, raw in enumerate(fh, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as exc:
            bad_lines[number] = f"line {number} is not valid {codec} at byte {exc.start}"
            text = raw.decode(codec, errors="replace")
        if codec == "cp1251" and not raw.isascii() and _is_utf8(raw):
            # Windows-1251 decodes any bytes; Cyrillic in Windows-1251 is almost never valid UTF-8.
            bad_lines[number] = f"line {number} is UTF-8 in a file that is otherwise Windows-1251"
        yield text


def open_csv(path: Path, hmap: HeaderMap) -> Opened:
    head = _head(path)
    if not head.strip():
        raise FileProblem("empty_file", "the file is empty" if not head else "the file holds only blank lines")
    if b"\x00" in head and not head.startswith(_UTF16_BOMS):
        raise FileProblem("not_csv", "binary content (NUL bytes): not a CSV text file")
    encoding = sniff_encoding(path)
    fh = open(path, "rb")
    bad_lines: dict[int, str] = {}
    lines = _decoded(fh, encoding, bad_lines)
    try:
        buffer = [line for _, line in zip(range(HEADER_SEARCH_ROWS * 2), lines)]
    except UnicodeDecodeError as exc:
        fh.close()
        raise FileProblem("bad_encoding", f"cannot decode the file as {encoding}: {exc.reason}") from None
    best: tuple[str, int, list] | None = None
    seen: list[tuple[int, list]] = []
    for delimiter in DELIMITERS:
        reader = csv.reader(iter(buffer), delimiter=delimiter)
        try:
            found = _find_header(((line, row) for _, line, row in _records(reader) if row is not None), hmap)
        except csv.Error:
            continue  # not this delimiter's dialect
        if isinstance(found, list):
            seen = seen or found
        elif best is None or len(hmap.columns(found[1])) > len(hmap.columns(best[2])):
            best = (delimiter, found[0], found[1])
    if best is None:
        fh.close()
        raise _no_header(hmap, "the file", seen) if seen else FileProblem("empty_file", "no filled lines")
    delimiter, header_line, header = best
    opened = Opened("csv", iter(()), encoding=encoding, delimiter=delimiter, _closers=[fh.close])
    reader = csv.reader(chain(buffer, lines), delimiter=delimiter)
    for _, line, _ in _records(reader):  # skip the title lines and the header itself
        if line >= header_line:
            break
    table = Table(None, header_line, unique_headers(header), hmap.columns(header),
                  _csv_data(reader, len(header), opened, bad_lines, encoding))
    opened.tables = iter([table])
    return opened


def _records(reader) -> Iterator[tuple[int, int, list | None]]:
    """(first line, last line, values) of each CSV record; values None for a record with a value over the
    csv module's limit: the reader drops the rest of that record and goes on, so only that row is lost."""
    last = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" not in str(exc):
                raise
            values = None
        yield last + 1, reader.line_num, values
        last = reader.line_num


def _csv_data(reader, width: int, opened: Opened, bad_lines: dict[int, str], encoding: str) -> Iterator[Row]:
    last = reader.line_num
    try:
        for start, last, values in _records(reader):
            if values is None:
                yield Row(start, [], ("line_too_long", f"a value longer than {csv.field_size_limit()} characters"
                                                       f" in the record at line {start}: not kept"))
                continue
            if is_blank(values):
                opened.blank_rows += 1
                continue
            problem = None
            broken = [bad_lines[n] for n in range(start, last + 1) if n in bad_lines]
            if broken:
                problem = ("bad_encoding", f"{broken[0]}; the file reads as {encoding}")
            elif len(values) < width or not is_blank(values[width:]):
                problem = ("wrong_field_count", f"{len(values)} fields where the header has {width}: "
                                                 "a separator inside an unquoted value, or a broken line")
            yield Row(start, values, problem)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FileProblem("read_error", f"cannot read the CSV after line {last}: {exc}") from None


def _head(path: Path, size: int = 8192) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)


def open_tabular(path: Path, hmap: HeaderMap) -> Opened:
    """An XLSX or CSV export, told apart by content, not by name."""
    head = _head(path)
    if head.startswith((ZIP_MAGIC, OLE_MAGIC)) or path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return open_xlsx(path, hmap)
    return open_csv(path, hmap)
