"""Pure parts of the federal package: periods, the schedule's day, deterministic files, revision diffs."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from exports.package import charts, csvs, html, workbook
from exports.package.period import is_package_day, nth_working_day, parse_period, previous_month
from exports.package.revisions import Revision, diff_markdown, package_diff, table_diff
from exports.package.stablezip import stable_zip
from exports.package.tables import Column, Table

MSK = ZoneInfo("Europe/Moscow")
CLOSE = datetime(2025, 11, 1, tzinfo=MSK)


def summary_table(answered=2, share="0.5000") -> Table:
    return Table(
        "Сводка",
        "summary",
        (
            Column("indicator", "Код"),
            Column("indicator_name", "Показатель"),
            Column("unit", "Единица"),
            Column("value", "Значение", "num"),
        ),
        ("indicator",),
        (
            ("incoming", "Поступило", "обращений", Decimal(4)),
            ("answered", "Получили ответ", "обращений", Decimal(answered)),
            ("on_time_share", "Доля ответов в срок", "доля (0–1)", Decimal(share)),
        ),
    )


def agencies_table() -> Table:
    return Table(
        "Ведомства",
        "agencies",
        (
            Column("agency_code", "Код"),
            Column("agency_name", "Орган"),
            Column("incoming", "Поступило", "int"),
            Column("on_time_share", "Доля в срок", "share"),
            Column("is_priority", "Приоритет"),
        ),
        ("agency_code",),
        (("a", "Орган А", 3, Decimal("0.6667"), True), ("b", "Орган Б", 1, None, False)),
    )


def test_periods_month_and_iso_week():
    month = parse_period("2025-10")
    assert (month.kind, month.start, month.close, month.suffix) == (
        "month",
        datetime(2025, 10, 1, tzinfo=MSK),
        CLOSE,
        "asof_2025_10",
    )
    week = parse_period("2025-W43")  # Monday 20 October to Monday 27 October
    assert (week.start.date(), week.end.date(), week.suffix, week.month) == (
        date(2025, 10, 20),
        date(2025, 10, 27),
        "asof_2025_w43",
        date(2025, 10, 1),
    )
    assert parse_period("2025-W44").month == date(2025, 11, 1)  # 27 Oct – 2 Nov ends in November
    for bad in ("2025-13", "2025-W54", "2025-Q4", "10-2025", ""):
        with pytest.raises(ValueError):
            parse_period(bad)


@pytest.mark.parametrize(
    "year, month, second",
    [
        (2025, 1, date(2025, 1, 10)),  # new-year holidays to 8 January: 9th is the first working day
        (2025, 5, date(2025, 5, 6)),  # 1–4 May off, Monday 5th first
        (2025, 11, date(2025, 11, 5)),  # Saturday 1 November worked, 3–4 November off
        (2025, 12, date(2025, 12, 2)),
        (2026, 1, date(2026, 1, 13)),  # off until Sunday 11 January
    ],
)
def test_second_working_day_by_the_production_calendar(year, month, second):
    assert nth_working_day(year, month, 2) == second
    assert is_package_day(second)
    assert not is_package_day(date(year, month, 1)) or second == date(year, month, 1)
    assert previous_month(second) == f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"


def test_stable_zip_depends_on_contents_only():
    def archive(order):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for name in order:
                z.writestr(name, f"content of {name}")
        return out.getvalue()

    first = stable_zip(archive(["a.xml", "b.xml"]), CLOSE)
    assert first == stable_zip(archive(["a.xml", "b.xml"]), CLOSE)
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 11, 1, 0, 0, 0)}
        assert z.read("b.xml") == b"content of b.xml"
    assert stable_zip(archive(["a.xml", "b.xml"]), datetime(2025, 12, 1)) != first


def test_workbook_is_deterministic_and_readable(tmp_path):
    tables = [summary_table(), agencies_table()]
    data = workbook.build_workbook(tables, title="Отчет", moment=CLOSE)
    assert data == workbook.build_workbook(tables, title="Отчет", moment=CLOSE)
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    book = load_workbook(path)
    assert book.sheetnames == ["Сводка", "Ведомства"]
    sheet = book["Ведомства"]
    assert [c.value for c in sheet[1]] == ["Код", "Орган", "Поступило", "Доля в срок", "Приоритет"]
    assert [c.value for c in sheet[2]] == ["a", "Орган А", 3, 0.6667, "да"]
    assert sheet["D2"].number_format == "0.0%" and sheet["C2"].number_format == "#,##0"
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width >= len("Орган А")
    assert book.properties.creator == workbook.CREATOR
    assert book.properties.modified == datetime(2025, 10, 31, 21, 0)  # the close, in UTC


def test_charts_and_html_are_deterministic():
    trend = {
        "months": [date(2025, 9, 1), date(2025, 10, 1)],
        "volume": {"ЖКХ": {date(2025, 9, 1): 3.0, date(2025, 10, 1): 5.0}},
        "region": {"satisfaction_share": {date(2025, 10, 1): 0.5}, "on_time_share": {}},
    }
    problems = Table(
        "Проблемы",
        "problems",
        (
            Column("category_code", "К"),
            Column("category_name", "Категория"),
            Column("problem_code", "П"),
            Column("incoming", "Поступило", "int"),
        ),
        ("category_code", "problem_code"),
        (("h.heat", "Тепло", "", 4),),
    )
    renders = [charts.render(charts.summary_figure("Отчет", trend, agencies_table(), problems)) for _ in range(2)]
    assert renders[0] == renders[1]
    png, pdf = renders[0]
    assert png.startswith(b"\x89PNG") and b"Software" not in png
    assert pdf.startswith(b"%PDF") and b"CreationDate" not in pdf
    page = html.summary_html("Отчет", "на 01.11.2025", png, summary_table())
    assert page == html.summary_html("Отчет", "на 01.11.2025", png, summary_table())
    assert b"data:image/png;base64," in page and b"50.0%" in page


def test_diff_lists_changed_indicators_from_and_to(tmp_path):
    old = tmp_path / "r1"
    old.mkdir()
    (old / "summary.csv").write_bytes(csvs.table_csv(summary_table()))
    new = summary_table(answered=4, share="0.7500")
    assert table_diff(new, csvs.read_csv(csvs.table_csv(summary_table())))["changed"] == [
        {
            "key": {"indicator": "answered"},
            "row": "Получили ответ (answered)",
            "column": "value",
            "header": "Значение",
            "from": "2",
            "to": "4",
        },
        {
            "key": {"indicator": "on_time_share"},
            "row": "Доля ответов в срок (on_time_share)",
            "column": "value",
            "header": "Значение",
            "from": "0.5000",
            "to": "0.7500",
        },
    ]
    manifest = {
        "files": {"summary.csv": {"sha256": "x"}, "summary.png": {"sha256": "p"}},
        "data_version": {"batch_hwm": 1},
    }
    diff = package_diff(
        [new],
        Revision(1, old, manifest),
        {"summary.csv": "y", "summary.png": "q"},
        period="2025-10",
        revision=2,
        batch_hwm=2,
    )
    assert (diff["from_revision"], diff["to_revision"], diff["other_files_changed"]) == (1, 2, ["summary.png"])
    text = diff_markdown(diff).decode()
    assert "Получили ответ (answered): Значение: 2 → 4" in text and "0.5000 → 0.7500" in text
