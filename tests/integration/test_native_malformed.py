"""Malformed exports: bad rows go to quarantine with their sheet, row and reason; a file that cannot be read
becomes one quarantine row (line_no null) in its own batch; counts always reconcile."""

import zipfile
from datetime import datetime

import openpyxl

from sources.incident import load_incident_file
from sources.letters import load_letters_file
from sources.pos import load_pos_file

HEADER = ["Номер сообщения", "Дата создания", "Статус", "Оценка", "Ускоренное рассмотрение", "Широта", "Кто выгрузил"]


def xlsx(path, rows, title="Сообщения"):
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def batch(conn, report):
    stored = conn.execute(
        "select lines_read, loaded, duplicates, quarantined from raw.load_batches where batch_id = %s",
        (report.batch_id,),
    ).fetchone()
    assert stored == (report.lines_read, report.loaded, report.duplicates, report.quarantined)
    assert report.lines_read == report.loaded + report.duplicates + report.quarantined
    return conn.execute(
        "select sheet, line_no, record_key, reason_code, reason from raw.quarantine"
        " where batch_id = %s order by line_no nulls first",
        (report.batch_id,),
    ).fetchall()


def test_bad_rows_of_a_pos_workbook(conn, tmp_path):
    when = datetime(2025, 3, 3, 9, 30)
    path = xlsx(
        tmp_path / "pos-export-2025-03-31T2359.xlsx",
        [
            HEADER,
            ["POS-1", when, "Зарегистрировано", None, "нет", 67.6, "оператор"],  # fine
            ["POS-2", "31.02.2025 10:00", "Зарегистрировано"],  # no such day
            [None, when, "Закрыто", 5],  # no number
            ["POS-3", when, "Закрыто", "пять"],  # a rating that is no number
            ["POS-4", when, "Закрыто", 4, "может быть"],  # neither yes nor no
            ["POS-5", "03.03.2025 09:30", "Закрыто", "4", "да", "67,61"],  # text cells, a decimal comma: fine
            ["POS-1", when, "Закрыто"],  # the same message twice in one snapshot, other content
            ["POS-5", "03.03.2025 09:30", "Закрыто", "4", "да", "67,61"],  # an exact repeat
        ],
    )
    report = load_pos_file(conn, path)
    assert (report.lines_read, report.loaded, report.duplicates, report.quarantined) == (8, 2, 1, 5)
    assert [(r[0], r[1], r[2], r[3]) for r in batch(conn, report)] == [
        ("Сообщения", 3, "epgu-pos/POS-2", "bad_date"),
        ("Сообщения", 4, None, "missing_field"),
        ("Сообщения", 5, "epgu-pos/POS-3", "bad_value"),
        ("Сообщения", 6, "epgu-pos/POS-4", "bad_value"),
        ("Сообщения", 8, "epgu-pos/POS-1", "conflict"),
    ]
    records = dict(conn.execute("select appeal_id, record from raw.source_rows").fetchall())
    assert records["POS-5"] == {
        "appeal_id": "POS-5",
        "created_at": "2025-03-03T09:30:00+03:00",
        "status": "Закрыто",
        "rating": 4,
        "fast_track": True,
        "lat": 67.61,
    }
    assert records["POS-1"]["created_at"] == records["POS-5"]["created_at"]  # a date cell and text agree
    payload = conn.execute("select payload from raw.source_rows where appeal_id = 'POS-1'").fetchone()[0]
    assert payload == {
        "Номер сообщения": "POS-1",
        "Дата создания": "2025-03-03T09:30:00",
        "Статус": "Зарегистрировано",
        "Оценка": None,
        "Ускоренное рассмотрение": "нет",
        "Широта": 67.6,
        "Кто выгрузил": "оператор",
    }


def test_bad_rows_of_a_sed_csv(conn, tmp_path):
    path = tmp_path / "sed-nao-cards-2025-02-28.csv"
    path.write_bytes(
        "Рег. номер;Дата поступления;Повторное;Тематика\r\n".encode("cp1251")
        + "Ч-1;03.02.2025 10:00;нет;Отопление\r\n".encode("cp1251")
        + "Ч-2;03.02.2025;да;Водоснабжение\r\n".encode()  # one line in the other encoding
        + "Ч-3;03.02.2025 10:00;нет\r\n".encode("cp1251")  # a column short
        + "Ч-4;вчера;нет;Дороги\r\n".encode("cp1251")
        + ";04.02.2025;нет;Дороги\r\n".encode("cp1251")
    )
    report = load_letters_file(conn, path)
    assert (report.lines_read, report.loaded, report.quarantined) == (5, 1, 4)
    assert [(r[1], r[3]) for r in batch(conn, report)] == [
        (3, "bad_encoding"),
        (4, "wrong_field_count"),
        (5, "bad_date"),
        (6, "missing_field"),
    ]
    raw = conn.execute("select raw_text from raw.quarantine where line_no = 5").fetchone()[0]
    assert '"Дата поступления": "вчера"' in raw  # the row as read, for whoever fixes the export


def test_files_that_cannot_be_read_each_become_one_quarantine_row(conn, tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with zipfile.ZipFile(tmp_path / "zip.xlsx", "w") as z:
        z.writestr("data.csv", "Номер сообщения;Дата создания\n")
    xlsx(tmp_path / "headers.xlsx", [["Номер", "Создано"], ["1", "01.01.2025"]])
    xlsx(tmp_path / "only-header.xlsx", [["Выгрузка"], HEADER])
    xlsx(tmp_path / "blank.xlsx", [])
    expected = {
        "empty.xlsx": "empty_file",
        "old.xlsx": "not_xlsx",
        "zip.xlsx": "not_xlsx",
        "headers.xlsx": "no_header",
        "only-header.xlsx": "no_rows",
        "blank.xlsx": "empty_file",
    }
    for name, code in expected.items():
        report = load_pos_file(conn, tmp_path / name)
        assert (report.lines_read, report.loaded, report.quarantined, report.reasons) == (1, 0, 1, {code: 1}), name
        [(sheet, line_no, key, reason_code, reason)] = batch(conn, report)
        assert (sheet, line_no, key, reason_code) == (None, None, None, code) and reason, name
        assert load_pos_file(conn, tmp_path / name).skipped_file  # recognised by its hash next time
    head = conn.execute("select raw_bytes from raw.quarantine where origin like '%old.xlsx'").fetchone()[0]
    assert bytes(head[:8]) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert conn.execute("select count(*) from raw.source_rows").fetchone()[0] == 0


def test_a_sheet_broken_half_way_keeps_nothing_of_the_file(conn, tmp_path):
    good = xlsx(
        tmp_path / "incidents.xlsx",
        [["ID инцидента", "Дата создания"], ["IM-1", "01.03.2025"], ["IM-2", "02.03.2025"]],
        title="Инциденты",
    )
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<row r="3"', b'<row r="3"><c r="A3" t="n"><v>x</v></c></row><row r="4"')
            out.writestr(item, data)
    report = load_incident_file(conn, broken)
    assert report.reasons == {"read_error": 1} and report.loaded == 0
    assert "row 2" in batch(conn, report)[0][4]
    assert load_incident_file(conn, good).loaded == 2  # the good file is untouched by the failure before it
