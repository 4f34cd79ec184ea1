"""One alert run after a build: the new alerts per body, e-mailed and written as files, then logged.

Order matters for "once per state change": alerts are logged only after their body's mail went out, so a body
whose mail failed is alerted again at the next run while the others are not. A crash between sending and
logging sends those lists again (at least once rather than possibly never). Runs are serialised by a
session advisory lock, so two runs at once cannot both send the same list.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg

from exports.alerts.lists import MOSCOW, BodyList, by_body, log_alerts, new_alerts
from exports.alerts.mail import MailError, MailSettings, compose, send
from exports.alerts.workbook import build_alert_workbook

log = logging.getLogger(__name__)
_LOCK = 746_005  # advisory lock: one alert run at a time
INDEX_COLUMNS = ["agency_code", "agency_name", "due_soon", "overdue", "emailed", "recipients"]


@dataclass(frozen=True)
class BodyResult:
    code: str
    name: str
    due_soon: int
    overdue: int
    file: Path
    recipients: int | None = None  # addresses that accepted the mail; None: not e-mailed
    refused: tuple[str, ...] = ()  # addresses that refused while others accepted
    error: str | None = None  # sending failed: nothing logged, retried at the next run

    @property
    def emailed(self) -> str:
        return "failed" if self.error else ("yes" if self.recipients is not None else "no")


@dataclass(frozen=True)
class AlertReport:
    email_enabled: bool
    as_of: datetime | None  # the build's moment the lists were read at; None when nothing was new
    folder: Path | None  # where this run's files are; None when nothing was new (nothing written)
    bodies: tuple[BodyResult, ...] = ()
    logged: int = 0  # alert rows recorded in reports.deadline_alerts

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.bodies if b.error)

    @property
    def emailed(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.bodies if b.recipients is not None)

    def lines(self) -> list[str]:
        """The run in a few Russian lines, for a log or a summary."""
        mail = "почта включена" if self.email_enabled else "почта выключена (TSUR_SMTP_HOST не задан): только файлы"
        if not self.bodies:
            return [f"Оповещения о сроках: новых нет; {mail}"]
        out = [
            f"Оповещения о сроках: {sum(b.due_soon + b.overdue for b in self.bodies)} новых для "
            f"{len(self.bodies)} органов, файлы в {self.folder}; {mail}"
        ]
        for b in self.bodies:
            if b.error:
                how = f"ошибка отправки ({b.error}), не записано — повтор при следующем запуске"
            elif b.recipients is not None:
                how = f"отправлено, адресов: {b.recipients}"
                how += f", отказали: {len(b.refused)}" if b.refused else ""
            else:
                how = "только файл"
            out.append(f"  {b.code}: истекает срок {b.due_soon}, просрочено {b.overdue} — {how}")
        return out


def send_alerts(
    conn: psycopg.Connection, export_dir: Path, *, now: datetime | None = None, smtp: MailSettings | None = None
) -> AlertReport:
    """Alert each body of its new due-soon and overdue appeals; settings from the environment unless given.

    Each statement runs in its own transaction block (a savepoint if the caller has one open), so in
    autocommit or idle connections the log is committed when this returns.
    """
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError(f"now needs a time zone: {now}")
    settings = smtp if smtp is not None else MailSettings.from_env()
    with conn.transaction():
        conn.execute("select pg_advisory_lock(%s)", (_LOCK,))
    try:
        return _run(conn, Path(export_dir), now, settings)
    finally:
        if not conn.closed:  # a lost connection has released the lock already
            with conn.transaction():
                conn.execute("select pg_advisory_unlock(%s)", (_LOCK,))


def _run(conn: psycopg.Connection, export_dir: Path, now: datetime, settings: MailSettings) -> AlertReport:
    with conn.transaction():
        alerts = new_alerts(conn)
    if not alerts:
        return AlertReport(settings.enabled, None, None)
    as_of = max(a.as_of for a in alerts)
    day = as_of.astimezone(MOSCOW).date()
    folder = _new_folder(export_dir / "alerts", day)
    results, to_log, reached = [], [], {}
    for body in by_body(alerts):
        result = _deliver(body, folder, day, as_of, now, settings)
        results.append(result)
        if result.error:
            log.warning("alerts for %s not sent (%s); left for the next run", body.code, result.error)
            continue
        to_log += body.alerts
        reached[body.code] = result.recipients
        log.info(
            "alerts for %s: %d due soon, %d overdue, e-mailed: %s",
            body.code,
            body.due_soon,
            body.overdue,
            result.emailed,
        )
    _write_index(folder / "index.csv", results)
    logged = log_alerts(conn, to_log, now=now, recipients=reached) if to_log else 0
    return AlertReport(settings.enabled, as_of, folder, tuple(results), logged)


def _deliver(
    body: BodyList, folder: Path, day: date, as_of: datetime, now: datetime, settings: MailSettings
) -> BodyResult:
    """Write the body's file, then mail it to the body's addresses if mail is on and it has any."""
    stem = _file_stem(body.code)
    data = build_alert_workbook(body, as_of=as_of)
    path = folder / f"{stem}.xlsx"
    _write_atomically(path, data)
    result = BodyResult(body.code, body.name, body.due_soon, body.overdue, path)
    to = settings.recipients.get(body.code, ()) if settings.enabled else ()
    if not to:
        return result
    message = compose(
        body,
        to=to,
        sender=settings.sender,
        as_of=as_of,
        now=now,
        attachment=data,
        filename=f"kontrol-srokov_{day.isoformat()}_{stem}.xlsx",
    )
    try:
        accepted, refused = send(settings, message, to)
    except MailError as exc:
        return BodyResult(body.code, body.name, body.due_soon, body.overdue, path, error=str(exc))
    return BodyResult(body.code, body.name, body.due_soon, body.overdue, path, accepted, tuple(refused))


def _new_folder(root: Path, day: date) -> Path:
    """<root>/<day>/, or <day>_2/, _3/ … when a run of the same day wrote there: files of a run are never
    overwritten by a later one (they are what the bodies were sent)."""
    root.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        folder = root / (day.isoformat() if n == 1 else f"{day.isoformat()}_{n}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            n += 1


def _file_stem(code: str) -> str:
    # Codes come from the sources: nothing in them may make a path leave the folder.
    return re.sub(r"[^A-Za-z0-9_.-]", "_", code).lstrip(".") or "_"


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # readers never see a half-written file


def _write_index(path: Path, results: list[BodyResult]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(INDEX_COLUMNS)
        writer.writerows([r.code, r.name, r.due_soon, r.overdue, r.emailed, r.recipients or 0] for r in results)
    tmp.replace(path)
