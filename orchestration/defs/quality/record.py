"""Turn a validation outcome into a Dagster check result, and keep it in quality.validation_runs."""

import dagster as dg

from expectations.relations import STAGED
from expectations.results import Outcome, jsonable
from expectations.store import record
from lib.warehouse import Warehouse

DBT_OP = "tsur_dbt_assets"


def configured_suffix(context: dg.AssetCheckExecutionContext | dg.AssetExecutionContext) -> str:
    """The schema_suffix given to the dbt build of this run (past pictures live in suffixed schemas)."""
    ops = (context.run.run_config or {}).get("ops") or {}
    for name, op in ops.items():
        if name.startswith(DBT_OP) and ((op or {}).get("config") or {}).get("schema_suffix"):
            return op["config"]["schema_suffix"]
    return ""


def builds_marts(context: dg.AssetCheckExecutionContext) -> bool:
    """Whether this run builds the marts (dbt runs in it): its checks then look at the unpublished build."""
    job = context.op_execution_context.job_def
    return any(node.definition.name == DBT_OP for node in job.graph.nodes)


def schema_suffix(context: dg.AssetCheckExecutionContext) -> str:
    """Where this run's checks find the dbt relations: a past picture's suffix; the build schema
    (relations.STAGED) when the run builds the marts; else "" — the published marts (checks before an export)."""
    return configured_suffix(context) or (STAGED if builds_marts(context) else "")


def check_result(
    context: dg.AssetCheckExecutionContext,
    wh: Warehouse,
    outcome: Outcome,
    *,
    asset_key: dg.AssetKey,
    check_name: str,
    blocking: bool,
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
) -> dg.AssetCheckResult:
    """Store the outcome, log its verdict, and return it with its details as metadata for the UI."""
    level = "error" if severity == dg.AssetCheckSeverity.ERROR else "warn"
    with wh.connect("transformer") as conn:
        validation_id = record(
            conn,
            outcome,
            check_name=check_name,
            asset_key=asset_key.to_user_string(),
            blocking=blocking,
            severity=level,
            run_id=context.run.run_id,
        )
    message = outcome.message()
    if outcome.success:
        context.log.info(message)
    else:
        context.log.error(message) if level == "error" else context.log.warning(message)
    metadata = {
        "evaluated": dg.MetadataValue.int(outcome.evaluated),
        "failed": dg.MetadataValue.int(outcome.failed),
        "details": dg.MetadataValue.md(outcome.markdown()),
        "stats": dg.MetadataValue.json(jsonable(outcome.stats)),
        "validation_id": dg.MetadataValue.int(validation_id),
    }
    if outcome.relation:
        metadata["relation"] = dg.MetadataValue.text(outcome.relation)
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=check_name,
        passed=outcome.success,
        severity=severity,
        description=message[:2000],
        metadata=metadata,
    )
