"""Bad-input cases for appeal-event/1 files (landing folder `events`) whose lines are JSON objects with wrong
content: missing fields, wrong types, unknown values, dates without a zone, impossible or in the future, an
answer before the receipt, and event ids repeated within a file or across files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.faults.corpus_kit import Case, event, jsonl


def _soon() -> str:
    # Inside the tolerance (24 h): an event stamped a little ahead of the loader's clock is kept.
    return (datetime.now(UTC) + timedelta(hours=1)).isoformat(timespec="seconds")


ANSWERED_EARLY = [
    event("abr-1", "A-ABR", at="2025-03-10T10:00:00+03:00", category={"code": "ЖКХ"}),
    event("abr-2", "A-ABR", "answered", "2025-03-05T10:00:00+03:00", result="explained"),
]

FIELD_CASES = [
    Case(
        "jsonl_missing",
        "нет обязательных полей",
        "events",
        "missing.jsonl",
        jsonl(
            event("mi-1"),
            {k: v for k, v in event("mi-2").items() if k != "occurred_at"},
            {k: v for k, v in event("mi-3").items() if k != "appeal_id"},
        ),
        read=3,
        loaded=1,
        quarantined=2,
        reasons={"missing_field": 2},
        words=("occurred_at", "appeal_id"),
        keys=("mi-1",),
    ),
    Case(
        "jsonl_types",
        "неверные типы",
        "events",
        "types.jsonl",
        jsonl(event("ty-1", "A-2", "rated", rating="пять"), event("ty-2", at=20250303), event(17), event("ty-4")),
        read=4,
        loaded=1,
        quarantined=3,
        reasons={"wrong_type": 3},
        words=("rating", "occurred_at"),
        keys=("ty-4",),
    ),
    Case(
        "jsonl_unknown",
        "неизвестный канал и тип события",
        "events",
        "unknown.jsonl",
        jsonl(event("un-1", channel="fax"), event("un-2", kind="liked"), event("un-3")),
        read=3,
        loaded=1,
        quarantined=2,
        reasons={"unknown_value": 2},
        words=("channel", "event_type"),
        keys=("un-3",),
    ),
    Case(
        "jsonl_no_zone",
        "даты без часового пояса",
        "events",
        "nozone.jsonl",
        jsonl(event("nz-1", "A-NZ", at="2025-03-03T10:00:00"), event("nz-2", "A-NZ", "registered", "2025-03-03 11:00")),
        read=2,
        loaded=2,
        quarantined=0,
        keys=("nz-1", "nz-2"),
    ),
    Case(
        "jsonl_impossible",
        "невозможные даты",
        "events",
        "impossible.jsonl",
        jsonl(
            event("im-1", at="2025-02-30T10:00:00+03:00"),
            event("im-2", at="2025-13-01T10:00:00+03:00"),
            event("im-3", at="2025-03-03T25:00:00+03:00"),
            event("im-4", at="2025-03-03T10:00:00+25:00"),
            event("im-5", due_at="2025-04-31T18:00:00+03:00"),
            event("im-6", at="вчера"),
        ),
        read=6,
        loaded=0,
        quarantined=6,
        reasons={"bad_date": 6},
        words=("impossible", "not an RFC 3339"),
    ),
    Case(
        "jsonl_future",
        "даты в будущем",
        "events",
        "future.jsonl",
        lambda path: jsonl(event("fu-1", "A-FU", at="2099-01-01T10:00:00+03:00"), event("fu-2", "A-FU", at=_soon()))(
            path
        ),
        read=2,
        loaded=1,
        quarantined=1,
        reasons={"future_date": 1},
        words=("in the future",),
        keys=("fu-2",),
    ),
    Case(
        "jsonl_answer_before_receipt",
        "ответ раньше поступления (события)",
        "events",
        "answered-early.jsonl",
        jsonl(*ANSWERED_EARLY),
        read=2,
        loaded=2,
        quarantined=0,
        keys=("abr-1", "abr-2"),
    ),
    Case(
        "jsonl_duplicates",
        "повтор event_id с другим содержанием",
        "events",
        "dup.jsonl",
        jsonl(event("du-1"), event("du-1"), event("du-1", kind="registered"), event("du-2", kind="closed")),
        read=4,
        loaded=2,
        duplicates=1,
        quarantined=1,
        reasons={"conflict": 1},
        words=("earlier in this input with other content (line 1)",),
        keys=("du-1", "du-2"),
    ),
    Case(
        "jsonl_duplicates_across_files",
        "повтор event_id из другого файла",
        "events",
        "dup-later.jsonl",
        jsonl(event("du-2", kind="rejected"), event("du-1"), event("du-3")),
        read=3,
        loaded=1,
        duplicates=1,
        quarantined=1,
        reasons={"conflict": 1},
        words=("loaded before with other content",),
        keys=("du-3",),
    ),
]
