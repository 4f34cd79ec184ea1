"""The review loop: a worklist for operators (with the texts, so it is a restricted file), and their decisions
back into the raw log as `categorized` events, which outrank every other way of categorising in the build.

    export_worklist(conn, path)      → XLSX: the review queue with texts, guesses, a column for the decision
    import_decisions(conn, path, …)  → appeal-event/1 `categorized` events (who, when, from → to), loaded
                                       like any events file; importing the same file again adds nothing
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import psycopg
from openpyxl.worksheet.datavalidation import DataValidation

from sources.classify import reference, store
from sources.events import load_event_file

SHEET, CATEGORIES, ABOUT = "Разметка", "Категории", "Сведения"
HEADERS = (
    "Обращение",
    "Канал",
    "Поступило",
    "Рубрика источника",
    "Текст",
    "Сейчас",
    "Вариант 1",
    "Уверенность 1",
    "Вариант 2",
    "Уверенность 2",
    "Вариант 3",
    "Уверенность 3",
    "Решение (код категории)",
    "Оператор",
)
DECISION, OPERATOR = HEADERS.index("Решение (код категории)"), HEADERS.index("Оператор")
_QUEUE = """
select q.appeal_key, q.source, q.appeal_id, q.channel, q.received_at, q.category_code,
    q.guess_1_code, q.guess_1_confidence, q.guess_2_code, q.guess_2_confidence, q.guess_3_code, q.guess_3_confidence
from marts.mart_classification_review as q
order by q.received_at desc, q.appeal_key
limit %(limit)s
"""
_TEXTS = "select source, appeal_id, rubric, text from ({}) as i".format(store.inputs_sql("%(keys)s::text[]"))


def export_worklist(conn: psycopg.Connection, path: Path, limit: int = 500) -> int:
    """Write the newest `limit` appeals of the review queue with their texts; returns the rows written."""
    ref = reference.load()
    queue = conn.execute(_QUEUE, {"limit": limit}).fetchall()
    keys = [row[0] for row in queue]
    texts = {
        f"{source}/{appeal_id}": (rubric, text)
        for source, appeal_id, rubric, text in conn.execute(_TEXTS, {"keys": keys}).fetchall()
    }
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for key, _, _, channel, received, current, *guesses in queue:
        rubric, text = texts.get(key, (None, None))
        sheet.append(
            [
                key,
                channel,
                received.astimezone(UTC).replace(tzinfo=None),
                rubric,
                text,
                current,
                *[float(g) if g is not None and not isinstance(g, str) else g for g in guesses],
                None,
                None,
            ]
        )
    names = book.create_sheet(CATEGORIES)
    names.append(("Код", "Категория", "Блок"))
    for code in ref.codes:
        names.append((code, ref.names[code], ref.sector_of[code]))
    rule = DataValidation(type="list", formula1=f"='{CATEGORIES}'!$A$2:$A${len(ref.codes) + 1}", allow_blank=True)
    sheet.add_data_validation(rule)
    rule.add(f"M2:M{max(2, len(queue) + 1)}")
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKLMN", (28, 10, 18, 30, 80, 18, 18, 8, 18, 8, 18, 8, 24, 16)):
        sheet.column_dimensions[column].width = width
    about = book.create_sheet(ABOUT)
    worklist_id = hashlib.sha256("|".join(keys).encode()).hexdigest()[:16]
    about.append(("Рабочий лист", worklist_id))
    about.append(("Выгружен (UTC)", datetime.now(UTC).replace(tzinfo=None)))
    about.append(("Строк", len(queue)))
    about.append(
        (
            "Внимание",
            "Содержит тексты обращений (персональные данные, 152-ФЗ): не пересылать, удалить после импорта решений.",
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    os.chmod(path, 0o600)
    return len(queue)


@dataclass
class ImportReport:
    decisions: int = 0
    imported: int = 0
    already: int = 0
    rejected: list[str] = field(default_factory=list)
    events_file: Path | None = None

    def line(self) -> str:
        text = (
            f"decisions {self.decisions}: imported {self.imported}, already imported {self.already}, "
            f"rejected {len(self.rejected)}"
        )
        return text + "".join(f"\n  {r}" for r in self.rejected[:20])


def read_decisions(path: Path) -> tuple[str, list[tuple[int, str, str, str | None]]]:
    """(worklist id, [(row, appeal key, category code, operator)]) of the rows that carry a decision."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    if SHEET not in book.sheetnames:
        raise ValueError(f"{path}: no sheet {SHEET!r}: not a worklist of `tsur review export`")
    rows = book[SHEET].iter_rows(values_only=True)
    header = next(rows, ())
    if tuple(header[: len(HEADERS)]) != HEADERS:
        raise ValueError(f"{path}: the header of sheet {SHEET!r} was changed; expected {', '.join(HEADERS)}")
    about = {r[0]: r[1] for r in book[ABOUT].iter_rows(values_only=True)} if ABOUT in book.sheetnames else {}
    decisions = [
        (n, str(r[0]).strip(), str(r[DECISION]).strip(), str(r[OPERATOR]).strip() if r[OPERATOR] else None)
        for n, r in enumerate(rows, start=2)
        if r and r[0] and r[DECISION] and str(r[DECISION]).strip()
    ]
    return str(about.get("Рабочий лист") or hashlib.sha256(path.read_bytes()).hexdigest()[:16]), decisions


