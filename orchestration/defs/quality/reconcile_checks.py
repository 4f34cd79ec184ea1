"""Reconciliation checks: load batches, raw = staged = fact, appeals = events, mart totals = fact totals."""

import dagster as dg

from expectations import batches, reconcile
from expectations.suite import Suite
from expectations.suites import SUITES
from orchestration.defs.quality.checks import asset_key_for, model_key
from orchestration.defs.quality.record import check_result, schema_suffix
from orchestration.resources import WarehouseResource

RAW_EVENTS = dg.AssetKey(["raw", "appeal_events"])


def batch_reconcile_check(asset_key: dg.AssetKey, loaders: tuple[str, ...], name: str) -> dg.AssetChecksDefinition:
    """A blocking check on a raw asset: every batch of its loaders reconciles with the rows it stored."""

    @dg.asset_check(
        asset=asset_key,
        name=name,
        blocking=True,
        description=f"Каждая партия загрузчиков {', '.join(loaders)}: прочитано = загружено + дубликаты"
        " + карантин, и заявленные строки лежат в сырых таблицах и карантине.",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        """Every load batch of this asset's loaders reconciles with the rows it stored."""
        wh = warehouse.get()
        with wh.connect("transformer") as conn:
            outcome = batches.load_batches(conn, loaders)
        return check_result(context, wh, outcome, asset_key=asset_key, check_name=name, blocking=True)

    return _check


load_batches_reconcile = batch_reconcile_check(RAW_EVENTS, ("appeal_events",), "load_batches_reconcile")


def staged_flow_check(flow: reconcile.StagedFlow) -> dg.AssetChecksDefinition:
    fact_model, staged_model = flow.fact.split(".")[1], flow.staged.split(".")[1]
    key, name = model_key(fact_model), f"{flow.name}_raw_staged_fact_reconcile"

    @dg.asset_check(
        asset=key,
        name=name,
        blocking=True,
        additional_deps=[model_key(staged_model), model_key("int_build_horizon")],
        description=f"Строк {flow.raw} в горизонте сборки (batch_hwm, as_of) = строк {flow.staged} = "
        f"строк {flow.fact} ({flow.fact_where}), по партиям.",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        """Raw rows visible to the last build equal the staged and fact rows, batch by batch."""
        wh = warehouse.get()
        with wh.connect("transformer") as conn:
            outcome = reconcile.staged_flow(conn, flow, schema_suffix(context))
        return check_result(context, wh, outcome, asset_key=key, check_name=name, blocking=True)

    return _check


APPEALS = model_key("fct_appeals")


@dg.asset_check(
    asset=APPEALS,
    blocking=True,
    additional_deps=[model_key("fct_appeal_events")],
    description="Различных обращений в fct_appeal_events = строк fct_appeals, ключ в ключ.",
)
def appeals_events_reconcile(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """Distinct appeals of the event fact equal the rows of the appeal fact."""
    wh = warehouse.get()
    with wh.connect("transformer") as conn:
        outcome = reconcile.appeals_in_events(conn, schema_suffix(context))
    return check_result(context, wh, outcome, asset_key=APPEALS, check_name="appeals_events_reconcile", blocking=True)


def totals_check(suite: Suite) -> dg.AssetChecksDefinition:
    """Mart totals = fact totals for the same slice, as the suite's FactTotals declare."""
    key, name = asset_key_for(suite), f"{suite.name}_totals_reconcile"
    totals = suite.totals_list
    facts = sorted({t.fact.split(".")[1] for t in totals} | set(suite.deps))
    slices = "; ".join(f"{t.label + ': ' if t.label else ''}({', '.join(t.slice)})" for t in totals)

    @dg.asset_check(
        asset=key,
        name=name,
        blocking=suite.blocking,
        additional_deps=[model_key(m) for m in facts],
        description=f"Итоги {suite.relation} по срезам {slices} = итоги "
        f"{', '.join(sorted({t.fact for t in totals}))} для тех же срезов.",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        """The mart's measures per slice equal those computed from the fact."""
        wh = warehouse.get()
        with wh.connect("transformer") as conn:
            outcome = reconcile.suite_totals(conn, name, suite.relation, totals, schema_suffix(context))
        return check_result(context, wh, outcome, asset_key=key, check_name=name, blocking=suite.blocking)

    return _check


reconcile_checks = [
    load_batches_reconcile,
    appeals_events_reconcile,
    *(staged_flow_check(flow) for flow in reconcile.FLOWS),
    *(totals_check(suite) for suite in SUITES if suite.totals),
]
