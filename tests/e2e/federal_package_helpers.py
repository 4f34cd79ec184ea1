"""What tests/e2e/test_federal_package.py checks the federal package against: the period and sample scale, the
files and sheets a package holds, the indicators compared, the late October events that make revision 2,
file hashes, and October's figures as the event files tell them (tests/oracle_marts.py over a copy of the
events known by the close)."""

import hashlib
import json
from datetime import datetime
from pathlib import Path

from tests.oracle_marts import cell_figures, population, read

SCALE = 0.03
PERIOD = "2025-10"
FILES = {
    "summary.csv",
    "sectors.csv",
    "agencies.csv",
    "problems.csv",
    "deadlines.csv",
    "conflicts.csv",
    "reaction.csv",
    "territories.csv",
    "federal_package.xlsx",
    "summary.png",
    "summary.pdf",
    "summary.html",
    "manifest.json",
}
SHEETS = ["Сводка", "Отрасли", "Ведомства", "Проблемы", "Сроки", "Конфликты", "Реакция", "Территории"]
CHECKED = (
    "incoming",
    "answered",
    "answered_on_time",
    "overdue_open",
    "returned",
    "rated",
    "satisfied",
    "repeated",
    "on_time_share",
    "return_share",
    "satisfaction_share",
    "rating_coverage",
    "completeness",
    "appeals_per_1000",
)
AGENCY = {
    "code": "dsgkhet",
    "name": "Департамент строительства, жилищно-коммунального хозяйства, "
    "энергетики и транспорта Ненецкого автономного округа",
}


def late_events() -> list[dict]:
    """An October appeal nobody had loaded: received, assigned and answered in time, all in October."""

    def event(n, kind, at, **fields):
        return {
            "schema": "appeal-event/1",
            "event_id": f"LATE1-{n}",
            "source": "epgu-pos",
            "channel": "pos",
            "appeal_id": "LATE1",
            "event_type": kind,
            "occurred_at": f"2025-10-{at}:00+03:00",
            **fields,
        }

    return [
        event(
            1,
            "received",
            "14T10:00",
            category={"code": "housing.heating"},
            legal_regime="message",
            due_at="2025-11-13T10:00:00+03:00",
            municipality={"oktmo": "11851000"},
            author={"id": "esia-late-1"},
        ),
        event(2, "assigned", "14T11:00", agency=AGENCY),
        event(3, "answered", "16T12:00", result="measures_taken"),
    ]


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def known_by(landing: Path, damaged: set, close: datetime, out: Path) -> Path:
    """A copy of the event files with only the events that occurred by `close` (what an as-of build reads)."""
    for path in sorted(landing.rglob("*.jsonl")):
        kept = []
        with open(path, "rb") as fh:  # damaged lines are counted as the oracle counts them
            for line_no, raw in enumerate(fh, start=1):
                if (str(path), line_no) in damaged or not raw.strip():
                    continue
                if datetime.fromisoformat(json.loads(raw)["occurred_at"]) <= close:
                    kept.append(raw.rstrip(b"\n") + b"\n")
        target = out / path.relative_to(landing)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"".join(kept))
    return out


def oracle_region(sample, extra: Path | None = None, close: datetime | None = None) -> dict:
    """October's okrug figures as the event files tell them at the close of October (or at `close`)."""
    return cell_figures(oracle_october(sample, extra, close), sum(population()[m] for m in ("11851000", "11811000")))


def oracle_october(sample, extra: Path | None = None, close: datetime | None = None) -> list[dict]:
    """October's appeals as the event files tell them at the close of October (or at `close`)."""
    from exports.package.period import parse_period

    close = close or parse_period(PERIOD).close
    folder = sample["folder"] / f"oracle-{len(list(sample['folder'].glob('oracle-*')))}"
    appeals = read(known_by(sample["landing"], sample["damaged"], close, folder / "sample"), set(), close)
    if extra is not None:
        appeals.update(read(known_by(extra, set(), close, folder / "extra"), set(), close))
    return [a for a in appeals.values() if a["month"].strftime("%Y-%m") == PERIOD]
