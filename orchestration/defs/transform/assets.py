"""The dbt project as Dagster assets; dbt tests become asset checks."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from lib.clocks import build_vars
from lib.dbt import dbt_args
from orchestration.defs.transform.project import dbt_project, manifest
from orchestration.defs.transform.translator import LayerTranslator
from orchestration.resources import WarehouseResource, environment


class DbtBuildConfig(dg.Config):
    """How to build: as of which moment (ISO 8601, default now), up to which load batch (default: the
    last committed), into which schemas (suffix for past pictures), and whether to rebuild from scratch."""

    as_of: str | None = None
    batch_hwm: int | None = None
    schema_suffix: str = ""
    full_refresh: bool = False


def build_bi_role(conn, wh) -> str:
    """The role dbt grants the marts to: made sure of on the embedded server, else used if it exists."""
    from lib.roles import build_bi_role as bi_role

    return bi_role(conn, wh.settings.home, wh.server is not None)


@dbt_assets(manifest=manifest(), project=dbt_project, dagster_dbt_translator=LayerTranslator())
def tsur_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource, config: DbtBuildConfig
):
    """Staging, intermediate and mart models of the warehouse, with their data and unit tests."""
    wh = warehouse.get()
    with wh.connect() as conn:
        variables = build_vars(conn, config.as_of, config.batch_hwm, config.schema_suffix)
        variables["bi_role"] = build_bi_role(conn, wh)
    context.log.info(f"dbt build as of {variables['as_of']}, load batches up to {variables['batch_hwm']}")
    if not variables["bi_role"]:
        context.log.warning("the BI role does not exist: the marts are granted to nobody; run `tsur db roles`")
    args = dbt_args("build", variables=variables, full_refresh=config.full_refresh, project=False)
    with environment(wh.dbt_env()):
        invocation = dbt.cli(args, context=context)
    yield from invocation.stream()


def dbt_run_config(job: dg.JobDefinition, **config) -> dict:
    """Run config that gives every dbt step of `job` the same build config: Dagster runs the project in
    several steps when Python assets sit between its models, each step a node of its own."""
    nodes = [n.name for n in job.graph.nodes if n.definition.name == tsur_dbt_assets.op.name]
    return {"ops": {name: {"config": config} for name in nodes}}
