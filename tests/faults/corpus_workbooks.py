"""Bad-input cases for XLSX workbooks: ПОС exports (landing folder `pos`) with shifted, renamed or unknown
headers, empty sheets, files that are not workbooks, a cut workbook and repeated rows; ИМ incident exports
(landing folder `incident`) with a first response before the incident and dates as Excel numbers."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

from tests.faults.corpus_kit import POS_HEADER, Case, raw, xlsx

IM_HEADER = ["ID инцидента", "Дата создания", "Текст инцидента", "Время первого ответа"]


def _zip_not_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("export.csv", ";".join(POS_HEADER) + "\n")


def _cut_workbook(path: Path) -> None:
    xlsx(("Сообщения", [POS_HEADER, ["P-CUT", "01.03.2025"]]))(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


WORKBOOK_CASES = [
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
]