def import_decisions(
    conn: psycopg.Connection, path: Path, out_dir: Path, operator: str | None = None, now: datetime | None = None
) -> ImportReport:
    """Turn the filled-in worklist into `categorized` events and load them."""
    ref = reference.load()
    worklist, decisions = read_decisions(path)
    now = now or datetime.now(UTC)
    report = ImportReport(decisions=len(decisions))
    current = {
        key: (channel, code)
        for key, channel, code in conn.execute(
            "select appeal_key, channel, category_code from marts.fct_appeals where appeal_key = any(%s)",
            ([d[1] for d in decisions],),
        ).fetchall()
    }
    events = []
    for row, key, code, who in decisions:
        who = who or operator
        if code not in ref.sector_of:
            report.rejected.append(f"row {row}: {code!r} is not a category code (sheet {CATEGORIES})")
        elif key not in current:
            report.rejected.append(f"row {row}: no appeal {key!r} in marts.fct_appeals")
        elif not who:
            report.rejected.append(f"row {row}: no operator: fill the column or pass --operator")
        else:
            source, appeal_id = key.split("/", 1)
            event_id = "review-" + hashlib.sha256(f"{key}|{code}|{who}|{worklist}".encode()).hexdigest()[:24]
            events.append(
                {
                    "schema": "appeal-event/1",
                    "event_id": event_id,
                    "source": source,
                    "channel": current[key][0],
                    "appeal_id": appeal_id,
                    "event_type": "categorized",
                    "occurred_at": now.isoformat(timespec="seconds"),
                    "category": {"code": code, "name": ref.names[code]},
                    "attrs": {
                        "review": {
                            "operator": who,
                            "from": current[key][1],
                            "to": code,
                            "worklist": worklist,
                            "row": row,
                        }
                    },
                }
            )
    known = {
        (s, e)
        for s, e in conn.execute(
            "select source, event_id from raw.appeal_events where event_id = any(%s)",
            ([e["event_id"] for e in events],),
        ).fetchall()
    }
    fresh = [e for e in events if (e["source"], e["event_id"]) not in known]
    report.already = len(events) - len(fresh)
    if fresh:
        out_dir.mkdir(parents=True, exist_ok=True)
        report.events_file = out_dir / f"decisions-{worklist}-{now.strftime('%Y%m%dT%H%M%S')}.jsonl"
        with open(report.events_file, "w", encoding="utf-8") as fh:
            for e in fresh:
                fh.write(json.dumps(e, ensure_ascii=False) + "\n")
        os.chmod(report.events_file, 0o600)
        conn.commit()
        report.imported = load_event_file(conn, report.events_file).loaded
    return report
