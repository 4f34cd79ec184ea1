"""ПОС exports of the sample world: an XLSX snapshot at every month end (messages of the last three months
with their state then), one CSV export in mid-year, and the imperfections real exports have."""

from __future__ import annotations

import csv
import random
from datetime import datetime, time
from pathlib import Path

import openpyxl

from sources.sample.appeal import MSK, Appeal
from sources.sample.rubrics import stated
from sources.sample.snapshots import (
    RESULT_TEXT,
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
    "Номер сообщения",
    "Дата создания",
    "Дата регистрации",
    "Тип",
    "Категория",
    "Подкатегория",
    "Факт",
    "Текст сообщения",
    "Адрес",
    "Широта",
    "Долгота",
    "ОКТМО",
    "Муниципальное образование",
    "Ответственная организация",
    "Статус",
    "Срок ответа",
    "Дата промежуточного ответа",
    "Дата ответа",
    "Текст ответа",
    "Результат",
    "Оценка",
    "Возвращено на доработку",
    "Ускоренное рассмотрение",
    "Заявитель",
    "Телефон",
    "Электронная почта",
)
STATUS_TEXT = {
    "received": "На модерации",
    "registered": "Зарегистрировано",
    "in_progress": "На рассмотрении",
    "interim": "Промежуточный ответ",
    "answered": "Ответ направлен",
    "closed": "Закрыто",
    "rejected": "Отклонено модератором",
}
REGIME_TEXT = {"fz59": "Обращение по 59-ФЗ", "message": "Сообщение"}
WINDOW_DAYS = 92
DAMAGE = {"bad_date": 3, "missing_field": 3}  # extra broken rows over all ПОС files, at any scale
QUIRKY_SHARE = 0.01  # appeals whose creation date an export writes as text, and as a bare Excel serial
SHIFTED_MONTH = 6  # that month's export has title rows above the header, other column order, an extra column
CSV_MOMENT = (8, 15, time(12, 0))  # the one CSV export: 15 August, noon
CSV_DROPS = ("Электронная почта",)  # the CSV export profile leaves this column out


def row_of(world: World, appeal: Appeal, s: Snapshot) -> dict:
    ref, author = world.reference, appeal.author
    category = stated(ref, appeal.stated, appeal.rubric, appeal.category_code, s.category_code)
    muni = ref.municipalities[appeal.oktmo]
    return {
        "Номер сообщения": appeal.appeal_id,
        "Дата создания": naive(appeal.received_at),
        "Дата регистрации": naive(s.registered_at),
        "Тип": REGIME_TEXT[appeal.legal_regime],
        "Категория": category.parent,
        "Подкатегория": category.name,
        "Факт": appeal.theme,
        "Текст сообщения": appeal.text,
        "Адрес": appeal.address,
        "Широта": appeal.location[0] if appeal.location else None,
        "Долгота": appeal.location[1] if appeal.location else None,
        "ОКТМО": appeal.oktmo,
        "Муниципальное образование": muni.name,
        "Ответственная организация": ref.agencies[s.agency_code].name if s.agency_code else None,
        "Статус": STATUS_TEXT[s.status],
        "Срок ответа": naive(s.extended_due_at or s.due_at),
        "Дата промежуточного ответа": naive(s.interim_at),
        "Дата ответа": naive(s.answered_at),
        "Текст ответа": s.answer_text,
        "Результат": RESULT_TEXT.get(s.result),
        "Оценка": s.rating,
        "Возвращено на доработку": s.returns,
        "Ускоренное рассмотрение": "да" if appeal.attrs.get("fast_track") else "нет",
        "Заявитель": author.get("name"),
        "Телефон": author.get("phone"),
        "Электронная почта": author.get("email"),
    }


