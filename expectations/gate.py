"""Validate a picture of the marts before it leaves the warehouse: suites and totals of the marts a package reads.

results = validate_marts(url, ["mart_sector_kpi", "dim_kpis"], schema="marts__asof_2025_10")
if not all_passed(results): refuse(describe(results))
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import psycopg

from expectations import reconcile
from expectations.results import Outcome
from expectations.runner import run_suite
from expectations.suite import Suite
from expectations.suites import BY_MODEL

# What the federal package reads (exports/package); each has a suite, and these block.
PACKAGE_MARTS = (
    "mart_sector_kpi",
    "mart_agency_rating",
    "mart_regional_problems",
    "mart_deadline_control",
    "mart_conflicts",
    "mart_kpi_values",
    "dim_kpis",
    "mart_sector_monthly",
)


def suffix_of(schema: str) -> str:
    """marts -> ''; marts__asof_2025_10 -> asof_2025_10 (where a build with schema_suffix put its marts)."""
    if schema == "marts":
        return ""
    if not schema.startswith("marts__") or schema == "marts__":
        raise ValueError(f"not a marts schema: {schema!r} (marts or marts__<suffix>)")
    return schema.removeprefix("marts__")


def validate_marts(
    url: str,
    models: Iterable[str] = PACKAGE_MARTS,
    *,
    schema: str = "marts",
    totals: bool = True,
    now: datetime | None = None,
    record_run: str | None = None,
) -> dict[str, Outcome]:
    """Run each mart's GX suite (and its totals reconciliation) against `schema`; check name -> outcome.

    `url` is the warehouse's SQLAlchemy URL (Warehouse.sqlalchemy_url()); facts and the build horizon the
    totals compare with are read from the same suffixed schemas. With `record_run` (a run id) every outcome
    is also stored in quality.validation_runs.
    """
    suffix = suffix_of(schema)
    unknown = [m for m in models if m not in BY_MODEL]
    if unknown:
        raise KeyError(f"no suite for {', '.join(unknown)}")
    found: list[tuple[Suite, str, Outcome]] = []
    for model in models:
        suite = BY_MODEL[model]
        found.append((suite, f"gx_{suite.name}", run_suite(url, suite, schema_suffix=suffix, now=now)))
        if totals and suite.totals:
            name = f"{suite.name}_totals_reconcile"
            with psycopg.connect(_libpq(url)) as conn:
                found.append(
                    (suite, name, reconcile.suite_totals(conn, name, suite.relation, suite.totals_list, suffix))
                )
    if record_run:
        _record(url, found, record_run)
    return {name: outcome for _, name, outcome in found}


def all_passed(results: dict[str, Outcome]) -> bool:
    return all(outcome.success for outcome in results.values())


def describe(results: dict[str, Outcome]) -> str:
    """The failed checks, one paragraph each (empty when everything passed)."""
    return "\n".join(o.message() for o in results.values() if not o.success)


def _libpq(url: str) -> str:
    """SQLAlchemy URL -> libpq URL (drop the +driver)."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgresql") else url


def _record(url: str, found: list[tuple[Suite, str, Outcome]], run_id: str) -> None:
    from expectations.store import record

    with psycopg.connect(_libpq(url)) as conn:
        for suite, name, outcome in found:
            record(
                conn,
                outcome,
                check_name=name,
                asset_key=f"{suite.schema}/{suite.table}",
                blocking=suite.blocking,
                run_id=run_id,
            )
