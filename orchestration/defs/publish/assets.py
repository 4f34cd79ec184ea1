"""Publishing the marts after the audit (orchestration/publish.py), and what follows a publication."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.quality.record import configured_suffix
from orchestration.defs.transform.assets import build_bi_role, tsur_dbt_assets
from orchestration.defs.transform.project import manifest
from orchestration.publish import PublishRefused, publish
from orchestration.resources import WarehouseResource

PUBLISHED_KEY = dg.AssetKey(["marts", "published"])


def mart_models() -> list[str]:
    """Every dbt model of the marts schema (what a publication makes visible)."""
    return sorted(
        node["name"]
        for node in manifest()["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("schema") == "marts"
    )


MART_KEYS = [get_asset_key_for_model([tsur_dbt_assets], name) for name in mart_models()]


@dg.asset(
    key=PUBLISHED_KEY,
    deps=MART_KEYS,
    group_name="marts",
    kinds={"postgres"},
    description="Публикация витрин: сборка из marts_build становится схемой marts одной транзакцией, "
    "только если блокирующие проверки этого запуска прошли.",
)
def published_marts(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Swaps the audited build in as `marts`; a failed check leaves the last good marts published."""
    if configured_suffix(context):
        context.log.info("a past picture (schema_suffix) is not published: it stays in its own schemas")
        return dg.MaterializeResult(metadata={"published": False})
    missing = set(MART_KEYS) - set(context.job_def.asset_layer.selected_asset_keys)
    if missing:
        context.log.error(f"not in this build: {', '.join(sorted(k.to_user_string() for k in missing))}")
        raise dg.Failure(
            "only a build of every mart may be published (a mart not rebuilt would go back one build): run `tsur build`"
        )
    wh = warehouse.get()
    with wh.connect() as admin:  # making the BI role, where that is ours to do, is not the transformer's
        bi_role = build_bi_role(admin, wh)
    with wh.connect("transformer") as conn:
        try:
            done = publish(conn, run_id=context.run.run_id, bi_role=bi_role)
        except PublishRefused as refused:
            raise dg.Failure(str(refused)) from None
    context.log.info(
        f"published {done.relations} relations as marts (publication {done.publication_id}, "
        f"as of {done.as_of}, batches up to {done.batch_hwm})"
    )
    return dg.MaterializeResult(
        metadata={
            "published": True,
            "publication_id": done.publication_id,
            "relations": done.relations,
            "as_of": str(done.as_of),
            "batch_hwm": done.batch_hwm or 0,
        }
    )
