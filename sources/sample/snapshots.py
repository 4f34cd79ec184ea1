"""An appeal as a snapshot export shows it at one moment, read from the world's events, and the shared
machinery of the native writers: export moments, damaged extra rows, deterministic XLSX files."""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sources.sample.appeal import MSK, Appeal
from sources.sample.world import World

# ССТУ results as the systems print them; the world's codes come from figures.RESULTS.
RESULT_TEXT = {
    "supported": "Поддержано",
    "measures_taken": "Меры приняты",
    "explained": "Разъяснено",
    "not_supported": "Не поддержано",
    "answered": "Дан ответ автору",
}


@dataclass
class Snapshot:
    """Everything a snapshot export can show about one appeal at one moment."""

    status: str  # received, registered, in_progress, interim, answered, closed, rejected
    category_code: str
    agency_code: str | None = None
    registered_at: datetime | None = None
    due_at: datetime | None = None
    extended_due_at: datetime | None = None
    redirected_to: str | None = None  # agency code of the last redirect
    interim_at: datetime | None = None
    first_response_at: datetime | None = None
    answered_at: datetime | None = None  # the latest answer
    answer_text: str | None = None
    result: str | None = None
    rating: int | None = None
    returns: int = 0
    closed_at: datetime | None = None
    rejected_at: datetime | None = None


def snapshot(appeal: Appeal, moment: datetime) -> Snapshot | None:
    """The appeal as an export taken at `moment` shows it; None before it was received."""
    seen = [e for e in appeal.events if e.occurred_at <= moment]
    if not seen:
        return None
    s = Snapshot("received", appeal.category_code)
    for e in seen:
        f = e.fields
        if f.get("category", {}).get("code"):  # a foreign rubric or none leaves the warehouse code as drawn
            s.category_code = f["category"]["code"]
        if "agency" in f:
            s.agency_code = f["agency"]["code"]
        if e.event_type == "received":
            s.due_at = f.get("due_at")
        elif e.event_type == "registered":
            s.registered_at, s.status = e.occurred_at, "registered"
        elif e.event_type in ("assigned", "redirected"):
            s.status = "in_progress" if s.status in ("received", "registered") else s.status
            if e.event_type == "redirected":
                s.redirected_to, s.due_at = f["agency"]["code"], f.get("due_at", s.due_at)
        elif e.event_type == "deadline_extended":
            s.extended_due_at = f["due_at"]
        elif e.event_type == "interim_answer":
            s.interim_at = s.interim_at or e.occurred_at
            s.status = "interim"
        elif e.event_type == "answered":
            s.answered_at, s.result, s.answer_text, s.status = e.occurred_at, f["result"], f["answer_text"], "answered"
        elif e.event_type == "returned":
            s.returns, s.status = s.returns + 1, "in_progress"
        elif e.event_type == "rated":
            s.rating = f["rating"]
        elif e.event_type == "closed":
            s.closed_at, s.status = e.occurred_at, "closed"
        elif e.event_type == "rejected":
            s.rejected_at, s.status = e.occurred_at, "rejected"
        if e.event_type in ("interim_answer", "answered") and s.first_response_at is None:
            s.first_response_at = e.occurred_at
    return s


def naive(moment: datetime | None) -> datetime | None:
    """A cell value: local (Moscow) wall time without zone, as spreadsheets hold it."""
    return moment.astimezone(MSK).replace(tzinfo=None) if moment else None


def ru(moment: datetime | None, with_time: bool = True, seconds: bool = False) -> str:
    if moment is None:
        return ""
    # A naive value is already Moscow wall time (a cell value); astimezone would read it as the machine's zone.
    local = moment if moment.tzinfo is None else moment.astimezone(MSK)
    return local.strftime("%d.%m.%Y" + (" %H:%M" if with_time else "") + (":%S" if seconds else ""))


def month_end_exports(world: World, at: time) -> list[datetime]:
    """One export at each month end of the year, and a last one the day before the data end."""
    out = []
    for month in range(1, 13):
        first_next = date(world.year + (month == 12), month % 12 + 1, 1)
        out.append(datetime.combine(first_next - timedelta(days=1), at, MSK))
    out.append(datetime.combine(world.data_end.date() - timedelta(days=1), at, MSK))
    return out


def recent(appeals: list[Appeal], moment: datetime, days: int) -> list[Appeal]:
    """The appeals a periodic export holds: received within `days` before `moment`."""
    return [a for a in appeals if moment - timedelta(days=days) < a.received_at <= moment]


@dataclass(frozen=True)
class InjectedRow:
    path: Path
    sheet: str | None
    row: int  # the sheet row or CSV line number, as the loader reports it
    kind: str  # the quarantine reason code the loader should give: bad_date, missing_field


class Damage:
    """Broken extra copies of real rows, spread over a writer's files at random: every real row stays intact,
    so nothing valid is lost."""

    def __init__(self, rng: random.Random, plan: dict[str, int], files: int):
        self.by_file: dict[int, list[str]] = {}
        for kind, total in plan.items():  # the files are drawn once, so the plan does not depend on row counts
            for _ in range(total):
                self.by_file.setdefault(rng.randrange(files), []).append(kind)

    def apply(
        self,
        rng: random.Random,
        file_index: int,
        rows: list[dict],
        kinds: list[str | None],
        id_col: str,
        date_col: str,
        year: int,
    ) -> None:
        """Insert the damaged copies planned for this file into `rows`, their kinds into `kinds`."""
        for kind in self.by_file.get(file_index, []) if rows else []:
            source = rng.randrange(len(rows))
            while kinds[source] is not None:
                source = rng.randrange(len(rows))
            copy = dict(rows[source])
            if kind == "missing_field":
                copy[id_col] = None
            else:
                copy[date_col] = rng.choice((f"30.02.{year} 10:00", f"31.09.{year}", "вчера", "00.13.2025"))
            at = rng.randrange(len(rows) + 1)
            rows.insert(at, copy)
            kinds.insert(at, kind)


_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def save_xlsx(book, path: Path, moment: datetime) -> None:
    """Save a workbook byte-for-byte reproducibly: the export moment as its save time and ZIP entry times."""
    buffer = io.BytesIO()
    book.save(buffer)
    utc = moment.astimezone(MSK).replace(tzinfo=None) - timedelta(hours=3)
    stamp = utc.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    local = moment.astimezone(MSK)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(lambda m: m[1] + stamp + m[2], data)
            info = zipfile.ZipInfo(item.filename, date_time=local.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)
