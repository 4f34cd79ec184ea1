"""Zip archives that depend on their contents only: fixed entry times and attributes, the same order."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

FIXED_ATTR = 0o100644 << 16  # a regular file, rw-r--r--


def zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry's date_time (local wall clock of `moment`, even seconds; zip cannot go before 1980)."""
    moment = max(moment.replace(tzinfo=None), datetime(1980, 1, 1))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second - moment.second % 2)


def stable_zip(data: bytes, moment: datetime) -> bytes:
    """Rewrite a zip archive with every entry stamped `moment`: writers stamp entries with the current time."""
    out = io.BytesIO()
    stamp = zip_time(moment)
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = FIXED_ATTR
            target.writestr(info, source.read(entry.filename), compresslevel=6)
    return out.getvalue()


def stable_workbook(book, moment: datetime) -> bytes:
    """An openpyxl workbook as XLSX bytes that depend on its contents and `moment` only."""
    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # not save_workbook(): it overwrites `modified` with now
    return stable_zip(raw.getvalue(), moment)
