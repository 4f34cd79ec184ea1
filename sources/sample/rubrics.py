"""How each source states a sample appeal's category: in the warehouse's own terms (a code, or the category's
name the mapping knows), in its own rubricator's words (Инцидент Менеджмент's «Группа тем» / «Тема», from the
public classifier in seed `rubric_map.csv`), or not at all — text only, for the classifier to structure.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache

from sources.sample.reference import REFERENCE_DIR, Reference

# Share of each channel's appeals stated in a foreign rubric or with no category (the rest: warehouse terms).
FOREIGN = {"incident": 0.45}
UNSTATED = {"pos": 0.05, "incident": 0.30, "portal": 0.20, "letter": 0.40, "hotline": 0.35}
# The municipal portal's catch-all service, where residents put what fits no other.
CATCH_ALL_SERVICE = ("nm-other", "Иное обращение")


@dataclass(frozen=True)
class Stated:
    """What a source's row or event says of the category; all None when it says nothing."""

    code: str | None
    name: str | None
    parent: str | None
    totk: str | None


@cache
def foreign_rubrics() -> dict[str, list[tuple[str, str]]]:
    """category → (group, topic) pairs of Инцидент Менеджмент's public classifier that map to it."""
    out: dict[str, list[tuple[str, str]]] = {}
    path = REFERENCE_DIR / "rubric_map.csv"
    if not path.exists():
        return out
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["rubricator"] == "incident" and row["basis"] == "sourced" and row["parent_name"]:
                out.setdefault(row["category_code"], []).append((row["parent_name"], row["rubric_name"]))
    return out


def choose(rng: random.Random, channel: str, category_code: str, forced: bool) -> tuple[str, tuple[str, str] | None]:
    """('code' | 'rubric' | 'none', the foreign (group, topic) if any). Forced appeals keep the warehouse's
    terms, so that every category shows up at any scale."""
    roll = rng.random()
    if forced:
        return "code", None
    if roll < UNSTATED.get(channel, 0.0):
        return "none", None
    candidates = foreign_rubrics().get(category_code)
    if candidates and roll < UNSTATED.get(channel, 0.0) + FOREIGN.get(channel, 0.0):
        return "rubric", rng.choice(candidates)
    return "code", None


def stated(ref: Reference, form: str, rubric: tuple[str, str] | None, received_code: str, category_code: str) -> Stated:
    """The category as a source shows it: a later correction (`categorized`) always speaks warehouse terms."""
    if category_code == received_code and form == "none":
        return Stated(None, None, None, None)
    if category_code == received_code and form == "rubric" and rubric:
        return Stated(None, rubric[1], rubric[0], None)
    category = ref.categories[category_code]
    return Stated(category.code, category.name, ref.sectors[category.sector_code].name, category.totk)
