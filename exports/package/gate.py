"""Only validated figures leave: the GX suites of the marts the package reads, run on the period's as-of
schemas before anything is written.

Suites registered in expectations.suites for these models are used as they are (blocking ones refuse the
package, others warn); a model with no registered suite gets the minimal one below, so the package is never
written unchecked."""

from __future__ import annotations

from dataclasses import dataclass

from expectations.results import Outcome
from expectations.suite import Suite, at_most, between, in_set, no_rows, non_negative, not_null, shares, unique

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


def _baseline(model: str, *expectations) -> Suite:
    return Suite(
        name=f"package_{model}",
        relation=f"marts.{model}",
        model=model,
        blocking=True,
        description="Минимальные проверки витрины перед федеральным пакетом.",
        expectations=tuple(expectations),
    )


BASELINE = {
    "dim_kpis": _baseline("dim_kpis", *not_null("indicator"), unique("indicator")),
    "mart_kpi_values": _baseline(
        "mart_kpi_values",
        *not_null("period_kind", "period_start", "slice_kind", "slice_code", "indicator"),
        unique("period_kind", "period_start", "slice_kind", "slice_code", "indicator"),
        no_rows("indicator, value", "value < 0", "показатель не отрицателен"),
        # Which indicators are shares is the catalogue's word (dim_kpis, from the semantic layer).
        no_rows(
            "indicator, value",
            "indicator in (select indicator from {marts.dim_kpis} where indicator_kind = 'share') and value > 1",
            "доля не больше 1",
        ),
    ),
    "mart_agency_rating": _baseline(
        "mart_agency_rating",
        *not_null("period_kind", "period_start", "agency_code"),
        unique("period_kind", "period_start", "agency_code"),
        *shares("on_time_share", "satisfaction_share", "return_share", "completeness", "substantive_share"),
        *non_negative("incoming", "answered", "rated"),
        at_most("answered", "incoming"),
        between("score", 0, 100, "оценка 0–100"),
    ),
    "mart_regional_problems": _baseline(
        "mart_regional_problems",
        *not_null("period_kind", "period_start", "sector_code", "category_code"),
        *non_negative("incoming"),
    ),
    "mart_deadline_control": _baseline(
        "mart_deadline_control",
        *not_null("appeal_key", "control_status"),
        unique("appeal_key"),
        in_set("control_status", ["open", "open_overdue", "answered_late"]),
    ),
    "mart_conflicts": _baseline(
        "mart_conflicts", *not_null("conflict_id", "reason_code", "appeal_key"), unique("conflict_id")
    ),
}


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
    """Per model the registered suites, or the baseline one when none is registered."""
    from expectations.suites import SUITES

    chosen = []
    for model in PACKAGE_MODELS:
        registered = [s for s in SUITES if s.model == model]
        chosen += registered or [BASELINE[model]]
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
