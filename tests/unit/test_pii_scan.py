import hashlib

from openpyxl import Workbook

from tests.pii_scan import PiiScanner, ScanReport, phone_spellings

PEOPLE = {
    "name": {"Канева Анна Петровна", "Канева А.П."},
    "phone": phone_spellings("9115551122"),
    "email": {"anna.kaneva@mail.ru"},
    "address": {"г. Нарьян-Мар, ул. Ленина, д. 5, кв. 3"},
}


def kinds(text: str, scanner: PiiScanner | None = None) -> list[str]:
    return [f.kind for f in (scanner or PiiScanner(PEOPLE)).scan_text(text, "t")]


def test_known_identities_are_found_whatever_the_case():
    assert kinds("Заявитель: КАНЕВА АННА ПЕТРОВНА, тел.") == ["name"]
    assert kinds("(г. Нарьян-Мар, ул. Ленина, д. 5, кв. 3)") == ["address"]
    assert sorted(kinds("Канева А.П., тел. 8 (911) 555 11 22")) == ["name", "phone", "phone_shape"]
    assert sorted(kinds("Anna.Kaneva@Mail.ru")) == ["email", "email_shape"]


def test_shapes_catch_strangers_and_leave_warehouse_values_alone():
    shapes = PiiScanner(shapes=True)
    for stranger in (
        "+7 921 000-00-00",
        "8(921)0000000",
        "89210000000",
        "+79210000000",
        "9210000000",
        "ivan@example.org",
        "кто-то@почта.рф",
    ):
        assert kinds(stranger, shapes), stranger
    key = hashlib.sha256(b"phone:79210000000").hexdigest()
    for harmless in (
        key,
        "11811431",
        "0005.0005.0056.1156",
        "2025-08-01 10:00:00+03",
        "0.9123456789",
        "812.50",
        "hotline-nao/HL-2025-00001",
        "(1,2025-03-01,health,pos,17,0.8824)",
    ):
        assert kinds(harmless, shapes) == [], harmless


def test_files_are_read_by_kind_and_unreadable_ones_are_listed(tmp_path):
    (tmp_path / "a.csv").write_bytes("month;name\n2025-01;Канева Анна Петровна\n".encode("cp1251"))
    book = Workbook()
    book.active.title = "Лист"
    book.active["B7"] = "+7 (911) 555-11-22"
    book.save(tmp_path / "b.xlsx")
    (tmp_path / "c.html").write_text("<td>anna.kaneva&#64;mail.ru</td>", encoding="utf-8")
    (tmp_path / "d.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "clean.csv").write_text("month,incoming\n2025-01,17\n", encoding="utf-8")
    report = PiiScanner(PEOPLE).scan_tree(tmp_path, ScanReport())
    where = {(f.where.split("/")[-1], f.kind) for f in report.findings}
    assert where == {
        ("a.csv line 2", "name"),
        ("b.xlsx:Лист!B7", "phone"),
        ("b.xlsx:Лист!B7", "phone_shape"),
        ("c.html line 1", "email"),
        ("c.html line 1", "email_shape"),
    }
    assert report.files == 4 and [p.split("/")[-1] for p in report.skipped] == ["d.png"]
