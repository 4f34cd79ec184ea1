"""Streaming readers of XLSX and CSV exports: encodings, delimiters, shifted headers, date cells, bad files."""

import zipfile
from datetime import datetime

import openpyxl
import pytest

from sources.headers import HeaderMapError, header_map, normalise
from sources.spreadsheets import open_tabular
from sources.tabular import FileProblem

POS = header_map("pos", "epgu-pos", user_maps="")
SED = header_map("sed", "sed-nao", user_maps="")


def read(path, hmap=POS):
    opened = open_tabular(path, hmap)
    try:
        tables = [
            (t.sheet, t.header_row, t.headers, t.columns, [(r.number, r.values, r.problem) for r in t.rows])
            for t in opened.tables
        ]
        return opened, tables
    finally:
        opened.close()


def workbook(path, *sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_header_names_match_whatever_the_case_spaces_yo_and_punctuation():
    assert normalise("  Номер  сообщения: ") == normalise("номер сообщения")
    assert normalise("Рег.номер") == normalise("Рег. номер") == "рег. номер"
    assert normalise("Населённый пункт") == "населенный пункт"
    columns = POS.columns(["НОМЕР СООБЩЕНИЯ.", "Дата\u00a0создания", "Оценка (1-5)", "Статус", "Статус"])
    assert columns == {0: "appeal_id", 1: "created_at", 2: "rating", 3: "status"}


def test_user_header_map_adds_overrides_and_unmaps(tmp_path, monkeypatch):
    maps = tmp_path / "maps.yaml"
    maps.write_text(
        "epgu-pos:\n  № обращения: appeal_id\n  Создано: created_at\n  Статус: null\nother-source:\n  Статус: result\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TSUR_HEADER_MAPS", str(maps))
    hmap = header_map("pos", "epgu-pos")
    assert hmap.columns(["№ обращения", "Создано", "Статус", "Номер сообщения"]) == {
        0: "appeal_id",
        1: "created_at",
    }  # the first column of a field wins; Статус is no longer mapped
    assert header_map("pos", "other-source").columns(["Статус"]) == {0: "result"}
    maps.write_text("epgu-pos:\n  Статус: state\n", encoding="utf-8")
    with pytest.raises(HeaderMapError, match="unknown field 'state'"):
        header_map("pos", "epgu-pos")


def test_xlsx_with_title_rows_date_cells_text_dates_serials_and_blank_rows(tmp_path):
    created = datetime(2025, 3, 1, 10, 15, 30)
    path = workbook(
        tmp_path / "export.xlsx",
        ("Параметры", [["Период", "март"]]),
        (
            "Данные",
            [
                ["Выгрузка сообщений"],
                [],
                ["Организация: ЦУР"],
                ["Номер сообщения", "Дата создания", None, "Свое поле", "Дата создания"],
                ["1", created, "x", "a"],
                [None, None, None, None],
                [2, "01.03.2025 10:15:30", None, None, None, "за краем"],
                ["3", 45717.4274305556],
                [None],
                [],
            ],
        ),
    )
    opened, tables = read(path)
    assert opened.format == "xlsx" and opened.blank_rows == 2  # rows 6 and 9; an empty last row is not stored
    assert opened.modified is not None and opened.modified.tzinfo is not None
    [(sheet, header_row, headers, columns, rows)] = tables
    assert (sheet, header_row) == ("Данные", 4)
    assert headers == ["Номер сообщения", "Дата создания", "column_3", "Свое поле", "Дата создания (2)"]
    assert columns == {0: "appeal_id", 1: "created_at"}
    assert [r[0] for r in rows] == [5, 7, 8]
    assert rows[0][1][:2] == ["1", created]  # a date cell arrives as datetime
    assert rows[1][1][:2] == [2, "01.03.2025 10:15:30"] and rows[1][1][5] == "за краем"
    assert rows[2][1][1] == pytest.approx(45717.4274305556)  # a number stays a number (an Excel serial)


def test_xlsx_that_is_not_xlsx_or_has_nothing_to_read(tmp_path):
    cases = {
        "empty.xlsx": b"",
        "text.xlsx": "Номер сообщения;Дата создания\n".encode(),
        "old.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    with zipfile.ZipFile(tmp_path / "zip.xlsx", "w") as z:
        z.writestr("readme.txt", "not a workbook")
    workbook(tmp_path / "blank.xlsx", ("Лист1", []))
    workbook(tmp_path / "other.xlsx", ("Лист1", [["Номер", "Дата"], ["1", "01.01.2025"]]))
    expected = {
        "empty.xlsx": ("empty_file", "empty"),
        "text.xlsx": ("not_xlsx", "not a ZIP"),
        "old.xlsx": ("not_xlsx", ".xls"),
        "zip.xlsx": ("not_xlsx", "not an XLSX workbook"),
        "blank.xlsx": ("empty_file", "no filled cells"),
        "other.xlsx": ("no_header", "«Номер сообщения» and «Дата создания»"),
    }
    for name, (code, words) in expected.items():
        with pytest.raises(FileProblem) as err:
            open_tabular(tmp_path / name, POS)
        assert err.value.code == code and words in err.value.reason, name
        if name == "other.xlsx":  # the reason shows what the file has instead
            assert err.value.reason.endswith("sheet «Лист1»; row 1 reads: Номер, Дата")


@pytest.mark.parametrize("encoding,bom", [("cp1251", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf")])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_delimiters(tmp_path, encoding, bom, delimiter):
    lines = [
        "Реестр обращений за январь",
        "",
        delimiter.join(["Рег. номер", "Дата поступления", "Корреспондент", "Тематика"]),
        delimiter.join(["Ч-1/25", "03.02.2025 10:00", "Ёлкина Анна", '"Вода' + delimiter + ' тепло"']),
        delimiter.join(["Ч-2/25", "04.02.2025", "", "Дороги"]),
        "",
    ]
    path = tmp_path / "cards.csv"
    path.write_bytes(bom + "\r\n".join(lines).encode(encoding))
    opened, [(sheet, header_row, headers, columns, rows)] = read(path, SED)
    assert opened.encoding == {"cp1251": "cp1251", "utf-8": "utf-8-sig" if bom else "utf-8"}[encoding]
    assert opened.delimiter == delimiter and sheet is None and header_row == 3
    assert headers == ["Рег. номер", "Дата поступления", "Корреспондент", "Тематика"]
    assert rows == [
        (4, ["Ч-1/25", "03.02.2025 10:00", "Ёлкина Анна", "Вода" + delimiter + " тепло"], None),
        (5, ["Ч-2/25", "04.02.2025", "", "Дороги"], None),
    ]


def test_csv_rows_with_a_foreign_encoding_or_a_wrong_width_carry_their_problem(tmp_path):
    path = tmp_path / "cards.csv"
    path.write_bytes(
        "Рег. номер;Дата поступления;Тематика\n".encode()
        + "Ч-1;03.02.2025;Вода\n".encode()
        + "Ч-2;03.02.2025;Тепло\n".encode("cp1251")
        + 'Ч-3;03.02.2025;"Много\nстрок"\n'.encode()
        + "Ч-4;03.02.2025\n".encode()
        + "Ч-5;03.02.2025;Свет;;\n".encode()
        + "Ч-6;03.02.2025;Газ;лишнее\n".encode()
    )
    opened, [(_, _, _, _, rows)] = read(path, SED)
    assert opened.encoding == "utf-8"
    assert [(n, problem[0] if problem else None) for n, _, problem in rows] == [
        (2, None),
        (3, "bad_encoding"),
        (4, None),
        (6, "wrong_field_count"),
        (7, None),
        (8, "wrong_field_count"),
    ]
    assert "line 3 is not valid utf-8" in rows[1][2][1]
    assert rows[2][1][2] == "Много\nстрок"


def test_csv_files_that_cannot_be_read(tmp_path):
    (tmp_path / "blank.csv").write_bytes(b"\r\n \r\n")
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02abc")
    (tmp_path / "other.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    for name, code in (("blank.csv", "empty_file"), ("binary.csv", "not_csv"), ("other.csv", "no_header")):
        with pytest.raises(FileProblem) as err:
            open_tabular(tmp_path / name, SED)
        assert err.value.code == code, name
