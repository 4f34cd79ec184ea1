"""Facts the suites take from the dbt project rather than repeat: seed value sets and model contracts."""

from __future__ import annotations

import csv
import json
from functools import cache
from importlib import resources

import yaml

from lib.config import DBT_PROJECT_DIR


@cache
def seed_values(seed: str, column: str) -> tuple[str, ...]:
    """Distinct values of a column of a reference seed (dbt_project/seeds/*/<seed>.csv)."""
    paths = sorted(DBT_PROJECT_DIR.glob(f"seeds/**/{seed}.csv"))
    if not paths:
        raise FileNotFoundError(f"no seed {seed}.csv under {DBT_PROJECT_DIR / 'seeds'}")
    with open(paths[0], encoding="utf-8", newline="") as fh:
        return tuple(sorted({row[column] for row in csv.DictReader(fh) if row[column]}))


@cache
def seed_pairs(seed: str, a: str, b: str) -> tuple[tuple[str, str], ...]:
    """Distinct (a, b) pairs of a reference seed, e.g. category_code -> sector_code."""
    paths = sorted(DBT_PROJECT_DIR.glob(f"seeds/**/{seed}.csv"))
    if not paths:
        raise FileNotFoundError(f"no seed {seed}.csv under {DBT_PROJECT_DIR / 'seeds'}")
    with open(paths[0], encoding="utf-8", newline="") as fh:
        return tuple(sorted({(row[a], row[b]) for row in csv.DictReader(fh) if row[a]}))


@cache
def _models() -> dict[str, dict]:
    found: dict[str, dict] = {}
    for path in sorted(DBT_PROJECT_DIR.glob("models/**/*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in doc.get("models") or []:
            found[model["name"]] = model
    return found


@cache
def declared_tests(model: str) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """The generic dbt tests a model's YAML declares, as (test, columns, accepted values): not_null, unique,
    unique_combination (as unique of its columns) and accepted_values. Empty for a name dbt does not know."""
    model_doc = _models().get(model) or {}
    found = []
    for test in model_doc.get("data_tests") or []:
        if isinstance(test, dict) and "unique_combination" in test:
            found.append(("unique", tuple(test["unique_combination"]["arguments"]["columns"]), ()))
    for column in model_doc.get("columns") or []:
        for test in column.get("data_tests") or []:
            name = test if isinstance(test, str) else next(iter(test))
            if name in ("not_null", "unique"):
                found.append((name, (column["name"],), ()))
            elif name == "accepted_values":
                values = tuple(str(v) for v in test[name]["arguments"]["values"])
                found.append((name, (column["name"],), values))
    return tuple(found)


def contract_types(model: str) -> dict[str, str]:
    """Column -> data type as the model's dbt contract declares it (the table must still match after build)."""
    try:
        columns = _models()[model]["columns"]
    except KeyError:
        raise KeyError(f"dbt model {model} has no documented columns") from None
    missing = [c["name"] for c in columns if not c.get("data_type")]
    if missing:
        raise ValueError(f"dbt model {model}: no data_type for {', '.join(missing)}")
    return {c["name"]: c["data_type"] for c in columns}


@cache
def event_enum(field: str) -> tuple[str, ...]:
    """Allowed values of an appeal-event/1 field, from the contract every event is judged against."""
    text = (resources.files("sources") / "contracts" / "appeal-event.schema.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["properties"][field]["enum"])
