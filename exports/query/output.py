"""What `tsur query` hands over: a text table, CSV or an Excel sheet, with periods as dates."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from exports.query.engine import Answer


def cell(value):
    """Periods are midnights of their first day: show the day; MetricFlow's float shares keep 4 digits."""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def rows_of(answer: Answer, metrics: list[str]) -> list[tuple]:
    """Rows as shown; rows where every metric is empty (periods MetricFlow's outer joins add) are left out."""
    at = [answer.columns.index(m) for m in metrics if m in answer.columns]
    kept = [r for r in answer.rows if not at or any(r[i] is not None for i in at)]
    return [tuple(cell(v) for v in r) for r in kept]


def write_csv(path: Path, columns: list[str], rows: list[tuple]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)


def write_xlsx(path: Path, columns: list[str], rows: list[tuple], labels: dict[str, str]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Запрос"
    sheet.append([labels.get(c, c) for c in columns])
    sheet.append(columns)  # codes under the labels, for formulas and re-import
    for cell_ in sheet[1]:
        cell_.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    book.save(path)


def text_table(columns: list[str], rows: list[tuple], limit: int = 200) -> str:
    shown = [[("" if v is None else str(v)) for v in r] for r in rows[:limit]]
    widths = [max([len(c)] + [len(r[i]) for r in shown]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in shown]
    if len(rows) > limit:
        lines.append(f"… ещё {len(rows) - limit} строк (--csv или --xlsx выгрузят все)")
    return "\n".join(lines)
