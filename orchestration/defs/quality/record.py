"""Turn a validation outcome into a Dagster check result, and keep it in quality.validation_runs."""

import dagster as dg

from expectations.results import Outcome, jsonable
from expectations.store import record
from orchestration.warehouse import Warehouse

DBT_OP = "tsur_dbt_assets"


def schema_suffix(context: dg.AssetCheckExecutionContext) -> str:
    """The schema suffix of the dbt build in this run (past pictures live in suffixed schemas), else none."""
    ops = (context.run.run_config or {}).get("ops") or {}
    return ((ops.get(DBT_OP) or {}).get("config") or {}).get("schema_suffix") or ""


def check_result(context: dg.AssetCheckExecutionContext, wh: Warehouse, outcome: Outcome, *,
                 asset_key: dg.AssetKey, check_name: str, blocking: bool,
                 severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR) -> dg.AssetCheckResult:
    """Store the outcome, log its verdict, and return it with its details as metadata for the UI."""
    level = "error" if severity == dg.AssetCheckSeverity.ERROR else "warn"
    with wh.connect() as conn:
        validation_id = record(conn, outcome, check_name=check_name, asset_key=asset_key.to_user_string(),
                               blocking=blocking, severity=level, run_id=context.run.run_id)
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
    return dg.AssetCheckResult(asset_key=asset_key, check_name=check_name, passed=outcome.success,
                               severity=severity, description=message[:2000], metadata=metadata)
