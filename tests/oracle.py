"""An independent reading of appeal-event/1 files: what the warehouse should say, computed in plain Python.

It shares no code with the loader or the dbt models: JSON is parsed here, lines the sample generator
damaged on purpose are skipped by its own record of them, deadlines come straight from `holidays`.
Where the files state no category code (a foreign rubric, text only), the category is what the classifier
decided: the caller passes those decisions in (`decided`), as given inputs, like a source's own code.
"""

from __future__ import annotations

import csv
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

MSK = ZoneInfo("Europe/Moscow")
ORDER = [
    "received",
    "registered",
    "categorized",
    "assigned",
    "redirected",
    "deadline_extended",
    "interim_answer",
    "answered",
    "returned",
    "rated",
    "closed",
    "rejected",
]
SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "reference"
_RU = holidays.RU(years=range(2020, 2028))


def working(day: date) -> bool:
    return _RU.is_working_day(day)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), MSK)


def add_working_days(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        n -= working(day)
    return day


def roll(day: date) -> date:
    while not working(day):
        day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    return sum(working(start + timedelta(days=i + 1)) for i in range((end - start).days))


@dataclass
class Appeal:
    source: str
    appeal_id: str
    events: list = field(default_factory=list)

    def ordered(self):
        return sorted(self.events, key=lambda e: (e["at"], ORDER.index(e["event_type"]), e["seq"]))

    def fold(self, as_of: datetime, sector_of: dict, decided: dict | None = None) -> dict:
        ev = self.ordered()
        by = defaultdict(list)
        for e in ev:
            by[e["event_type"]].append(e)
        received = by["received"][0]["at"] if by["received"] else ev[0]["at"]
        channel = next(e["channel"] for e in ev)
        regime = next((e["legal_regime"] for e in reversed(ev) if e.get("legal_regime")), None)
        regime = regime or ("fz59" if channel == "letter" else "message")
        category = next((e["category"]["code"] for e in reversed(ev) if e.get("category", {}).get("code")), None)
        category = category or (decided or {}).get(f"{self.source}/{self.appeal_id}")
        stated_due = next((e["due"] for e in reversed(ev) if e.get("due")), None)
        bare_ext = sum(1 for e in by["deadline_extended"] if not e.get("due"))
        registered = by["registered"][0]["at"] if by["registered"] else None
        due = stated_due or self.rule_due(channel, regime, received, registered, bare_ext)
        answers = [e["at"] for e in by["answered"]]
        returns = [e["at"] for e in by["returned"]]
        closes = [e["at"] for e in by["closed"]]
        first_answer = min(answers) if answers else None
        is_answered = bool(answers) and (not returns or max(answers) > max(returns))
        closed = max(closes) if closes and (not returns or max(closes) > max(returns)) else None
        rejected = bool(by["rejected"])
        ratings = [e["rating"] for e in by["rated"] if e.get("rating") is not None]
        rating = ratings[-1] if ratings else None
        overdue = not rejected and (
            (first_answer is not None and first_answer > due) or (not is_answered and closed is None and as_of > due)
        )
        # The catalogue's overdue_open: still in work (no answer in force, not closed) past the deadline.
        overdue_open = not rejected and not is_answered and closed is None and as_of > due
        return {
            "key": f"{self.source}/{self.appeal_id}",
            "channel": channel,
            "regime": regime,
            "sector": sector_of.get(category, "other"),
            "category": category,
            "month": received.astimezone(MSK).date().replace(day=1),
            "received": received,
            "rejected": rejected,
            "first_answer": first_answer,
            "is_answered": is_answered,
            "due": due,
            "on_time": first_answer <= due if first_answer else None,
            "overdue": overdue,
            "overdue_open": overdue_open,
            "rating": rating,
            "satisfied": rating >= 4 if rating is not None else None,
            "answer_hours": (first_answer - received).total_seconds() / 3600 if first_answer else None,
            "answer_working_days": working_days_between(
                received.astimezone(MSK).date(), first_answer.astimezone(MSK).date()
            )
            if first_answer
            else None,
        }

    @staticmethod
    def rule_due(channel, regime, received, registered, bare_ext) -> datetime:
        """The seed's rules, restated: 59-ФЗ 30 days from registration; ПОС 30 days; others 10 working days."""
        if regime == "fz59":
            anchor = (registered or received).astimezone(MSK).date()
            return end_of(roll(anchor + timedelta(days=30 * (1 + bare_ext))))
        if channel == "pos":
            return end_of(roll(received.astimezone(MSK).date() + timedelta(days=30 * (1 + bare_ext))))
        return end_of(add_working_days(received.astimezone(MSK).date(), 10 * (1 + bare_ext)))


def read_appeals(landing: Path, damaged: set[tuple[str, int]]) -> dict[tuple[str, str], Appeal]:
    """Every valid event of the files, first occurrence of each (source, event_id) kept."""
    appeals: dict[tuple[str, str], Appeal] = {}
    seen: set[tuple[str, str]] = set()
    seq = 0
    for path in sorted(landing.rglob("*.jsonl")):
        with open(path, "rb") as fh:
            for line_no, raw in enumerate(fh, start=1):
                if (str(path), line_no) in damaged or not raw.strip():
                    continue
                e = json.loads(raw)
                if (e["source"], e["event_id"]) in seen:
                    continue
                seen.add((e["source"], e["event_id"]))
                seq += 1
                e["seq"] = seq
                e["at"] = datetime.fromisoformat(e["occurred_at"])
                e["due"] = datetime.fromisoformat(e["due_at"]) if e.get("due_at") else None
                appeals.setdefault((e["source"], e["appeal_id"]), Appeal(e["source"], e["appeal_id"])).events.append(e)
    return appeals


def sector_map() -> dict[str, str]:
    with open(SEEDS / "categories.csv", encoding="utf-8") as fh:
        return {row["category_code"]: row["sector_code"] for row in csv.DictReader(fh)}


def expected(
    landing: Path, damaged: set[tuple[str, int]], as_of: datetime, decided: dict[str, str] | None = None
) -> list[dict]:
    sectors = sector_map()
    return [a.fold(as_of, sectors, decided) for a in read_appeals(landing, damaged).values()]


def classifier_decisions(conn) -> dict[str, str]:
    """appeal key → category, for the appeals whose category no source code or operator stated: the one
    input the oracles take from the warehouse (tests/unit and docs/classification.md measure the classifier)."""
    return dict(
        conn.execute(
            "select appeal_key, category_code from marts.fct_appeals"
            " where category_method not in ('source_code', 'operator')"
        ).fetchall()
    )


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
