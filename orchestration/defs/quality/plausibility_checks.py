"""Plausibility rules as asset checks: they record odd rows and block only above their share limit."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from expectations.plausibility import RULES, Rule
from orchestration.defs.quality.record import check_result, configured_suffix, schema_suffix
from orchestration.defs.transform.assets import tsur_dbt_assets
from orchestration.resources import WarehouseResource


def plausibility_check(rule: Rule) -> dg.AssetChecksDefinition:
    key = get_asset_key_for_model([tsur_dbt_assets], rule.model)
    name = f"plausible_{rule.name}"
    kept = f" Такие строки не входят в {rule.kept_out_of}." if rule.kept_out_of else ""

    @dg.asset_check(
        asset=key,
        name=name,
        blocking=True,
        description=f"Правдоподобие: {rule.note}. Строки отмечаются (quality.flagged_rows) и не "
        f"блокируют отчетность, пока их доля не выше предела.{kept}",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        """Flags the rule's odd rows; fails only when their share passes the limit."""
        from expectations.plausibility import evaluate, record_flags

        wh = warehouse.get()
        suffix = schema_suffix(context)
        with wh.connect("transformer") as conn:
            outcome, flagged = evaluate(conn, rule, suffix)
            if not configured_suffix(context):  # past pictures do not touch what the current warehouse flags
                outcome.stats.update(record_flags(conn, rule, flagged))
        return check_result(context, wh, outcome, asset_key=key, check_name=name, blocking=True)

    return _check


plausibility_checks = [plausibility_check(rule) for rule in RULES]
