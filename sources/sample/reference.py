"""Reference data for the sample: the seeds (sectors, categories, municipalities, agencies, channels),
who handles what where, and the Russian production calendar.

The CSVs under dbt_project/seeds/reference are the single source of truth: the sample world reads
its codes, names and populations from them, so a corrected seed corrects the sample too.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import holidays

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "dbt_project/seeds/reference"
DAY = timedelta(days=1)
URBAN_KINDS = ("городской округ", "городское поселение")


@dataclass(frozen=True)
class ChannelPlan:
    """A channel's source system as the sample models it (channels.csv names channels, not source codes)."""

    source: str
    id_prefix: str
    share: float
    fz59_share: float  # обращения under 59-ФЗ; the rest are сообщения
    rated_share: float  # answered appeals the citizen rates
    closed_share: float  # answered appeals closed by the citizen or automatically


CHANNELS = {
    "pos": ChannelPlan("epgu-pos", "POS", 0.42, 0.15, 0.45, 0.8),
    "incident": ChannelPlan("medialogia-im", "IM", 0.20, 0.0, 0.0, 0.8),
    "portal": ChannelPlan("open311-naryan-mar", "NM", 0.12, 0.0, 0.20, 0.8),
    "letter": ChannelPlan("sed-nao", "SED", 0.14, 1.0, 0.0, 0.0),
    "hotline": ChannelPlan("hotline-nao", "HL", 0.12, 0.30, 0.30, 0.0),
}
CONTRACT = Path(__file__).resolve().parents[1] / "contracts" / "appeal-event.schema.json"


@cache
def totk_pattern() -> re.Pattern[str]:
    """The contract's pattern for a full ТОТК code; the seeds also hold subtree codes that fail it."""
    schema = json.loads(CONTRACT.read_text(encoding="utf-8"))
    return re.compile(schema["properties"]["category"]["properties"]["totk"]["pattern"])


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    sort_order: int


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    sector_code: str
    totk: str | None
    is_other_bucket: bool


@dataclass(frozen=True)
class Municipality:
    oktmo: str
    name: str
    parent_oktmo: str | None
    kind: str
    population: int
    settlement: str


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    short_name: str
    kind: str
    sector_code: str
    oktmo: str | None


@dataclass(frozen=True)
class Reference:
    sectors: dict[str, Sector]
    categories: dict[str, Category]
    municipalities: dict[str, Municipality]
    agencies: dict[str, Agency]
    channels: tuple[str, ...]

    def sector_categories(self, sector_code: str) -> list[Category]:
        return [c for c in self.categories.values() if c.sector_code == sector_code]

    def inhabited(self) -> list[Municipality]:
        """Places where people live: rows without population (district, inter-settlement land) are skipped."""
        return [m for m in self.municipalities.values() if m.population > 0]

    def administration(self, oktmo: str) -> Agency:
        """The municipal administration of a place, or of its parent when the place has none of its own."""
        municipality = self.municipalities[oktmo]
        for candidate in (oktmo, municipality.parent_oktmo):
            for agency in self.agencies.values():
                if agency.kind == "municipal" and agency.oktmo == candidate:
                    return agency
        raise KeyError(f"no municipal administration for {oktmo}")

    def agency_weights(self, sector: str, category_code: str, oktmo: str) -> list[tuple[str, int]]:
        """Who handles an appeal, by sector and place: weighted codes of agencies.csv (names come from it)."""
        muni = self.municipalities[oktmo]
        city, urban = muni.kind == URBAN_KINDS[0], muni.kind in URBAN_KINDS
        adm = self.administration(oktmo).code
        routes = {
            "health": [("nob", 3), ("dzo", 1)] if city else [("crp", 3), ("dzo", 1)],
            "education": [("doks", 1)],
            "social": [("dtszn", 1)],
            "housing": [("nkk", 5), (adm, 3), ("dsgkhet", 2)],
            # The city's waste operator also serves Искателей; Севержилкомсервис the villages.
            "waste": [("kbbo", 1)] if urban else [("szhks", 1)],
            "roads": [(adm, 7), ("dsgkhet", 3)],
            "transport": [("nmoao", 1)] if category_code == "transport.air" else [("dsgkhet", 1)],
            "energy": [("nmes" if city else "nkk", 6), ("dsgkhet", 2)],
        }
        pairs = [(code, w) for code, w in routes.get(sector, [(adm, 1)]) if code in self.agencies]
        return pairs or [(adm, 1)]

    def category_object(self, code: str) -> dict:
        """The category as an appeal-event/1 `category` object: parent is the sector."""
        category = self.categories[code]
        obj = {"code": category.code, "name": category.name}
        if category.totk and totk_pattern().match(category.totk):  # a subtree code is no ТОТК question code
            obj["totk"] = category.totk
        obj["parent_code"] = category.sector_code
        obj["parent_name"] = self.sectors[category.sector_code].name
        return obj

    def agency_object(self, code: str) -> dict:
        agency = self.agencies[code]
        return {"code": agency.code, "name": agency.name}

    def municipality_object(self, oktmo: str) -> dict:
        return {"oktmo": oktmo, "name": self.municipalities[oktmo].name}


class WorkCalendar:
    """Working days of the official production calendar (transfers included) from the `holidays` package."""

    def __init__(self, first_year: int, last_year: int):
        ru = holidays.RU(years=range(first_year, last_year + 1))
        day, self.last = date(first_year, 1, 1), date(last_year, 12, 31)
        self.working: set[date] = set()
        self.rest: set[date] = set()
        while day.year <= last_year:
            (self.working if ru.is_working_day(day) else self.rest).add(day)
            day += DAY

    def next_working(self, day: date) -> date:
        while day not in self.working and day <= self.last:  # beyond the calendar: the day itself
            day += DAY
        return day

    def add_working_days(self, moment: datetime, n: int) -> datetime:
        day = moment.date()
        while n:
            day += DAY
            n -= day in self.working or day > self.last  # beyond the calendar every day counts
        return datetime.combine(day, moment.timetz())


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    with open(directory / name, newline="", encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@cache
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    # Dicts keep the CSV row order, which keeps every weighted choice over them deterministic.
    sectors = {
        r["sector_code"]: Sector(r["sector_code"], r["sector_name"], int(r["sort_order"]))
        for r in sorted(_rows(directory, "sectors.csv"), key=lambda r: int(r["sort_order"]))
    }
    categories = {
        r["category_code"]: Category(
            r["category_code"],
            r["category_name"],
            r["sector_code"],
            r["totk_code"] or None,
            r["is_other_bucket"].lower() == "true",
        )
        for r in _rows(directory, "categories.csv")
    }
    municipalities = {
        r["oktmo"]: Municipality(
            r["oktmo"],
            r["municipality_name"],
            r["parent_oktmo"] or None,
            r["municipality_kind"],
            int(r["population"] or 0),
            r["settlement_name"],
        )
        for r in _rows(directory, "municipalities.csv")
    }
    agencies = {
        r["agency_code"]: Agency(
            r["agency_code"],
            r["agency_name"],
            r["agency_short_name"],
            r["agency_kind"],
            r["sector_code"],
            r["oktmo"] or None,
        )
        for r in _rows(directory, "agencies.csv")
    }
    channels = tuple(
        r["channel_code"] for r in sorted(_rows(directory, "channels.csv"), key=lambda r: int(r["sort_order"]))
    )
    unknown = {c.sector_code for c in categories.values()} - set(sectors)
    if unknown:
        raise ValueError(f"categories.csv names sectors missing from sectors.csv: {sorted(unknown)}")
    return Reference(sectors, categories, municipalities, agencies, channels)
