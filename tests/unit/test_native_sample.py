"""The sample year in the source systems' own formats: repeatable, named by export moment, realistic strings,
personal data where it belongs, and the imperfections real exports have."""

import csv
import io
import re
from collections import Counter
from datetime import datetime

import openpyxl
import pytest

from sources.sample.incident_export import STATUS_TEXT as IM_STATUS
from sources.sample.pos_export import STATUS_TEXT as POS_STATUS
from tests.native_sample import make_native, msk, path_of, window

POS_RESULTS = {"Поддержано", "Меры приняты", "Разъяснено", "Не поддержано", "Дан ответ автору"}
SED_RESULTS = POS_RESULTS | {"Направлено по компетенции", "Оставлено без ответа автору"}


@pytest.fixture(scope="module")
def native(tmp_path_factory):
    return make_native(tmp_path_factory.mktemp("landing"))


def sheet_rows(path):
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)], book.sheetnames
    finally:
        book.close()


def csv_rows(path, encoding, delimiter):
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding)), delimiter=delimiter))


def test_byte_identical_twice(native, tmp_path):
    _, summary = native
    _, again = make_native(tmp_path)
    assert [p.name for p in summary.paths] == [p.name for p in again.paths]
    for one, two in zip(summary.paths, again.paths):
        assert one.read_bytes() == two.read_bytes(), one.name


def test_file_names_carry_the_export_moment(native):
    world, summary = native
    names = Counter(p.parent.name for p in summary.paths)
    assert names == {"pos": 14, "incident": 13, "letter": 13}
    for path in summary.paths:
        assert re.fullmatch(
            r"(epgu-pos-export|medialogia-im)-\d{4}-\d{2}-\d{2}T\d{4}\.(xlsx|csv)"
            r"|sed-nao-cards-\d{4}-\d{2}-\d{2}\.csv",
            path.name,
        ), path.name
    last = path_of(summary, "epgu-pos-export-2026-01-15T2359.xlsx")
    assert datetime(2026, 1, 16) == world.data_end.replace(tzinfo=None)  # the last export: the day before the end
    book = openpyxl.load_workbook(last, read_only=True)
    assert book.properties.modified == datetime(2026, 1, 15, 20, 59)  # its save time in UTC
    book.close()


def test_pos_export_holds_three_months_with_real_strings_and_personal_data(native):
    world, summary = native
    path = path_of(summary, "epgu-pos-export-2025-09-30T2359.xlsx")
    rows, sheets = sheet_rows(path)
    assert sheets == ["Сообщения"]
    header, data = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
    expected = {a.appeal_id: a for a in window(world, "pos", msk(2025, 9, 30, 23, 59), 92)}
    assert {r["Номер сообщения"] for r in data} - {None} == set(expected)
    assert len(header) == 26 and header[0] == "Номер сообщения"
    assert {r["Статус"] for r in data} <= set(POS_STATUS.values())
    assert {r["Результат"] for r in data} - {None} <= POS_RESULTS
    assert {r["Тип"] for r in data} <= {"Сообщение", "Обращение по 59-ФЗ"}
    assert {r["Ускоренное рассмотрение"] for r in data} == {"да", "нет"}
    for row in data:
        appeal = expected.get(row["Номер сообщения"])
        if appeal:
            assert row["Заявитель"] == appeal.author["name"] and row["Текст сообщения"] == appeal.text
    assert any(r.get("Телефон") for r in data) and any(r.get("Электронная почта") for r in data)


def test_imperfections_of_real_exports(native):
    _, summary = native
    cells = Counter()
    for path in summary.paths:
        if path.suffix == ".xlsx" and path.parent.name == "pos":
            rows, _ = sheet_rows(path)
            start = next(i for i, r in enumerate(rows) if "Номер сообщения" in r)
            column = rows[start].index("Дата создания")
            cells.update(type(r[column]).__name__ for r in rows[start + 1 :])
    assert {"datetime", "str", "float"} <= set(cells)  # date cells, text dates, bare Excel serials
    shifted, _ = sheet_rows(path_of(summary, "epgu-pos-export-2025-06-30T2359.xlsx"))
    assert shifted[0][0].startswith("Выгрузка сообщений ПОС") and shifted[2][0] == "Статус"
    assert shifted[2][-1] == "Источник"
    pos_csv = csv_rows(path_of(summary, "epgu-pos-export-2025-08-15T1200.csv"), "utf-8-sig", ",")
    assert pos_csv[0][0] == "Номер сообщения" and "Электронная почта" not in pos_csv[0]
    assert path_of(summary, "epgu-pos-export-2025-08-15T1200.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    _, im_sheets = sheet_rows(path_of(summary, "medialogia-im-2025-08-31T2359.xlsx"))
    assert im_sheets == ["Инциденты", "Параметры выгрузки"]


def test_incident_and_sed_strings(native):
    _, summary = native
    outcomes, statuses, results, kinds = set(), set(), set(), set()
    for path in summary.paths:
        if path.parent.name == "incident":
            rows, _ = sheet_rows(path)
            data = [dict(zip(rows[0], r)) for r in rows[1:]]
            outcomes |= {r.get("Итог") for r in data}
            statuses |= {r["Статус"] for r in data}
        elif path.parent.name == "letter":
            raw = path.read_bytes()
            assert b"\r\n" in raw and raw.decode("cp1251").startswith("Рег. номер;")
            rows = csv_rows(path, "cp1251", ";")
            data = [dict(zip(rows[0], r)) for r in rows[1:]]
            results |= {r["Результат рассмотрения"] for r in data}
            kinds |= {r["Вид обращения"] for r in data}
            assert {r["Повторное"] for r in data} <= {"да", "нет"}
    assert outcomes - {None} <= {"Решено", "Не решено", "Отложено"} and "Решено" in outcomes
    assert statuses <= set(IM_STATUS.values())
    assert results - {""} <= SED_RESULTS and "Разъяснено" in results
    assert kinds == {"Заявление", "Жалоба", "Предложение"}


def test_injected_rows_are_where_the_summary_says(native):
    _, summary = native
    assert summary.malformed == {"bad_date": 7, "missing_field": 7}
    ids = {"pos": "Номер сообщения", "incident": "ID инцидента", "letter": "Рег. номер"}
    for row in summary.injected:
        if row.path.suffix == ".xlsx":
            rows, _ = sheet_rows(row.path)
        else:
            encoding, delimiter = ("utf-8-sig", ",") if row.path.parent.name == "pos" else ("cp1251", ";")
            rows = csv_rows(row.path, encoding, delimiter)
        header = next(r for r in rows if ids[row.path.parent.name] in r)
        values = dict(zip(header, rows[row.row - 1]))
        if row.kind == "missing_field":
            assert values[ids[row.path.parent.name]] in (None, "")
        else:
            assert any(
                v in ("вчера", "00.13.2025") or isinstance(v, str) and v[:5] in ("30.02", "31.09")
                for v in values.values()
            )
