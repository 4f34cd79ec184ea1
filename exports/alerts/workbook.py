"""One body's alert list as XLSX: Russian headers, frozen header row, widths, deadlines in Moscow time.

The same list and build moment give the same bytes: workbook properties are stamped with the build's as_of and
the zip entries re-stamped (exports.package.stablezip), as the federal package does.
"""

from __future__ import annotations

from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exports.alerts.lists import STATE_NAMES, Alert, BodyList
from exports.package.stablezip import stable_workbook

CREATOR = "ЦУР Ненецкого автономного округа"
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
SHEET = "Контроль сроков"

# (header, width): fixed widths rather than measured ones, so one long category does not stretch the sheet.
COLUMNS = (
    ("Номер обращения", 24),
    ("Состояние", 16),
    ("Срок ответа (МСК)", 18),
    ("Осталось рабочих дней", 14),
    ("Просрочка, рабочих дней", 14),
    ("Категория", 48),
    ("Муниципальное образование", 40),
)


def alert_row(alert: Alert) -> list:
    """A row as people read it; the deadline a naive Moscow datetime (Excel has no time zones)."""
    return [
        alert.number,
        STATE_NAMES[alert.state],
        alert.due_local.replace(tzinfo=None),
        alert.working_days_left if alert.state == "due_soon" else None,
        alert.overdue_working_days if alert.state == "overdue" else None,
        alert.category_name,
        alert.municipality_name,
    ]


def build_alert_workbook(body: BodyList, *, as_of: datetime) -> bytes:
    """The body's list as XLSX bytes, deterministic for the same list and as_of."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    props = book.properties
    props.creator = props.lastModifiedBy = CREATOR
    props.title = f"Контроль сроков: {body.name}"
    props.created = props.modified = as_of.astimezone(UTC).replace(tzinfo=None)
    sheet.append([header for header, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for alert in body.alerts:
        sheet.append(alert_row(alert))
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.number_format = DATETIME_FORMAT
    sheet.freeze_panes = "A2"
    if body.alerts:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(body.alerts) + 1}"
    return stable_workbook(book, as_of.astimezone(UTC))
