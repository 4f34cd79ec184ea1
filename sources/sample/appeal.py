"""An appeal of the simulated year as data: its events, and its state at any moment (`Appeal.state_at`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sources.sample import people

MSK = ZoneInfo("Europe/Moscow")
DAY = timedelta(days=1)
STATUS_AFTER = {
    "received": "received",
    "registered": "registered",
    "assigned": "in_progress",
    "redirected": "in_progress",
    "interim_answer": "in_progress",
    "answered": "answered",
    "returned": "returned",
    "closed": "closed",
    "rejected": "rejected",
}


@dataclass
class SimEvent:
    event_type: str
    occurred_at: datetime  # aware, Europe/Moscow
    fields: dict[str, Any] = field(default_factory=dict)  # contract fields it carries; datetimes as datetimes


@dataclass(frozen=True)
class AppealState:
    status: str  # received, registered, in_progress, answered, returned, closed, rejected
    category_code: str
    agency_code: str | None
    due_at: datetime | None  # the deadline the source stated, if any
    result: str | None
    rating: int | None
    answered_at: datetime | None
    events: int


@dataclass
class Appeal:
    source: str
    channel: str
    legal_regime: str
    sector_code: str
    category_code: str  # as received; `categorized` events may correct it, the last one wins
    oktmo: str
    person: people.Person = field(repr=False)
    author: dict
    address: str | None
    location: tuple[float, float] | None
    text: str
    attrs: dict
    received_at: datetime
    theme: str | None = None
    repeat_of: Appeal | None = field(default=None, repr=False, compare=False)
    stated: str = "code"  # how the source states the category: code | rubric | none (sample/rubrics.py)
    rubric: tuple[str, str] | None = None  # (group, topic) of a foreign rubricator
    appeal_id: str = ""
    events: list[SimEvent] = field(default_factory=list)

    def state_at(self, moment: datetime) -> AppealState | None:
        """What a snapshot taken at `moment` shows; None before the appeal was received."""
        seen = [e for e in self.events if e.occurred_at <= moment]
        if not seen:
            return None
        status, category, agency, due, result, rating, answered = "received", self.category_code, *[None] * 5
        for e in seen:
            status = STATUS_AFTER.get(e.event_type, status)
            category = e.fields["category"].get("code", category) if "category" in e.fields else category
            agency = e.fields["agency"]["code"] if "agency" in e.fields else agency
            due = e.fields.get("due_at", due)
            result = e.fields.get("result", result)
            rating = e.fields.get("rating", rating)
            answered = e.occurred_at if e.event_type == "answered" else answered
        return AppealState(status, category, agency, due, result, rating, answered, len(seen))
