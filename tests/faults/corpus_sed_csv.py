"""Bad-input cases for CSV exports of the СЭД (landing folder `letter`): Windows-1251 and UTF-16 files, a UTF-8
line in a Windows-1251 file, a stray separator, an answer before the receipt."""

from __future__ import annotations

from tests.faults.corpus_kit import Case, csv_lines, csv_text

SED_HEADER = ["Рег. номер", "Дата поступления", "Тематика", "Дата ответа"]

SED_CASES = [
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
