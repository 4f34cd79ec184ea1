"""The classifier's reference data, read from the dbt seeds ЦУР staff edit (the single source of truth):
categories and their sectors, descriptions, the lemma lexicon, known rubricators, thresholds and weights."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sources.classify.engine import Params
from sources.classify.lexicon import Lexicon

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project/seeds/reference"
FILES = (
    "categories.csv",
    "category_descriptions.csv",
    "category_lexicon.csv",
    "rubric_map.csv",
    "classifier_thresholds.csv",
    "classifier_params.csv",
)
MISC = "other.misc"
_NOT_WORD = re.compile(r"[^0-9a-zа-я]+")


def normalized_name(name: str | None) -> str:
    """A rubric name as compared: lower case, ё as е, punctuation and spacing ignored."""
    return _NOT_WORD.sub(" ", (name or "").lower().replace("ё", "е")).strip()


@dataclass(frozen=True)
class Thresholds:
    category: float
    sector: float


@dataclass
class Reference:
    codes: list[str]
    sector_of: dict[str, str]
    bucket_of: dict[str, str]  # sector → its «прочие по направлению» category
    names: dict[str, str]
    descriptions: dict[str, str]
    lexicon: Lexicon
    rubric_map: dict[tuple[str, str], str]  # (normalised parent or "", normalised rubric) → category
    thresholds: dict[str, Thresholds]
    params: Params
    digest: str  # of every file read: a change of any of them is a new model version
    sectors: list[str] = field(default_factory=list)

    def threshold(self, sector: str) -> Thresholds:
        return self.thresholds.get(sector, self.thresholds["*"])

    def mapped(self, rubric: str | None, parent: str | None) -> str | None:
        """The configured category of a known rubric: with its parent first, then by the name alone."""
        name = normalized_name(rubric)
        if not name:
            return None
        return self.rubric_map.get((normalized_name(parent), name)) or self.rubric_map.get(("", name))


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    path = directory / name
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def _rubric_map(rows: list[dict[str, str]], known: set[str]) -> dict[tuple[str, str], str]:
    mapping: dict[tuple[str, str], str] = {}
    by_name: dict[str, set[str]] = {}
    for r in rows:
        if r["category_code"] not in known:
            raise ValueError(f"rubric_map.csv maps {r['rubric_name']!r} to unknown category {r['category_code']!r}")
        name = normalized_name(r["rubric_name"])
        mapping[(normalized_name(r.get("parent_name")), name)] = r["category_code"]
        by_name.setdefault(name, set()).add(r["category_code"])
    # A rubric name alone decides only where every rubricator that uses it agrees.
    for name, codes in by_name.items():
        if len(codes) == 1:
            mapping.setdefault(("", name), next(iter(codes)))
    return mapping


def load(directory: Path = SEEDS) -> Reference:
    categories = _rows(directory, "categories.csv")
    codes = [r["category_code"] for r in categories]
    sector_of = {r["category_code"]: r["sector_code"] for r in categories}
    bucket_of = {r["sector_code"]: r["category_code"] for r in categories if r["is_other_bucket"].lower() == "true"}
    if MISC not in sector_of:
        raise ValueError(f"categories.csv has no {MISC}: the classifier needs a place for what it cannot tell")
    thresholds = {
        r["sector_code"]: Thresholds(float(r["min_category_confidence"]), float(r["min_sector_confidence"]))
        for r in _rows(directory, "classifier_thresholds.csv")
    }
    thresholds.setdefault("*", Thresholds(0.45, 0.5))
    param_rows = _rows(directory, "classifier_params.csv")
    params = Params(**{k: float(v) for k, v in param_rows[0].items() if k != "basis"}) if param_rows else Params()
    lexicon = Lexicon.from_csv(directory / "category_lexicon.csv")
    unknown = set(lexicon.categories) - set(codes)
    if unknown:
        raise ValueError(f"category_lexicon.csv names unknown categories: {sorted(unknown)}")
    digest = hashlib.sha256()
    for name in FILES:
        path = directory / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    sectors = list(dict.fromkeys(sector_of.values()))
    return Reference(
        codes,
        sector_of,
        bucket_of,
        {r["category_code"]: r["category_name"] for r in categories},
        {r["category_code"]: r["description"] for r in _rows(directory, "category_descriptions.csv")},
        lexicon,
        _rubric_map(_rows(directory, "rubric_map.csv"), set(codes)),
        thresholds,
        params,
        digest.hexdigest(),
        sectors,
    )