def _rows(world: World, appeals: list[Appeal], moment: datetime) -> list[dict]:
    out = []
    for appeal in recent(appeals, moment, WINDOW_DAYS):
        state = snapshot(appeal, moment)
        if state is not None:
            out.append(row_of(world, appeal, state))
    return sorted(out, key=lambda r: r["Номер сообщения"])


def _write_xlsx(
    path: Path,
    moment: datetime,
    rows: list[dict],
    kinds: list,
    text_ids: set,
    serial_ids: set,
    shifted: bool,
    injected: list[InjectedRow],
) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Сообщения")
    columns = list(COLUMNS)
    titles = []
    if shifted:  # a regional export: a title block, the status first, and a column the connector does not know
        columns.remove("Статус")
        columns = ["Статус", *columns, "Источник"]
        titles = [[f"Выгрузка сообщений ПОС на {ru(moment)}"], ["Организация: ЦУР Ненецкого автономного округа"]]
    for title in titles:
        sheet.append(title)
    sheet.append(columns)
    header_row = len(titles) + 1
    for n, (row, kind) in enumerate(zip(rows, kinds), start=header_row + 1):
        values = dict(row, Источник="ЕПГУ" if n % 5 else "Госуслуги (моб. приложение)")
        created = values["Дата создания"]
        if isinstance(created, datetime) and values["Номер сообщения"] in text_ids:
            values["Дата создания"] = created.strftime("%d.%m.%Y %H:%M:%S")
        elif isinstance(created, datetime) and values["Номер сообщения"] in serial_ids:
            values["Дата создания"] = openpyxl.utils.datetime.to_excel(created)
        sheet.append([values.get(c) for c in columns])
        if kind:
            injected.append(InjectedRow(path, "Сообщения", n, kind))
    save_xlsx(book, path, moment)


def _write_csv(path: Path, rows: list[dict], kinds: list, injected: list[InjectedRow]) -> None:
    columns = [c for c in COLUMNS if c not in CSV_DROPS]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=",", lineterminator="\r\n")
        writer.writerow(columns)
        for n, (row, kind) in enumerate(zip(rows, kinds), start=2):
            writer.writerow(
                [
                    ru(v, seconds=True) if isinstance(v, datetime) else "" if v is None else v
                    for v in (row.get(c) for c in columns)
                ]
            )
            if kind:
                injected.append(InjectedRow(path, None, n, kind))


def write_pos_exports(
    world: World, landing: Path, rng: random.Random
) -> tuple[list[Path], dict[Path, int], list[InjectedRow]]:
    """Write the ПОС exports under `landing/pos/`; (paths, data rows per file, injected rows)."""
    appeals = [a for a in world.appeals if a.channel == "pos"]
    ids = sorted(a.appeal_id for a in appeals)
    quirky = rng.sample(ids, max(2, round(len(ids) * QUIRKY_SHARE * 2)))
    text_ids, serial_ids = set(quirky[::2]), set(quirky[1::2])
    month, day, at = CSV_MOMENT
    plan = [(m, "xlsx") for m in month_end_exports(world, time(23, 59))]
    plan.append((datetime.combine(datetime(world.year, month, day).date(), at, MSK), "csv"))
    plan.sort()
    damage = Damage(rng, DAMAGE, len(plan))
    paths, counts, injected = [], {}, []
    for i, (moment, fmt) in enumerate(plan):
        rows = _rows(world, appeals, moment)
        kinds: list = [None] * len(rows)
        damage.apply(rng, i, rows, kinds, "Номер сообщения", "Дата создания", world.year)
        path = landing / "pos" / f"epgu-pos-export-{moment:%Y-%m-%dT%H%M}.{fmt}"
        if fmt == "csv":
            _write_csv(path, rows, kinds, injected)
        else:
            shifted = moment.month == SHIFTED_MONTH and moment.year == world.year
            _write_xlsx(path, moment, rows, kinds, text_ids, serial_ids, shifted, injected)
        paths.append(path)
        counts[path] = len(rows)
    return paths, counts, injected
