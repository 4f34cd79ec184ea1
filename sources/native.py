"""What every tabular connector (ПОС, ИМ, СЭД) does the same way: one file → one batch of raw.source_rows.

A row becomes a Record through `SnapshotJudge`; a file that cannot be read at all becomes a batch with
one quarantine row (line_no null) that says why, so it is reported and recognised by its hash later.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from sources.files import file_sha256
from sources.headers import header_map
from sources.loader import BatchReport, Record, already_loaded, load_records
from sources.snapshot import SOURCE_ROWS, SnapshotJudge
from sources.spreadsheets import open_tabular
from sources.tabular import FileProblem, Opened

FILE_HEAD_BYTES = 1024  # what a file-level quarantine row keeps of the file, for whoever looks into it


@dataclass(frozen=True)
class Connector:
    kind: str  # pos, incident, letter: also the landing sub-folder
    channel: str
    source: str  # the default source code
    loader: str
    mapping: str  # sources/mappings/<mapping>.yaml


CONNECTORS = {
    "pos": Connector("pos", "pos", "epgu-pos", "pos_export", "pos"),
    "incident": Connector("incident", "incident", "medialogia-im", "incident_export", "incident"),
    "letter": Connector("letter", "letter", "sed-nao", "sed_letters", "sed"),
}

_ISO_STAMP = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T_ ](\d{2})[-:.]?(\d{2})(?:[-:.]?(\d{2}))?)?(?!\d)")
_RU_STAMP = re.compile(r"(?<!\d)(\d{2})\.(\d{2})\.(\d{4})(?!\d)")


def moment_from_name(name: str, tz: str) -> tuple[datetime, bool] | None:
    """The last date(-time) written in a file name, local to `tz`; (moment, date only?).
    A date without time means the end of that day: nothing in the export can be later."""
    found: list[tuple[int, int, int, int | None, int | None, int | None]] = []
    for m in _ISO_STAMP.finditer(name):
        found.append((int(m[1]), int(m[2]), int(m[3]), *(int(g) if g else None for g in m.groups()[3:])))
    for m in _RU_STAMP.finditer(name):
        found.append((int(m[3]), int(m[2]), int(m[1]), None, None, None))
    for year, month, day, hour, minute, second in reversed(found):
        try:
            moment = datetime(year, month, day, hour or 0, minute or 0, second or 0)
        except ValueError:
            continue
        if hour is None:
            return datetime.combine(moment.date(), time(23, 59, 59), ZoneInfo(tz)), True
        return moment.replace(tzinfo=ZoneInfo(tz)), False
    return None


def export_moment(
    path: Path, explicit: datetime | None, modified: datetime | None, tz: str
) -> tuple[datetime, list[str]]:
    """When the snapshot was taken: given, else from the name, else the workbook's save time, else mtime."""
    if explicit is not None:
        return (explicit if explicit.tzinfo else explicit.replace(tzinfo=ZoneInfo(tz))), []
    named = moment_from_name(path.name, tz)
    if named:
        return named[0], ["exported_at_end_of_day"] if named[1] else []
    if modified is not None:
        return modified, ["exported_at_from_properties"]
    mtime = datetime.fromtimestamp(os.stat(path).st_mtime, UTC).replace(microsecond=0)
    return mtime, ["exported_at_from_mtime"]


def cell_text(value: object) -> object:
    """A cell as it goes into `payload`: dates as ISO text, everything else as read."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _rows(opened: Opened, judge: SnapshotJudge, exported_at: datetime, flags: list[str]) -> Iterator[Record]:
    count = 0
    for table in opened.tables:
        id_col = next((i for i, f in table.columns.items() if f == "appeal_id"), None)
        for row in table.rows:
            count += 1
            payload = {
                h: cell_text(row.values[i]) if i < len(row.values) else None for i, h in enumerate(table.headers)
            }
            for i in range(len(table.headers), len(row.values)):  # cells beyond the header: keep them too
                if row.values[i] not in (None, ""):
                    payload[f"column_{i + 1}"] = cell_text(row.values[i])
            if row.problem:
                code, reason = row.problem
                key = row.values[id_col] if id_col is not None and id_col < len(row.values) else None
                yield Record(
                    row.number,
                    json.dumps(payload, ensure_ascii=False, default=str),
                    reason_code=code,
                    reason=reason,
                    sheet=table.sheet,
                    record_key=f"{judge.source}/{key}" if key not in (None, "") else None,
                )
                continue
            fields = {f: row.values[i] if i < len(row.values) else None for i, f in table.columns.items()}
            yield judge.judge(
                fields=fields,
                payload=payload,
                exported_at=exported_at,
                line_no=row.number,
                sheet=table.sheet,
                flags=flags,
            )
    if count == 0:
        raise FileProblem("no_rows", "the header is there but no data rows follow it")


def _file_batch(
    conn: psycopg.Connection, connector: Connector, path: Path, sha: str, source: str, problem: FileProblem, force: bool
) -> BatchReport:
    with open(path, "rb") as fh:
        head = fh.read(FILE_HEAD_BYTES)
    record = Record(None, None, reason_code=problem.code, reason=problem.reason, raw_bytes=head)
    return load_records(
        conn,
        SOURCE_ROWS,
        [record],
        loader=connector.loader,
        origin=str(path),
        origin_sha256=sha,
        source=source,
        force=force,
    )


def load_table_file(
    conn: psycopg.Connection,
    path: Path,
    connector: Connector,
    *,
    source: str | None = None,
    exported_at: datetime | None = None,
    force: bool = False,
    tz: str = "Europe/Moscow",
    future_tolerance_hours: float = 24,
) -> BatchReport:
    """Load one export as one batch; a file loaded before (same sha256 for this loader) is skipped."""
    path = Path(path)
    source = source or connector.source
    sha = file_sha256(path)
    with conn.transaction():  # its own transaction: a bare select would leave one open around the load
        if not force and already_loaded(conn, connector.loader, sha):
            return BatchReport(origin=str(path), skipped_file=True)
    hmap = header_map(connector.mapping, source)
    try:
        opened = open_tabular(path, hmap)
    except FileProblem as problem:
        return _file_batch(conn, connector, path, sha, source, problem, force)
    try:
        when, flags = export_moment(path, exported_at, opened.modified, tz)
        judge = SnapshotJudge(
            source=source,
            channel=connector.channel,
            origin=str(path),
            tz=tz,
            future_tolerance_hours=future_tolerance_hours,
        )
        return load_records(
            conn,
            SOURCE_ROWS,
            _rows(opened, judge, when, flags),
            loader=connector.loader,
            origin=str(path),
            origin_sha256=sha,
            source=source,
            force=force,
            blank_lines=lambda: opened.blank_rows,
        )
    except FileProblem as problem:  # found mid-file: that load was rolled back, the file is kept whole
        return _file_batch(conn, connector, path, sha, source, problem, force)
    finally:
        opened.close()
