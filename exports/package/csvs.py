"""The package's tables as UTF-8 CSV: machine-readable twins of the workbook's sheets."""

from __future__ import annotations

import csv
import io

from exports.package.tabular import Table


def csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def table_csv(table: Table) -> bytes:
    """Header of column names, then the rows in the table's order; \\n line ends, so bytes never vary."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    writer.writerows([csv_text(v) for v in row] for row in table.rows)
    return out.getvalue().encode("utf-8")


def read_csv(data: bytes) -> list[dict[str, str]]:
    """A package CSV back as rows of text (to compare revisions)."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
