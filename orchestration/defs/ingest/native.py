"""Raw-layer assets of the source systems' own exports: ПОС, ИМ and СЭД files of `<landing>/<channel>/`."""

import dagster as dg

from orchestration.defs.quality.reconcile_checks import batch_reconcile_check
from orchestration.resources import WarehouseResource
from sources.headers import HeaderMapError
from sources.landing import native_files
from sources.loader import refresh_statistics
from sources.native import CONNECTORS, Connector, load_table_file

# asset name (the second part of its key) → connector, and the label people see
NATIVE_ASSETS = {
    "pos_exports": ("pos", "Выгрузки ПОС (XLSX, CSV)"),
    "incident_exports": ("incident", "Выгрузки Инцидент Менеджмента (XLSX)"),
    "sed_letters": ("letter", "Регистрационные карточки писем СЭД (CSV)"),
}
COUNTS = ("lines_read", "loaded", "duplicates", "quarantined")


def load_folder(context, warehouse: WarehouseResource, connector: Connector) -> dict[str, int]:
    """Every export of the channel folder not loaded before; a file that fails does not stop the others."""
    wh = warehouse.get()
    files = native_files(wh.settings.landing_dir / connector.kind)
    totals = dict.fromkeys(("files", "skipped_files", "failed_files", "file_quarantines", *COUNTS), 0)
    totals["files"] = len(files)
    failed: list[str] = []
    with wh.connect("loader", autocommit=True) as conn:  # each file commits in its own transaction
        for path in files:
            try:
                report = load_table_file(conn, path, connector, tz=wh.settings.source_timezone)
            except HeaderMapError:
                raise  # configuration, not data: every file would fail the same way
            except Exception as exc:  # an unforeseen failure of one file: report it, go on with the rest
                conn.rollback()
                context.log.error(f"{path}: {type(exc).__name__}: {exc}")
                failed.append(path.name)
                continue
            context.log.info(report.line())
            if report.skipped_file:
                totals["skipped_files"] += 1
                continue
            for field in COUNTS:
                totals[field] += getattr(report, field)
            if report.lines_read == 1 and report.quarantined == 1 and report.loaded == 0:
                totals["file_quarantines"] += 1
        if totals["loaded"]:
            refresh_statistics(conn, "raw.source_rows")
    if failed:
        raise dg.Failure(
            f"{len(failed)} of {len(files)} files failed to load: {', '.join(failed[:10])}",
            metadata={k: dg.MetadataValue.int(v) for k, v in totals.items()},
        )
    return totals


def native_asset(name: str) -> dg.AssetsDefinition:
    kind, label = NATIVE_ASSETS[name]
    connector = CONNECTORS[kind]

    @dg.asset(
        key=["raw", name],
        group_name="raw",
        kinds={"postgres", "python"},
        description=f"{label} из папки приема {kind}/: строки как прочитаны, карантин, сверка.",
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Loads every export of the channel's landing folder not loaded before."""
        totals = load_folder(context, warehouse, connector)
        return dg.MaterializeResult(metadata={k: dg.MetadataValue.int(v) for k, v in totals.items()})

    return _asset


def native_check(name: str) -> dg.AssetChecksDefinition:
    return batch_reconcile_check(
        dg.AssetKey(["raw", name]), (CONNECTORS[NATIVE_ASSETS[name][0]].loader,), f"{name}_batches_reconcile"
    )


raw_pos_exports = native_asset("pos_exports")
raw_incident_exports = native_asset("incident_exports")
raw_sed_letters = native_asset("sed_letters")
native_assets = [raw_pos_exports, raw_incident_exports, raw_sed_letters]
native_checks = [native_check(name) for name in NATIVE_ASSETS]
