"""Validate-then-export without a rebuild: the exports and the quality checks of the tables they read."""

import dagster as dg

from orchestration.defs.quality.checks import suite_checks
from orchestration.defs.quality.reconcile_checks import reconcile_checks

QUALITY_CHECKS = [*suite_checks, *reconcile_checks]


def gated_selection(*exports: dg.AssetsDefinition) -> dg.AssetSelection:
    """The export assets plus every quality check on an asset they read; blocking ones stop the export."""
    upstream = {key for export in exports for key in export.dependency_keys}
    checks = [key for check in QUALITY_CHECKS for key in check.check_keys if key.asset_key in upstream]
    return dg.AssetSelection.assets(*exports) | dg.AssetSelection.checks(*checks)


def export_job(*exports: dg.AssetsDefinition):
    return dg.define_asset_job(
        "tsur_export",
        selection=gated_selection(*exports),
        description="Проверки витрин и выгрузки без пересборки: провал блокирующей проверки останавливает выгрузку.",
    )
