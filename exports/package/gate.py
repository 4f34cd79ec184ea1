"""Only validated figures leave: the GX suites of the marts the package reads, run on the period's as-of
schemas before anything is written.

The suites are the ones registered in expectations.suites, used as they are (blocking ones refuse the package,
others warn): a mart's rules live in its suite only. A model the package reads without a suite is an error, so
the package is never written unchecked."""

from __future__ import annotations

from dataclasses import dataclass

from expectations.results import Outcome
from expectations.suite import Suite

PACKAGE_MODELS = (
    "dim_kpis",
    "mart_kpi_values",
    "mart_package_summary",
    "mart_package_sectors",
    "mart_package_reaction",
    "mart_agency_rating",
    "mart_regional_problems",
    "mart_deadline_control",
    "mart_conflicts",
    "mart_municipal_categories",
)


class PackageRefused(RuntimeError):
    """A blocking check failed on the figures: no package is written; the message says which and why."""


@dataclass(frozen=True)
class GateResult:
    outcomes: tuple[tuple[Suite, Outcome], ...]

    @property
    def blocking_failures(self) -> list[Outcome]:
        return [o for s, o in self.outcomes if s.blocking and not o.success]

    @property
    def warnings(self) -> list[Outcome]:
        return [o for s, o in self.outcomes if not s.blocking and not o.success]


def gate_suites() -> list[Suite]:
    """Per model the registered suites; a model without one stops the package before any check runs."""
    from expectations.suites import SUITES

    chosen = []
    for model in PACKAGE_MODELS:
        registered = [s for s in SUITES if s.model == model]
        if not registered:
            raise PackageRefused(f"the package reads {model}, which has no quality suite in expectations/suites")
        chosen += registered
    return chosen


def run_gate(sqlalchemy_url: str, schema_suffix: str) -> GateResult:
    """Validate every model the package reads in the as-of schemas with `schema_suffix`."""
    from expectations.runner import run_suite  # GX takes seconds to import: only when a package is made

    return GateResult(
        tuple((suite, run_suite(sqlalchemy_url, suite, schema_suffix=schema_suffix)) for suite in gate_suites())
    )


def refusal(period: str, gate: GateResult) -> PackageRefused:
    lines = "\n".join(f"  - {o.message()}" for o in gate.blocking_failures)
    return PackageRefused(
        f"пакет за {period} не сформирован: блокирующие проверки витрин не пройдены, файлы не записаны.\n{lines}"
    )
