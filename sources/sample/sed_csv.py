"""СЭД registration cards of the sample world: at every month end a CSV (Windows-1251, `;`, CRLF) of the
cards received in the last three months, each with its state at that moment."""

from __future__ import annotations

import csv
import random
from datetime import time, timedelta
from pathlib import Path

from sources.sample.appeal import Appeal
from sources.sample.rubrics import stated
from sources.sample.snapshots import RESULT_TEXT, Damage, InjectedRow, Snapshot, month_end_exports, recent, ru, snapshot
from sources.sample.world import World

COLUMNS = (
    "Рег. номер",
    "Дата поступления",
    "Дата регистрации",
    "Вид обращения",
    "Форма поступления",
    "Код ТОТК",
    "Тематика",
    "Краткое содержание",
    "Корреспондент",
    "Адрес корреспондента",
    "Исполнитель",
    "Срок исполнения",
    "Продлено до",
    "Дата ответа",
    "Результат рассмотрения",
    "Направлено в",
    "Повторное",
    "Коллективное",
)
WINDOW_DAYS = 92
FZ59_DAYS = 30  # 59-ФЗ ст. 12 ч. 1: the answer is due 30 days after registration
DAMAGE = {"bad_date": 2, "missing_field": 2}
DATE_ONLY_SHARE = 0.02  # cards whose clerk typed the registration date without the time
ENCODING = "cp1251"


def result_text(s: Snapshot) -> str:
    """Результат рассмотрения as the card shows it; empty while the letter is being considered."""
    if s.answered_at:
        return RESULT_TEXT[s.result]
    if s.rejected_at or s.closed_at:
        return "Оставлено без ответа автору"
    if s.redirected_to:
        return "Направлено по компетенции"
    return ""


def _yes(flag: object) -> str:
    return "да" if flag else "нет"


def row_of(world: World, appeal: Appeal, s: Snapshot, date_only: bool) -> dict:
    ref = world.reference
    category = stated(ref, appeal.stated, appeal.rubric, appeal.category_code, s.category_code)
    due = s.registered_at + timedelta(days=FZ59_DAYS) if s.registered_at else None
    return {
        "Рег. номер": appeal.appeal_id,
        "Дата поступления": ru(appeal.received_at),
        "Дата регистрации": ru(s.registered_at, with_time=not date_only),
        "Вид обращения": appeal.attrs.get("kind", ""),
        "Форма поступления": appeal.attrs.get("form", ""),
        "Код ТОТК": category.totk or "",
        "Тематика": category.name or "",
        "Краткое содержание": appeal.text,
        "Корреспондент": appeal.author.get("name", ""),
        "Адрес корреспондента": appeal.person.address,
        "Исполнитель": ref.agencies[s.agency_code].name if s.agency_code else "",
        "Срок исполнения": ru(due, with_time=False),
        "Продлено до": ru(s.extended_due_at, with_time=False),
        "Дата ответа": ru(s.answered_at),
        "Результат рассмотрения": result_text(s),
        "Направлено в": ref.agencies[s.redirected_to].name if s.redirected_to else "",
        "Повторное": _yes(appeal.attrs.get("repeated")),
        "Коллективное": _yes(appeal.attrs.get("collective")),
    }


def _write(path: Path, rows: list[dict], kinds: list, injected: list[InjectedRow]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=ENCODING, newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for n, (row, kind) in enumerate(zip(rows, kinds), start=2):
            writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
            if kind:
                injected.append(InjectedRow(path, None, n, kind))


def write_sed_csv(
    world: World, landing: Path, rng: random.Random
) -> tuple[list[Path], dict[Path, int], list[InjectedRow]]:
    """Write the СЭД card exports under `landing/letter/`; (paths, data rows per file, injected rows)."""
    appeals = [a for a in world.appeals if a.channel == "letter"]
    ids = sorted(a.appeal_id for a in appeals)
    date_only = set(rng.sample(ids, max(1, round(len(ids) * DATE_ONLY_SHARE))))
    # The file name carries only the date: the loader reads it as the end of that day.
    moments = month_end_exports(world, time(23, 59, 59))
    damage = Damage(rng, DAMAGE, len(moments))
    paths, counts, injected = [], {}, []
    for i, moment in enumerate(moments):
        rows = []
        for appeal in recent(appeals, moment, WINDOW_DAYS):
            state = snapshot(appeal, moment)
            if state is not None:
                rows.append(row_of(world, appeal, state, appeal.appeal_id in date_only))
        rows.sort(key=lambda r: r["Рег. номер"])
        kinds: list = [None] * len(rows)
        damage.apply(rng, i, rows, kinds, "Рег. номер", "Дата поступления", world.year)
        path = landing / "letter" / f"sed-nao-cards-{moment:%Y-%m-%d}.csv"
        _write(path, rows, kinds, injected)
        paths.append(path)
        counts[path] = len(rows)
    return paths, counts, injected
