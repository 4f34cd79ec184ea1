"""A corpus of bad input, one small file per case, each with the outcome a person expects written beside it.

A case names the landing folder its file goes to (the channel, as `tsur ingest` finds it), how to write the
file, and what the load must give: lines read, loaded, duplicates, quarantined, reason codes, words the
reasons must contain, and keys that must be in raw (the valid rows of the same file). Open311 cases are
request objects a local server sends among valid ones (tests/faults/test_bad_input.py polls it).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl

SOURCE = "corpus-hotline"
POS_HEADER = ["Номер сообщения", "Дата создания", "Статус", "Текст сообщения", "Дата ответа", "Оценка"]
SED_HEADER = ["Рег. номер", "Дата поступления", "Тематика", "Дата ответа"]
IM_HEADER = ["ID инцидента", "Дата создания", "Текст инцидента", "Время первого ответа"]
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


def _line(item) -> bytes:
    return item if isinstance(item, bytes) else json.dumps(item, ensure_ascii=False).encode("utf-8")


def jsonl(*items, end: bytes = b"\n") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(b"".join(_line(i) + end for i in items))


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


def _zip_not_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("export.csv", ";".join(POS_HEADER) + "\n")


def _cut_workbook(path: Path) -> None:
    xlsx(("Сообщения", [POS_HEADER, ["P-CUT", "01.03.2025"]]))(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _soon() -> str:
    # Inside the tolerance (24 h): an event stamped a little ahead of the loader's clock is kept.
    return (datetime.now(UTC) + timedelta(hours=1)).isoformat(timespec="seconds")


HUGE = "я" * 600_000  # 1.2 MB in UTF-8: over the 1 MiB line limit of the event reader
PADDING = "ж" * 3000  # three such rows push a later row past the 8 KiB the CSV reader sniffs
ANSWERED_EARLY = [
    event("abr-1", "A-ABR", at="2025-03-10T10:00:00+03:00", category={"code": "ЖКХ"}),
    event("abr-2", "A-ABR", "answered", "2025-03-05T10:00:00+03:00", result="explained"),
]

EVENT_CASES = [
    Case(
        "jsonl_not_utf8",
        "не UTF-8",
        "events",
        "latin1.jsonl",
        jsonl(event("nu-1"), b'{"text": "caf\xe9 cr\xe8me"}', event("nu-2")),
        read=3,
        loaded=2,
        quarantined=1,
        reasons={"not_utf8": 1},
        words=("not UTF-8 at byte 13",),
        keys=("nu-1", "nu-2"),
    ),
    Case(
        "jsonl_cp1251",
        "Windows-1251, прочитанный как UTF-8",
        "events",
        "cp1251.jsonl",
        raw(
            lambda: "\n".join(
                json.dumps(e, ensure_ascii=False)
                for e in [event("cp-1", text="Нет горячей воды"), event("cp-2"), event("cp-3", text="Яма")]
            ).encode("cp1251")
        ),
        read=3,
        loaded=1,
        quarantined=2,
        reasons={"not_utf8": 2},
        words=("must be UTF-8",),
        keys=("cp-2",),
    ),
    Case(
        "jsonl_bom",
        "BOM в начале файла и в середине (склеенные файлы)",
        "events",
        "bom.jsonl",
        raw(
            codecs.BOM_UTF8
            + _line(event("bom-1"))
            + b"\n"
            + _line(event("bom-2"))
            + b"\n"
            + codecs.BOM_UTF8
            + _line(event("bom-3"))
            + b"\n"
        ),
        read=3,
        loaded=3,
        quarantined=0,
        keys=("bom-1", "bom-2", "bom-3"),
    ),
    Case(
        "jsonl_truncated",
        "обрезанный JSON",
        "events",
        "cut.jsonl",
        raw(_line(event("cut-1")) + b"\n" + _line(event("cut-2"))[:40]),
        read=2,
        loaded=1,
        quarantined=1,
        reasons={"invalid_json": 1},
        words=("not a JSON value",),
        keys=("cut-1",),
    ),
    Case(
        "jsonl_array_line",
        "JSON-массив вместо строк",
        "events",
        "array.jsonl",
        raw(json.dumps([event("arr-1"), event("arr-2")]).encode()),
        read=1,
        loaded=0,
        quarantined=1,
        reasons={"not_an_object": 1},
        words=("a JSON array, not an object",),
    ),
    Case(
        "jsonl_array_pretty",
        "JSON-массив с отступами в файле .json",
        "events",
        "array.json",
        raw(json.dumps([{"event_id": "pa-1", "source": SOURCE}], indent=2).encode()),
        # [ / { / "event_id": ... / "source": ... / } / ]: six lines, none an event
        read=6,
        loaded=0,
        quarantined=6,
        reasons={"invalid_json": 6},
    ),
    Case(
        "jsonl_missing",
        "нет обязательных полей",
        "events",
        "missing.jsonl",
        jsonl(
            event("mi-1"),
            {k: v for k, v in event("mi-2").items() if k != "occurred_at"},
            {k: v for k, v in event("mi-3").items() if k != "appeal_id"},
        ),
        read=3,
        loaded=1,
        quarantined=2,
        reasons={"missing_field": 2},
        words=("occurred_at", "appeal_id"),
        keys=("mi-1",),
    ),
    Case(
        "jsonl_types",
        "неверные типы",
        "events",
        "types.jsonl",
        jsonl(event("ty-1", "A-2", "rated", rating="пять"), event("ty-2", at=20250303), event(17), event("ty-4")),
        read=4,
        loaded=1,
        quarantined=3,
        reasons={"wrong_type": 3},
        words=("rating", "occurred_at"),
        keys=("ty-4",),
    ),
    Case(
        "jsonl_unknown",
        "неизвестный канал и тип события",
        "events",
        "unknown.jsonl",
        jsonl(event("un-1", channel="fax"), event("un-2", kind="liked"), event("un-3")),
        read=3,
        loaded=1,
        quarantined=2,
        reasons={"unknown_value": 2},
        words=("channel", "event_type"),
        keys=("un-3",),
    ),
    Case(
        "jsonl_no_zone",
        "даты без часового пояса",
        "events",
        "nozone.jsonl",
        jsonl(event("nz-1", "A-NZ", at="2025-03-03T10:00:00"), event("nz-2", "A-NZ", "registered", "2025-03-03 11:00")),
        read=2,
        loaded=2,
        quarantined=0,
        keys=("nz-1", "nz-2"),
    ),
    Case(
        "jsonl_impossible",
        "невозможные даты",
        "events",
        "impossible.jsonl",
        jsonl(
            event("im-1", at="2025-02-30T10:00:00+03:00"),
            event("im-2", at="2025-13-01T10:00:00+03:00"),
            event("im-3", at="2025-03-03T25:00:00+03:00"),
            event("im-4", at="2025-03-03T10:00:00+25:00"),
            event("im-5", due_at="2025-04-31T18:00:00+03:00"),
            event("im-6", at="вчера"),
        ),
        read=6,
        loaded=0,
        quarantined=6,
        reasons={"bad_date": 6},
        words=("impossible", "not an RFC 3339"),
    ),
    Case(
        "jsonl_future",
        "даты в будущем",
        "events",
        "future.jsonl",
        lambda path: jsonl(event("fu-1", "A-FU", at="2099-01-01T10:00:00+03:00"), event("fu-2", "A-FU", at=_soon()))(
            path
        ),
        read=2,
        loaded=1,
        quarantined=1,
        reasons={"future_date": 1},
        words=("in the future",),
        keys=("fu-2",),
    ),
    Case(
        "jsonl_answer_before_receipt",
        "ответ раньше поступления (события)",
        "events",
        "answered-early.jsonl",
        jsonl(*ANSWERED_EARLY),
        read=2,
        loaded=2,
        quarantined=0,
        keys=("abr-1", "abr-2"),
    ),
    Case(
        "jsonl_duplicates",
        "повтор event_id с другим содержанием",
        "events",
        "dup.jsonl",
        jsonl(event("du-1"), event("du-1"), event("du-1", kind="registered"), event("du-2", kind="closed")),
        read=4,
        loaded=2,
        duplicates=1,
        quarantined=1,
        reasons={"conflict": 1},
        words=("earlier in this input with other content (line 1)",),
        keys=("du-1", "du-2"),
    ),
    Case(
        "jsonl_duplicates_across_files",
        "повтор event_id из другого файла",
        "events",
        "dup-later.jsonl",
        jsonl(event("du-2", kind="rejected"), event("du-1"), event("du-3")),
        read=3,
        loaded=1,
        duplicates=1,
        quarantined=1,
        reasons={"conflict": 1},
        words=("loaded before with other content",),
        keys=("du-3",),
    ),
    Case(
        "jsonl_huge_line",
        "огромная строка",
        "events",
        "huge.jsonl",
        jsonl(event("hu-1"), event("hu-2", text=HUGE), event("hu-3")),
        read=3,
        loaded=2,
        quarantined=1,
        reasons={"line_too_long": 1},
        words=("longer than the limit",),
        keys=("hu-1", "hu-3"),
    ),
    Case(
        "jsonl_control",
        "управляющие символы",
        "events",
        "control.jsonl",
        jsonl(
            event("cc-1", text="звонок\u0007 и\tтабуляция"),
            json.dumps(event("cc-2", text="a\u0000b")).encode(),
            _line(event("cc-3", text="esc")).replace(b"esc", b"e\x1bsc"),
            b'{"event_id": "cc-4\x00"}',
        ),
        read=4,
        loaded=1,
        quarantined=3,
        reasons={"control_character": 1, "invalid_json": 2},
        words=("NUL", "Invalid control character"),
        keys=("cc-1",),
    ),
    Case(
        "jsonl_sql",
        "текст в форме SQL-инъекции",
        "events",
        "sql.jsonl",
        jsonl(
            event(INJECTION, "A-SQL", text="'; delete from raw.appeal_events where ''='"),
            event("sq-2", "A-SQL'--", "registered"),
        ),
        read=2,
        loaded=2,
        quarantined=0,
        keys=(INJECTION, "sq-2"),
    ),
    Case("jsonl_empty", "пустой файл", "events", "empty.jsonl", raw(b""), read=0, loaded=0, quarantined=0),
    Case(
        "jsonl_blank_crlf",
        "CRLF и пустые строки",
        "events",
        "crlf.jsonl",
        raw(_line(event("cr-1")) + b"\r\n\r\n   \r\n" + _line(event("cr-2")) + b"\r\n"),
        read=2,
        loaded=2,
        quarantined=0,
        keys=("cr-1", "cr-2"),
    ),
]

POS_ROW = ["P-1", "03.03.2025 10:00", "Зарегистрировано", "Нет света", "", ""]
NATIVE_CASES = [
    Case(
        "pos_csv_cp1251",
        "ПОС CSV в Windows-1251",
        "pos",
        "pos-cp1251-2025-03-31.csv",
        csv_text(
            [POS_HEADER, ["P-CP1", "03.03.2025 10:00", "Ответ направлен", "Нет отопления", "05.03.2025", "5"]], "cp1251"
        ),
        read=1,
        loaded=1,
        quarantined=0,
        keys=("P-CP1",),
    ),
    Case(
        "pos_csv_bom",
        "ПОС CSV с BOM",
        "pos",
        "pos-bom-2025-03-31.csv",
        csv_text([POS_HEADER, ["P-BOM", "03.03.2025 10:00", "Зарегистрировано", "", "", ""]], bom=codecs.BOM_UTF8),
        read=1,
        loaded=1,
        quarantined=0,
        keys=("P-BOM",),
    ),
    Case(
        "pos_csv_cp1251_line",
        "строка в Windows-1251 в файле UTF-8",
        "pos",
        "pos-mixed-2025-03-31.csv",
        csv_lines(
            (";".join(POS_HEADER), "utf-8"),
            ("P-U1;03.03.2025;Зарегистрировано;Нет воды;;", "utf-8"),
            ("P-U2;03.03.2025;Зарегистрировано;Нет газа;;", "cp1251"),
            ("P-U3;04.03.2025;Зарегистрировано;Ямы;;", "utf-8"),
        ),
        read=3,
        loaded=2,
        quarantined=1,
        reasons={"bad_encoding": 1},
        words=("line 3 is not valid utf-8",),
        keys=("P-U1", "P-U3"),
    ),
    Case(
        "pos_csv_huge",
        "огромное поле в CSV",
        "pos",
        "pos-huge-2025-03-31.csv",
        csv_text(
            [
                POS_HEADER,
                ["P-H1", "03.03.2025", "", "", "", ""],
                ["P-H2", "03.03.2025", "", "я" * 200_000, "", ""],
                ["P-H3", "04.03.2025", "", "", "", ""],
            ]
        ),
        read=3,
        loaded=2,
        quarantined=1,
        reasons={"line_too_long": 1},
        words=("at line 3",),
        keys=("P-H1", "P-H3"),
    ),
    Case(
        "pos_csv_control",
        "управляющие символы и NUL в CSV",
        "pos",
        "pos-control-2025-03-31.csv",
        csv_text(
            [
                POS_HEADER,
                *[[f"P-C{i}", "03.03.2025", "", PADDING, "", ""] for i in range(1, 4)],
                ["P-C4", "03.03.2025", "", "звонок\u0007\u001b", "", ""],
                ["P-C5", "03.03.2025", "", "a\u0000b", "", ""],
            ]
        ),
        read=5,
        loaded=4,
        quarantined=1,
        reasons={"control_character": 1},
        words=("NUL",),
        keys=("P-C1", "P-C4"),
    ),
    Case(
        "pos_csv_sql",
        "SQL-инъекция в ячейках ПОС",
        "pos",
        "pos-sql-2025-03-31.csv",
        csv_text([POS_HEADER, [INJECTION, "03.03.2025", "'; drop table raw.source_rows; --", "1=1", "", ""]]),
        read=1,
        loaded=1,
        quarantined=0,
        keys=(INJECTION,),
    ),
    Case(
        "pos_csv_future",
        "даты в будущем (ПОС)",
        "pos",
        "pos-future-2025-03-31.csv",
        csv_text(
            [
                POS_HEADER,
                ["P-F1", "01.01.2099", "", "", "", ""],
                ["P-F2", "03.03.2025", "", "", "01.01.2099", ""],
                ["P-F3", "03.03.2025", "", "", "05.03.2025", "4"],
            ]
        ),
        read=3,
        loaded=1,
        quarantined=2,
        reasons={"future_date": 2},
        words=("created_at 2099", "answered_at 2099"),
        keys=("P-F3",),
    ),
    Case(
        "pos_csv_answer_before_receipt",
        "ответ раньше поступления (ПОС)",
        "pos",
        "pos-early-2025-03-31.csv",
        csv_text(
            [
                POS_HEADER,
                ["P-E1", "10.03.2025 12:00", "", "", "05.03.2025", ""],
                ["P-E2", "10.03.2025 15:00", "", "", "10.03.2025", ""],
            ]
        ),
        read=2,
        loaded=1,
        quarantined=1,
        reasons={"answer_before_receipt": 1},
        words=("before the day of receipt",),
        keys=("P-E2",),
    ),
    Case(
        "pos_csv_no_zone",
        "даты без пояса и с поясом (ПОС)",
        "pos",
        "pos-zone-2025-03-31.csv",
        csv_text(
            [
                POS_HEADER,
                ["P-Z1", "2025-03-03T10:00:00", "", "", "", ""],
                ["P-Z2", "2025-03-03T07:00:00Z", "", "", "", ""],
            ]
        ),
        read=2,
        loaded=2,
        quarantined=0,
        keys=("P-Z1", "P-Z2"),
    ),
    Case(
        "pos_csv_types",
        "неверные типы (ПОС)",
        "pos",
        "pos-types-2025-03-31.csv",
        csv_text(
            [
                ["Номер сообщения", "Дата создания", "Оценка", "Широта", "Ускоренное рассмотрение"],
                ["P-T1", "03.03.2025", "пять", "", ""],
                ["P-T2", "03.03.2025", "", "север", ""],
                ["P-T3", "03.03.2025", "", "", "может быть"],
                ["P-T4", "03.03.2025", "4,0", "67,6", "да"],
            ]
        ),
        read=4,
        loaded=1,
        quarantined=3,
        reasons={"bad_value": 3},
        words=("rating", "lat", "fast_track"),
        keys=("P-T4",),
    ),
    Case(
        "pos_csv_missing",
        "нет обязательных полей (ПОС)",
        "pos",
        "pos-missing-2025-03-31.csv",
        csv_text([POS_HEADER, ["", "03.03.2025", "", "", "", ""], ["P-M2", "", "", "", "", ""], POS_ROW]),
        read=3,
        loaded=1,
        quarantined=2,
        reasons={"missing_field": 2},
        keys=("P-1",),
    ),
    Case(
        "pos_csv_impossible",
        "невозможные даты (ПОС)",
        "pos",
        "pos-impossible-2025-03-31.csv",
        csv_text(
            [
                POS_HEADER,
                ["P-I1", "31.02.2025", "", "", "", ""],
                ["P-I2", "29.02.2025 10:00", "", "", "", ""],
                ["P-I3", "2025-02-29", "", "", "", ""],
                ["P-I4", "03.03.2025", "", "", "32.03.2025", ""],
            ]
        ),
        read=4,
        loaded=0,
        quarantined=4,
        reasons={"bad_date": 4},
        words=("impossible date",),
    ),
    Case(
        "pos_xlsx_shifted",
        "сдвинутые заголовки XLSX",
        "pos",
        "pos-shifted-2025-03-31.xlsx",
        xlsx(
            (
                "Выгрузка",
                [
                    ["Выгрузка сообщений за март 2025"],
                    [],
                    [None, None, "Статус", "Дата создания", "Номер сообщения"],
                    [None, None, "Зарегистрировано", datetime(2025, 3, 3, 9, 30), "P-S1"],
                ],
            )
        ),
        read=1,
        loaded=1,
        quarantined=0,
        keys=("P-S1",),
    ),
    Case(
        "pos_xlsx_aliases",
        "переименованные заголовки (регистр, пробелы, двоеточие)",
        "pos",
        "pos-aliases-2025-03-31.xlsx",
        xlsx(("Лист1", [["НОМЕР  СООБЩЕНИЯ:", "дата создания.", "Оценка (1–5)"], ["P-A1", "03.03.2025", 5]])),
        read=1,
        loaded=1,
        quarantined=0,
        keys=("P-A1",),
    ),
    Case(
        "pos_xlsx_unknown_headers",
        "чужие заголовки XLSX",
        "pos",
        "pos-renamed-2025-03-31.xlsx",
        xlsx(("Лист1", [["Номер обращения", "Создано"], ["P-R1", "03.03.2025"]])),
        read=1,
        loaded=0,
        quarantined=1,
        reasons={"no_header": 1},
        words=("no header row",),
        whole_file=True,
    ),
    Case(
        "pos_xlsx_empty_first_sheet",
        "пустой первый лист",
        "pos",
        "pos-sheets-2025-03-31.xlsx",
        xlsx(("Пусто", []), ("Сообщения", [POS_HEADER, ["P-ES1", "03.03.2025", "Закрыто"]])),
        read=1,
        loaded=1,
        quarantined=0,
        keys=("P-ES1",),
    ),
    Case(
        "pos_xlsx_empty_sheets",
        "только пустые листы",
        "pos",
        "pos-empty-2025-03-31.xlsx",
        xlsx(("Лист1", []), ("Лист2", [])),
        read=1,
        loaded=0,
        quarantined=1,
        reasons={"empty_file": 1},
        words=("no filled cells",),
        whole_file=True,
    ),
    Case(
        "pos_xlsx_header_only",
        "только заголовок, без строк",
        "pos",
        "pos-header-2025-03-31.xlsx",
        xlsx(("Лист1", [POS_HEADER])),
        read=1,
        loaded=0,
        quarantined=1,
        reasons={"no_rows": 1},
        whole_file=True,
    ),
    Case(
        "pos_xlsx_zip",
        "ZIP с именем .xlsx",
        "pos",
        "pos-zip-2025-03-31.xlsx",
        _zip_not_workbook,
        read=1,
        loaded=0,
        quarantined=1,
        reasons={"not_xlsx": 1},
        words=("not an XLSX workbook",),
        whole_file=True,
    ),
    Case(
        "pos_xlsx_text",
        "текст с именем .xlsx",
        "pos",
        "pos-text-2025-03-31.xlsx",
        raw(";".join(POS_HEADER).encode() + b"\n"),
        read=1,
        loaded=0,
        quarantined=1,
        reasons={"not_xlsx": 1},
        words=("not a ZIP package",),
        whole_file=True,
    ),
    Case(
        "pos_xlsx_cut",
        "обрезанный XLSX",
        "pos",
        "pos-cut-2025-03-31.xlsx",
        _cut_workbook,
        read=1,
        loaded=0,
        quarantined=1,
        reasons={"not_xlsx": 1},
        whole_file=True,
    ),
    Case(
        "pos_xlsx_duplicates",
        "повтор строк в снимке ПОС",
        "pos",
        "pos-dup-2025-03-31.xlsx",
        xlsx(
            (
                "Лист1",
                [
                    POS_HEADER,
                    ["P-D1", "03.03.2025", "Закрыто"],
                    ["P-D1", "03.03.2025", "Закрыто"],
                    ["P-D1", "03.03.2025", "Зарегистрировано"],
                    ["P-D2", "04.03.2025", "Закрыто"],
                ],
            )
        ),
        read=4,
        loaded=2,
        duplicates=1,
        quarantined=1,
        reasons={"conflict": 1},
        keys=("P-D1", "P-D2"),
    ),
    Case(
        "incident_answer_before_receipt",
        "первый ответ раньше инцидента (ИМ)",
        "incident",
        "im-2025-03-31.xlsx",
        xlsx(
            (
                "Инциденты",
                [
                    IM_HEADER,
                    ["IM-1", datetime(2025, 3, 10, 12), "Не убран снег", datetime(2025, 3, 9, 8)],
                    ["IM-2", datetime(2025, 3, 10, 12), "Яма", datetime(2025, 3, 10, 13)],
                ],
            )
        ),
        read=2,
        loaded=1,
        quarantined=1,
        reasons={"answer_before_receipt": 1},
        words=("first_response_at",),
        keys=("IM-2",),
    ),
    Case(
        "incident_excel_dates",
        "даты числами Excel и логическими значениями (ИМ)",
        "incident",
        "im-serial-2025-03-31.xlsx",
        xlsx(
            (
                "Инциденты",
                [
                    IM_HEADER,
                    ["IM-S1", 45719.5, "", None],
                    ["IM-S2", -5, "", None],
                    ["IM-S3", True, "", None],
                    ["IM-S4", "x" * 40_000, "y" * 40_000, None],
                ],
            )
        ),
        read=4,
        loaded=1,
        quarantined=3,
        reasons={"bad_date": 3},
        words=("serial out of range",),
        keys=("IM-S1",),
    ),
    Case(
        "sed_csv_cp1251",
        "СЭД CSV в Windows-1251",
        "letter",
        "sed-2025-03-31.csv",
        csv_text([SED_HEADER, ["Ч-1", "03.03.2025 10:00", "Отопление", "17.03.2025"]], "cp1251"),
        read=1,
        loaded=1,
        quarantined=0,
        keys=("Ч-1",),
    ),
    Case(
        "sed_csv_utf8_line",
        "строка UTF-8 в файле Windows-1251 (СЭД)",
        "letter",
        "sed-mixed-2025-03-31.csv",
        csv_lines(
            (";".join(SED_HEADER), "cp1251"),
            ("Ч-2;03.03.2025;Дороги;", "cp1251"),
            ("Ч-3;03.03.2025;Свет;", "utf-8"),
            ("Ч-4;04.03.2025;Вода;", "cp1251"),
        ),
        read=3,
        loaded=2,
        quarantined=1,
        reasons={"bad_encoding": 1},
        words=("UTF-8 in a file",),
        keys=("Ч-2", "Ч-4"),
    ),
    Case(
        "sed_csv_fields",
        "лишний разделитель в строке (СЭД)",
        "letter",
        "sed-fields-2025-03-31.csv",
        csv_lines(
            (";".join(SED_HEADER), "cp1251"),
            ("Ч-5;03.03.2025;Дороги; тротуары;17.03.2025", "cp1251"),
            ("Ч-6;03.03.2025;Дороги;", "cp1251"),
            ("Ч-7;03.03.2025", "cp1251"),
        ),
        read=3,
        loaded=1,
        quarantined=2,
        reasons={"wrong_field_count": 2},
        keys=("Ч-6",),
    ),
    Case(
        "sed_csv_answer_before_receipt",
        "ответ раньше поступления (СЭД)",
        "letter",
        "sed-early-2025-03-31.csv",
        csv_text(
            [SED_HEADER, ["Ч-8", "10.03.2025", "Дороги", "01.03.2025"], ["Ч-9", "10.03.2025", "Дороги", "11.03.2025"]],
            "cp1251",
        ),
        read=2,
        loaded=1,
        quarantined=1,
        reasons={"answer_before_receipt": 1},
        keys=("Ч-9",),
    ),
    Case(
        "sed_csv_utf16",
        "СЭД CSV в UTF-16",
        "letter",
        "sed-utf16-2025-03-31.csv",
        csv_text([SED_HEADER, ["Ч-10", "03.03.2025", "Газ", ""]], "utf-16"),
        read=1,
        loaded=1,
        quarantined=0,
        keys=("Ч-10",),
    ),
]
CASES = EVENT_CASES + NATIVE_CASES

# Open311: request objects (as JSON text, repeated keys and all) a city's server sends among valid ones.
OPEN311_BROKEN = {
    "not_an_object": '"R-STRING"',
    "missing_field": '{"service_request_id": null, "requested_datetime": "2025-02-03T10:00:00+03:00"}',
    "bad_date": '{"service_request_id": "O-BAD", "requested_datetime": "2025-02-30T10:00:00+03:00",'
    ' "updated_datetime": "2025-02-04T10:00:00+03:00"}',
    "control_character": '{"service_request_id": "O-NUL", "requested_datetime": "2025-02-05T10:00:00+03:00",'
    ' "description": "a\\u0000b"}',
}
# Loaded, with flags: wrong types, an answer (closing) before receipt, text shaped as SQL, a zone-less date.
OPEN311_FLAGGED = {
    "O-TYPES": (
        '{"service_request_id": "O-TYPES", "requested_datetime": "2025-02-06T10:00:00+03:00",'
        ' "lat": "север", "long": true, "status": "open"}',
        ["bad_lat", "bad_lon"],
    ),
    "O-EARLY": (
        '{"service_request_id": "O-EARLY", "requested_datetime": "2025-02-07T10:00:00+03:00",'
        ' "updated_datetime": "2025-02-01T10:00:00+03:00", "status": "closed"}',
        ["answer_before_receipt:closed_at"],
    ),
    "O-SQL": (
        '{"service_request_id": "O-SQL", "requested_datetime": "2025-02-08T10:00:00+03:00",'
        f' "description": "{INJECTION}"}}',
        ["exported_at_from_requested_datetime"],
    ),
    "O-ZONE": (
        '{"service_request_id": "O-ZONE", "requested_datetime": "2025-02-09T10:00:00", "status": "open"}',
        ["exported_at_from_requested_datetime"],
    ),
}
