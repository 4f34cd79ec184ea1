"""What the bad-input corpus (tests/faults/corpus.py) is made of: the Case record of one bad file and its
expected outcome, the headers and text shared by several cases, and the writers that put a case's bytes on disk
(JSON lines, raw bytes, CSV, mixed-encoding CSV lines, XLSX workbooks)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

SOURCE = "corpus-hotline"
POS_HEADER = ["Номер сообщения", "Дата создания", "Статус", "Текст сообщения", "Дата ответа", "Оценка"]
INJECTION = "x'); drop table raw.load_batches; --"


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # what is wrong, in people's words (Russian): the figure reported is the count of these
    folder: str  # landing sub-folder: events, pos, incident, letter
    name: str
    write: Callable[[Path], None]
    read: int
    loaded: int
    quarantined: int
    duplicates: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    words: tuple[str, ...] = ()  # each found in some quarantine reason of the batch
    keys: tuple[str, ...] = ()  # event_id (events) or appeal_id (exports) that must be loaded from this file
    whole_file: bool = False  # refused as a whole: one quarantine row without a line number


def event(
    event_id: str, appeal: str = "A-1", kind: str = "received", at: str = "2025-03-03T10:00:00+03:00", **extra
) -> dict:
    return {
        "schema": "appeal-event/1",
        "event_id": event_id,
        "source": SOURCE,
        "channel": "hotline",
        "appeal_id": appeal,
        "event_type": kind,
        "occurred_at": at,
        **extra,
    }


def json_line(item) -> bytes:
    return item if isinstance(item, bytes) else json.dumps(item, ensure_ascii=False).encode("utf-8")


def jsonl(*items, end: bytes = b"\n") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(b"".join(json_line(i) + end for i in items))


def raw(data: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data() if callable(data) else data)


def csv_text(rows: list[list[str]], encoding: str = "utf-8", bom: bytes = b"") -> Callable[[Path], None]:
    def write(path: Path) -> None:
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
        path.write_bytes(bom + out.getvalue().encode(encoding))

    return write


def csv_lines(*lines: tuple[str, str]) -> Callable[[Path], None]:
    """(text, encoding) per line: files whose lines are not all in one encoding."""
    return lambda path: path.write_bytes(b"".join(t.encode(e) + b"\r\n" for t, e in lines))


def xlsx(*sheets: tuple[str, list[list]]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(path)

    return write
