"""Places of НАО settlements for the sample: streets, centre coordinates, drawn addresses and points near them."""

from __future__ import annotations

import random

from sources.sample.reference import Municipality

# Streets and approximate centre coordinates by settlement name [approximate, for sample data only].
STREETS = {
    "Нарьян-Мар": (
        "ул. Ленина",
        "ул. Смидовича",
        "ул. Выучейского",
        "ул. им. А.П. Пырерки",
        "ул. Авиаторов",
        "ул. Строительная",
        "ул. Полярная",
        "ул. Южная",
        "ул. Оленная",
        "ул. Рыбников",
        "ул. Меньшикова",
        "ул. Хатанзейского",
        "ул. Тыко Вылки",
        "ул. Совхозная",
        "ул. Заводская",
        "ул. Сапрыгина",
        "ул. Октябрьская",
        "ул. 60 лет Октября",
        "ул. Профсоюзная",
        "ул. Пионерская",
        "ул. Победы",
        "ул. Ненецкая",
        "ул. Карла Маркса",
        "ул. Рабочая",
    ),
    "Искателей": (
        "ул. Губкина",
        "ул. Россихина",
        "ул. Монтажников",
        "пр-кт Лая-Вожский",
        "ул. Магистральная",
        "ул. Юбилейная",
        "ул. Нефтяников",
    ),
}
VILLAGE_STREETS = (
    "ул. Центральная",
    "ул. Школьная",
    "ул. Набережная",
    "ул. Северная",
    "ул. Советская",
    "ул. Новая",
    "ул. Молодёжная",
    "ул. Полевая",
    "ул. Лесная",
)
CENTRES = {
    "Нарьян-Мар": (67.638, 53.007),
    "Искателей": (67.680, 53.151),
    "Андег": (67.920, 52.980),
    "Великовисочное": (67.250, 52.010),
    "Несь": (66.600, 44.680),
    "Усть-Кара": (69.250, 64.980),
    "Бугрино": (68.800, 49.300),
    "Коткино": (67.030, 51.150),
    "Нельмин-Нос": (67.980, 52.940),
    "Ома": (66.680, 46.500),
    "Нижняя Пеша": (66.750, 47.770),
    "Красное": (67.690, 53.450),
    "Оксино": (67.620, 52.180),
    "Амдерма": (69.760, 61.680),
    "Тельвиска": (67.570, 52.920),
    "Индига": (67.660, 49.010),
    "Хорей-Вер": (67.420, 58.050),
    "Харута": (66.830, 59.550),
    "Шойна": (67.880, 44.140),
    "Каратайка": (68.730, 61.450),
}
SETTLEMENT_PREFIX = {"городской округ": "г.", "городское поселение": "п."}
VILLAGE_PREFIX = {
    "Амдерма": "п.",
    "Красное": "п.",
    "Каратайка": "п.",
    "Харута": "п.",
    "Хорей-Вер": "п.",
    "Бугрино": "п.",
    "Шойна": "п.",
    "Индига": "п.",
    "Нельмин-Нос": "п.",
    "Усть-Кара": "п.",
    "Андег": "д.",
}


def settlement_name(municipality: Municipality) -> str:
    name = municipality.settlement
    prefix = SETTLEMENT_PREFIX.get(municipality.kind) or VILLAGE_PREFIX.get(name, "с.")
    return f"{prefix} {name}"


def street_address(rng: random.Random, municipality: Municipality, with_flat: bool = True) -> str:
    urban = municipality.kind in SETTLEMENT_PREFIX
    street = rng.choice(STREETS.get(municipality.settlement, VILLAGE_STREETS))
    house = rng.randint(1, 60 if urban else 35)
    address = f"{settlement_name(municipality)}, {street}, д. {house}"
    if urban and with_flat and rng.random() < 0.75:
        address += f", кв. {rng.randint(1, 90)}"
    return address


def near(rng: random.Random, municipality: Municipality) -> tuple[float, float] | None:
    centre = CENTRES.get(municipality.settlement)
    if centre is None:
        return None  # a settlement without known coordinates gets no location rather than a wrong one
    spread = 0.02 if municipality.kind in SETTLEMENT_PREFIX else 0.006
    return (
        round(centre[0] + rng.uniform(-spread, spread), 5),
        round(centre[1] + rng.uniform(-2.2 * spread, 2.2 * spread), 5),
    )
