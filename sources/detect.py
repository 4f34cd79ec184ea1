"""Which connector a file belongs to, told by its content: workbook or CSV headers, or appeal-event/1 lines.

A file whose content says nothing (empty, not a workbook, no known header) still goes to the connector
its folder (`landing/<channel>/`) or `--source` names, which records why it could not be read; a file
with no such hint is not recognised and not loaded.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg

from sources.events import load_event_file
from sources.headers import HeaderMap, header_map
from sources.loader import BatchReport
from sources.native import CONNECTORS, load_table_file
from sources.tabular import DELIMITERS, HEADER_SEARCH_ROWS, OLE_MAGIC, ZIP_MAGIC, is_blank

EVENTS = "events"
EVENT_SUFFIXES = (".jsonl", ".ndjson")
_HEAD = 64 * 1024


class Unrecognised(ValueError):
    """A file no connector can claim; the message says what it looked like."""


@dataclass(frozen=True)
class Detection:
    kind: str | None  # pos, incident, letter, events; None: not recognised
    format: str  # xlsx, csv, jsonl, xls, zip, empty, binary
    reason: str


def _hint(path: Path, source: str | None) -> str | None:
    """The connector named by --source (a default source code) or by the nearest channel folder."""
    for kind, connector in CONNECTORS.items():
        if source == connector.source:
            return kind
    for folder in path.resolve().parents:
        if folder.name in CONNECTORS:
            return folder.name
    return None


def _maps(source: str | None) -> dict[str, HeaderMap]:
    return {kind: header_map(c.mapping, source or c.source) for kind, c in CONNECTORS.items()}


def _best(rows: list[list], maps: dict[str, HeaderMap]) -> str | None:
    """The connector whose required headers one of `rows` holds, the one that maps most columns."""
    best, score = None, 0
    for kind, hmap in maps.items():
        for row in rows:
            if not hmap.missing_required(row) and len(hmap.columns(row)) > score:
                best, score = kind, len(hmap.columns(row))
    return best


def _workbook_kind(path: Path, maps: dict[str, HeaderMap]) -> tuple[bool, str | None]:
    """(is a workbook?, the connector whose header comes first); reads no further than the header."""
    import openpyxl

    try:
        with open(path, "rb") as fh:
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            try:
                for sheet in book.worksheets:
                    sheet.reset_dimensions()
                    taken = 0
                    for values in sheet.iter_rows(min_row=1, values_only=True):
                        if is_blank(values):
                            continue
                        kind = _best([list(values)], maps)
                        taken += 1
                        if kind or taken >= HEADER_SEARCH_ROWS:
                            break
                    if kind:
                        return True, kind
                return True, None
            finally:
                book.close()
    except Exception:  # not a workbook, or a damaged one: the connector will say so in detail
        return False, None


def _text_head(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(head)  # a cut character at the end is fine
    except UnicodeDecodeError:
        return head.decode("cp1251", errors="replace")


def _is_event_line(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lstrip().startswith("[") and '"event_id"' in text:
        return True  # a JSON array of events instead of lines: the event loader quarantines it with the reason
    if not first.lstrip().startswith("{"):
        return False
    try:
        obj = json.loads(first)
    except json.JSONDecodeError:
        return False
    return isinstance(obj, dict) and (str(obj.get("schema", "")).startswith("appeal-event") or "event_id" in obj)


def detect(path: Path, *, source: str | None = None) -> Detection:
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(_HEAD)
    hint = _hint(path, source)
    if not head.strip():
        kind = EVENTS if path.suffix.lower() in EVENT_SUFFIXES else hint  # an empty batch records it was seen
        return Detection(kind, "empty", "an empty file")
    if head.startswith(ZIP_MAGIC):
        workbook, kind = _workbook_kind(path, _maps(source))
        if not workbook:
            return Detection(hint, "zip", "a ZIP package that is not an XLSX workbook")
        return Detection(
            kind or hint,
            "xlsx",
            f"workbook headers of {kind}" if kind else "a workbook without the headers of ПОС or ИМ",
        )
    if head.startswith(OLE_MAGIC):
        return Detection(hint, "xls", "an old binary Excel file (.xls)")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if path.suffix.lower() in EVENT_SUFFIXES or _is_event_line(_text_head(head)):
            # A NUL byte in one event line: that line goes to quarantine, not the whole file unread.
            return Detection(EVENTS, "jsonl", "appeal-event/1 JSON Lines with NUL bytes")
        return Detection(hint, "binary", "binary content")
    text = head.decode("utf-16") if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else _text_head(head)
    if _is_event_line(text) or path.suffix.lower() in EVENT_SUFFIXES:
        return Detection(EVENTS, "jsonl", "appeal-event/1 JSON Lines")
    lines = text.splitlines(keepends=True)[: HEADER_SEARCH_ROWS * 2]
    rows = [row for d in DELIMITERS for row in csv.reader(io.StringIO("".join(lines)), delimiter=d)]
    kind = _best(rows, _maps(source))
    return Detection(
        kind or hint, "csv", f"CSV headers of {kind}" if kind else "text without the headers of ПОС, ИМ or СЭД"
    )


def ingest_file(
    conn: psycopg.Connection,
    path: Path,
    *,
    source: str | None = None,
    force: bool = False,
    exported_at: datetime | None = None,
    tz: str = "Europe/Moscow",
    future_tolerance_hours: float = 24,
) -> tuple[Detection, BatchReport]:
    """Recognise one file and load it with its connector; `Unrecognised` if no connector can claim it."""
    path = Path(path)
    found = detect(path, source=source)
    if found.kind == EVENTS:
        report = load_event_file(conn, path, force=force, future_tolerance_hours=future_tolerance_hours, default_tz=tz)
    elif found.kind in CONNECTORS:
        report = load_table_file(
            conn,
            path,
            CONNECTORS[found.kind],
            source=source,
            exported_at=exported_at,
            force=force,
            tz=tz,
            future_tolerance_hours=future_tolerance_hours,
        )
    else:
        raise Unrecognised(
            f"{path}: not recognised ({found.reason}); not loaded — put it under a channel "
            f"folder ({', '.join(CONNECTORS)}) or name its source with --source"
        )
    return found, report
