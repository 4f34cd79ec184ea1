"""Which appeals to alert: the deadline mart's due-soon and overdue appeals not yet logged as alerted.

An alert is keyed by (appeal, state, deadline) in reports.deadline_alerts, so the same state at the next build
is not alerted again, while a new state (due_soon → overdue) or a moved deadline (extension, redirect) is.
Only the mart is read: it holds no personal data, and nothing that does is joined here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg

MOSCOW = ZoneInfo("Europe/Moscow")
UNASSIGNED = "unassigned"  # the pseudo-body of appeals no body holds: the ЦУР duty desk
UNASSIGNED_NAME = "Орган не назначен"
STATE_NAMES = {"due_soon": "срок истекает", "overdue": "просрочено"}
DUE_SOON_WORKING_DAYS = 1

# The state is decided here, from the mart's own columns: answered_late rows are history, not something a body
# can still act on. Rows without a deadline cannot be due or overdue.
_NEW_ALERTS = """
    with current_states as (
        select m.*,
            case m.control_status when 'open_overdue' then 'overdue' else 'due_soon' end as state
        from marts.mart_deadline_control as m
        where m.due_at is not null
            and (m.control_status = 'open_overdue'
                 or (m.control_status = 'open' and m.working_days_left <= %(due_soon_days)s))
    )
    select c.appeal_key, c.source, c.appeal_id, c.state, c.agency_code, c.agency_name, c.category_name,
        c.municipality_name, c.due_at, c.working_days_left, c.overdue_working_days, c._built_as_of
    from current_states as c
    where not exists (
        select 1 from reports.deadline_alerts as a
        where a.appeal_key = c.appeal_key and a.state = c.state and a.due_at = c.due_at
    )
"""


@dataclass(frozen=True)
class Alert:
    appeal_key: str
    source: str
    appeal_id: str
    state: str  # due_soon | overdue
    agency_code: str | None
    agency_name: str | None
    category_name: str | None
    municipality_name: str | None
    due_at: datetime
    working_days_left: int | None
    overdue_working_days: int | None
    as_of: datetime

    @property
    def body(self) -> str:
        return self.agency_code or UNASSIGNED

    @property
    def number(self) -> str:
        """The appeal's number as the body finds it in the source system."""
        return f"{self.source}/{self.appeal_id}"

    @property
    def due_local(self) -> datetime:
        return self.due_at.astimezone(MOSCOW)

    def sort_key(self) -> tuple:
        # Overdue first (the body must act on them now), then by deadline; the key makes the order total.
        return (self.state != "overdue", self.due_at, self.appeal_key)


@dataclass(frozen=True)
class BodyList:
    code: str  # agency code, or UNASSIGNED
    name: str
    alerts: tuple[Alert, ...]

    @property
    def due_soon(self) -> int:
        return sum(a.state == "due_soon" for a in self.alerts)

    @property
    def overdue(self) -> int:
        return sum(a.state == "overdue" for a in self.alerts)


def new_alerts(conn: psycopg.Connection) -> list[Alert]:
    """The alerts of the current mart that were never logged, in a fixed order."""
    rows = conn.execute(_NEW_ALERTS, {"due_soon_days": DUE_SOON_WORKING_DAYS}).fetchall()
    alerts = [Alert(*row) for row in rows]
    return sorted(alerts, key=lambda a: (a.body, *a.sort_key()))


def by_body(alerts: Iterable[Alert]) -> list[BodyList]:
    """One list per body, sorted by code with the unassigned list last."""
    grouped: dict[str, list[Alert]] = {}
    for alert in alerts:
        grouped.setdefault(alert.body, []).append(alert)
    lists = []
    for code in sorted(grouped, key=lambda c: (c == UNASSIGNED, c)):
        members = sorted(grouped[code], key=Alert.sort_key)
        names = sorted({a.agency_name for a in members if a.agency_name})
        # The mart names a body without a code «орган не назначен»; one fixed name keeps the file stable.
        name = UNASSIGNED_NAME if code == UNASSIGNED else (names[0] if names else code)
        lists.append(BodyList(code, name, tuple(members)))
    return lists


def log_alerts(
    conn: psycopg.Connection, alerts: Iterable[Alert], *, now: datetime, recipients: Mapping[str, int | None]
) -> int:
    """Record alerts as sent, in one transaction; `recipients` per body: addresses reached (None: file)."""
    rows = [
        (
            a.appeal_key,
            a.state,
            a.due_at,
            a.agency_code,
            now,
            a.as_of,
            recipients.get(a.body) is not None,
            recipients.get(a.body) or 0,
        )
        for a in alerts
    ]
    with conn.transaction(), conn.cursor() as cur:
        # do nothing on conflict: a row another run logged meanwhile is the same alert, already recorded.
        cur.executemany(
            "insert into reports.deadline_alerts (appeal_key, state, due_at, agency_code, first_alerted_at,"
            " as_of, emailed, recipients) values (%s, %s, %s, %s, %s, %s, %s, %s)"
            " on conflict (appeal_key, state, due_at) do nothing",
            rows,
        )
    return len(rows)
