"""One Dagster asset check per GX suite (expectations/suites): blocking where the suite says so."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from expectations.suite import Suite
from expectations.suites import SUITES
from orchestration.defs.quality.record import check_result, schema_suffix
from orchestration.defs.transform.assets import tsur_dbt_assets
from orchestration.resources import WarehouseResource


def asset_key_for(suite: Suite) -> dg.AssetKey:
    if suite.model:
        return get_asset_key_for_model([tsur_dbt_assets], suite.model)
    return dg.AssetKey(list(suite.asset))


def model_key(model: str) -> dg.AssetKey:
    return get_asset_key_for_model([tsur_dbt_assets], model)


def suite_check(suite: Suite) -> dg.AssetChecksDefinition:
    """A check that runs `suite` with Great Expectations against the asset's table."""
    key, name = asset_key_for(suite), f"gx_{suite.name}"
    verdict = "блокирующая: провал останавливает выгрузки" if suite.blocking else "не блокирующая"
    description = f"Набор ожиданий GX «{suite.name}» ({verdict}). {suite.description}".strip()

    @dg.asset_check(
        asset=key,
        name=name,
        blocking=suite.blocking,
        description=description,
        additional_deps=[model_key(m) for m in suite.deps],
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        """Validates the asset's table with its Great Expectations suite."""
        from expectations.runner import run_suite  # GX takes seconds to import: only when a check runs

        wh = warehouse.get()
        outcome = run_suite(wh.sqlalchemy_url(role="transformer"), suite, schema_suffix=schema_suffix(context))
        return check_result(context, wh, outcome, asset_key=key, check_name=name, blocking=suite.blocking)

    return _check


suite_checks = [suite_check(suite) for suite in SUITES]
