"""The package's XLSX: one sheet per table, Russian headers, frozen header row, number formats, widths.

openpyxl stamps the workbook's `modified` property and every zip entry with the current time; the workbook
is written through its ExcelWriter (which keeps our properties) and the zip re-stamped with the period's close,
so the same tables give the same bytes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exports.package.stablezip import stable_workbook
from exports.package.tabular import Table

FORMATS = {"int": "#,##0", "share": "0.0%", "num": "#,##0.00"}
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
CREATOR = "ЦУР Ненецкого автономного округа"


def cell_value(value, kind: str):
    """What a cell holds: numbers as numbers, yes/no in words, nothing for a missing value."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, Decimal) and kind in ("int", "share", "num"):
        return int(value) if kind == "int" else float(value)
    return value


def _width(table: Table, index: int) -> float:
    """Column width from the longest text in it, within sane bounds."""
    column = table.columns[index]
    longest = max([len(column.header)] + [len(_shown(row[index], column.kind)) for row in table.rows])
    return float(min(max(longest + 2, 8), 60))


def _shown(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "share":
        return "100.0%"
    return str(value)


def build_workbook(tables: list[Table], *, title: str, moment: datetime) -> bytes:
    """The workbook as bytes: the same tables, title and moment always give the same bytes."""
    book = Workbook()
    book.remove(book.active)
    fixed = moment.astimezone(UTC).replace(tzinfo=None)
    props = book.properties
    props.creator, props.lastModifiedBy, props.title = CREATOR, CREATOR, title
    props.created = props.modified = fixed
    for table in tables:
        sheet = book.create_sheet(table.sheet)
        sheet.append([c.header for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([cell_value(v, c.kind) for v, c in zip(row, table.columns)])
        for index, column in enumerate(table.columns):
            letter = get_column_letter(index + 1)
            sheet.column_dimensions[letter].width = _width(table, index)
            if column.kind in FORMATS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                    cell.number_format = FORMATS[column.kind]
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    return stable_workbook(book, moment.astimezone(UTC))
