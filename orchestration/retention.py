"""Text retention (TSUR_TEXT_RETENTION_DAYS): texts of appeals closed longer ago are blanked by the erasure
routine, on a schedule (orchestration/defs/privacy) or by `tsur erase --retention`."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime, timedelta


class RetentionError(Exception):
    """The retention setting cannot be read."""


def retention_days() -> int | None:
    """TSUR_TEXT_RETENTION_DAYS: texts of appeals closed longer ago are blanked; unset: kept."""
    value = os.environ.get("TSUR_TEXT_RETENTION_DAYS", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise RetentionError(f"TSUR_TEXT_RETENTION_DAYS={value!r}: a whole number of days, 1 or more")
    return int(value)


def run_retention(wh, now: datetime | None = None, days: int | None = None):
    """Blank the texts of appeals closed more than the retention period ago; None when none is set."""
    from sources.privacy.erase import erase

    days = days if days is not None else retention_days()
    if days is None:
        return None
    before = (now or datetime.now(UTC)) - timedelta(days=days)
    with wh.connect() as conn:
        return erase(
            conn, "retention", "", before=before, requested_by=operator(), reason=f"срок хранения текстов {days} дн."
        )


def operator() -> str:
    return os.environ.get("TSUR_OPERATOR") or getpass.getuser()
