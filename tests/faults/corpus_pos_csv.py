"""Bad-input cases for CSV exports of the ПОС platform (landing folder `pos`): encodings, BOM, a line in another
encoding, an oversize field, control characters, SQL-shaped cells, future and impossible dates, an answer
before the receipt, dates with and without a zone, wrong types and missing fields."""

from __future__ import annotations

import codecs

from tests.faults.corpus_kit import INJECTION, POS_HEADER, Case, csv_lines, csv_text

PADDING = "ж" * 3000  # three such rows push a later row past the 8 KiB the CSV reader sniffs
POS_ROW = ["P-1", "03.03.2025 10:00", "Зарегистрировано", "Нет света", "", ""]

POS_CSV_CASES = [
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
]
