"""Streaming reader of CSV exports: the encoding sniffed, the header row found, data rows yielded one by one.

Lines are decoded one at a time, so a file mostly in one encoding with a line in another quarantines just
that line; a record with a value over the csv module's limit is quarantined alone (`line_too_long`).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from sources.headers import HeaderMap
from sources.tabular import (
    _UTF16_BOMS,
    DELIMITERS,
    HEADER_SEARCH_ROWS,
    FileProblem,
    Opened,
    Row,
    Table,
    _find_header,
    _head,
    _no_header,
    is_blank,
    unique_headers,
)


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
            raw = raw[len(codecs.BOM_UTF8) :]
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
    table = Table(
        None,
        header_line,
        unique_headers(header),
        hmap.columns(header),
        _csv_data(reader, len(header), opened, bad_lines, encoding),
    )
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
                yield Row(
                    start,
                    [],
                    (
                        "line_too_long",
                        f"a value longer than {csv.field_size_limit()} characters"
                        f" in the record at line {start}: not kept",
                    ),
                )
                continue
            if is_blank(values):
                opened.blank_rows += 1
                continue
            problem = None
            broken = [bad_lines[n] for n in range(start, last + 1) if n in bad_lines]
            if broken:
                problem = ("bad_encoding", f"{broken[0]}; the file reads as {encoding}")
            elif len(values) < width or not is_blank(values[width:]):
                problem = (
                    "wrong_field_count",
                    f"{len(values)} fields where the header has {width}: "
                    "a separator inside an unquoted value, or a broken line",
                )
            yield Row(start, values, problem)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FileProblem("read_error", f"cannot read the CSV after line {last}: {exc}") from None
