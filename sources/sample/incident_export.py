"""Инцидент Менеджмент exports of the sample world: an XLSX snapshot of incidents at every month end
(incidents of the last two months with their state then), with a parameters sheet beside the data."""

from __future__ import annotations

import random
from datetime import datetime, time
from pathlib import Path

import openpyxl

from sources.sample.appeal import Appeal
from sources.sample.rubrics import stated
from sources.sample.snapshots import (
    Damage,
    InjectedRow,
    Snapshot,
    month_end_exports,
    naive,
    recent,
    ru,
    save_xlsx,
    snapshot,
)
from sources.sample.world import World

COLUMNS = (
    "ID инцидента",
    "Дата создания",
    "Соцсеть",
    "Ссылка",
    "Текст инцидента",
    "Тип инцидента",
    "Группа тем",
    "Тема",
    "Муниципалитет",
    "Населенный пункт",
    "Исполнитель",
    "Статус",
    "Время первого ответа",
    "Дата окончания",
    "Итог",
    "Автор",
)
NETWORK_TEXT = {"VK": "ВКонтакте", "OK": "Одноклассники", "Telegram": "Telegram"}
STATUS_TEXT = {
    "received": "Новый",
    "registered": "В работе",
    "in_progress": "В работе",
    "interim": "В работе",
    "answered": "Ответ дан",
    "closed": "Закрыт",
    "rejected": "Отклонён",
}
SOLVED = {"supported", "measures_taken", "explained", "answered"}
WINDOW_DAYS = 62
DAMAGE = {"bad_date": 2, "missing_field": 2}
TEXT_DATE_SHARE = 0.02  # incidents whose creation time an export writes as text


def outcome(s: Snapshot) -> str | None:
    """Итог: Решено / Не решено once answered, Отложено while only an interim reply was given."""
    if s.answered_at:
        return "Решено" if s.result in SOLVED else "Не решено"
    if s.status == "interim":
        return "Отложено"
    return None


def row_of(world: World, appeal: Appeal, s: Snapshot) -> dict:
    ref = world.reference
    category = stated(ref, appeal.stated, appeal.rubric, appeal.category_code, s.category_code)
    muni = ref.municipalities[appeal.oktmo]
    ended = s.closed_at or s.rejected_at or s.answered_at
    return {
        "ID инцидента": appeal.appeal_id,
        "Дата создания": naive(appeal.received_at),
        "Соцсеть": NETWORK_TEXT[appeal.attrs["social_network"]],
        "Ссылка": appeal.attrs["url"],
        "Текст инцидента": appeal.text,
        "Тип инцидента": appeal.attrs["incident_type"],
        "Группа тем": category.parent,
        "Тема": category.name,
        "Муниципалитет": muni.name,
        "Населенный пункт": muni.settlement,
        "Исполнитель": ref.agencies[s.agency_code].name if s.agency_code else None,
        "Статус": STATUS_TEXT[s.status],
        "Время первого ответа": naive(s.first_response_at),
        "Дата окончания": naive(ended),
        "Итог": outcome(s),
        "Автор": appeal.author.get("name"),
    }


def _write(
    path: Path, moment: datetime, rows: list[dict], kinds: list, text_ids: set, injected: list[InjectedRow]
) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Инциденты")
    sheet.append(list(COLUMNS))
    for n, (row, kind) in enumerate(zip(rows, kinds), start=2):
        values = dict(row)
        if isinstance(values["Дата создания"], datetime) and values["ID инцидента"] in text_ids:
            values["Дата создания"] = values["Дата создания"].strftime("%d.%m.%Y %H:%M:%S")
        sheet.append([values[c] for c in COLUMNS])
        if kind:
            injected.append(InjectedRow(path, "Инциденты", n, kind))
    params = book.create_sheet("Параметры выгрузки")  # a second sheet without the data header
    for line in (
        ["Система", "Инцидент Менеджмент"],
        ["Регион", "Ненецкий автономный округ"],
        ["Сформировано", ru(moment)],
        ["Инцидентов", len(rows)],
    ):
        params.append(line)
    save_xlsx(book, path, moment)


def write_incident_exports(
    world: World, landing: Path, rng: random.Random
) -> tuple[list[Path], dict[Path, int], list[InjectedRow]]:
    """Write the ИМ exports under `landing/incident/`; (paths, data rows per file, injected rows)."""
    appeals = [a for a in world.appeals if a.channel == "incident"]
    ids = sorted(a.appeal_id for a in appeals)
    text_ids = set(rng.sample(ids, max(1, round(len(ids) * TEXT_DATE_SHARE))))
    moments = month_end_exports(world, time(23, 59))
    damage = Damage(rng, DAMAGE, len(moments))
    paths, counts, injected = [], {}, []
    for i, moment in enumerate(moments):
        rows = []
        for appeal in recent(appeals, moment, WINDOW_DAYS):
            state = snapshot(appeal, moment)
            if state is not None:
                rows.append(row_of(world, appeal, state))
        rows.sort(key=lambda r: r["ID инцидента"])
        kinds: list = [None] * len(rows)
        damage.apply(rng, i, rows, kinds, "ID инцидента", "Дата создания", world.year)
        path = landing / "incident" / f"medialogia-im-{moment:%Y-%m-%dT%H%M}.xlsx"
        _write(path, moment, rows, kinds, text_ids, injected)
        paths.append(path)
        counts[path] = len(rows)
    return paths, counts, injected
