"""Raw-layer assets of the source systems' own exports: ПОС, ИМ and СЭД files of `<landing>/<channel>/`."""

import dagster as dg

from orchestration.resources import WarehouseResource
from sources.headers import HeaderMapError
from sources.landing import native_files
from sources.native import CONNECTORS, Connector, load_table_file

# asset name (the second part of its key) → connector, and the label people see
NATIVE_ASSETS = {"pos_exports": ("pos", "Выгрузки ПОС (XLSX, CSV)"),
                 "incident_exports": ("incident", "Выгрузки Инцидент Менеджмента (XLSX)"),
                 "sed_letters": ("letter", "Регистрационные карточки писем СЭД (CSV)")}
COUNTS = ("lines_read", "loaded", "duplicates", "quarantined")

RECONCILE_SQL = """
with loaded as (
    select batch_id, count(*) as n from raw.source_rows group by batch_id
), quarantined as (
    select batch_id, count(*) as n from raw.quarantine group by batch_id
)
select b.batch_id, b.origin, b.lines_read, b.loaded, coalesce(l.n, 0), b.duplicates, b.quarantined, coalesce(q.n, 0)
from raw.load_batches as b
left join loaded as l using (batch_id)
left join quarantined as q using (batch_id)
where b.loader = %s
    and (b.lines_read <> b.loaded + b.duplicates + b.quarantined
         or b.loaded <> coalesce(l.n, 0) or b.quarantined <> coalesce(q.n, 0))
order by b.batch_id
"""


def load_folder(context, warehouse: WarehouseResource, connector: Connector) -> dict[str, int]:
    """Every export of the channel folder not loaded before; a file that fails does not stop the others."""
    wh = warehouse.get()
    files = native_files(wh.settings.landing_dir / connector.kind)
    totals = dict.fromkeys(("files", "skipped_files", "failed_files", "file_quarantines", *COUNTS), 0)
    totals["files"] = len(files)
    failed: list[str] = []
    with wh.connect(autocommit=True) as conn:  # each file commits in its own transaction
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
    if failed:
        raise dg.Failure(f"{len(failed)} of {len(files)} files failed to load: {', '.join(failed[:10])}",
                         metadata={k: dg.MetadataValue.int(v) for k, v in totals.items()})
    return totals


def native_asset(name: str) -> dg.AssetsDefinition:
    kind, label = NATIVE_ASSETS[name]
    connector = CONNECTORS[kind]

    @dg.asset(key=["raw", name], group_name="raw", kinds={"postgres", "python"},
              description=f"{label} из папки приема {kind}/: строки как прочитаны, карантин, сверка.")
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Loads every export of the channel's landing folder not loaded before."""
        totals = load_folder(context, warehouse, connector)
        return dg.MaterializeResult(metadata={k: dg.MetadataValue.int(v) for k, v in totals.items()})

    return _asset


def native_check(name: str) -> dg.AssetChecksDefinition:
    connector = CONNECTORS[NATIVE_ASSETS[name][0]]

    @dg.asset_check(asset=dg.AssetKey(["raw", name]), name=f"{name}_batches_reconcile", blocking=True,
                    description="Каждая партия сходится: прочитано = загружено + дубликаты + карантин, "
                                "и строки на месте.")
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        """Every load batch of this loader reconciles with the rows it stored."""
        with warehouse.get().connect() as conn:
            bad = conn.execute(RECONCILE_SQL, (connector.loader,)).fetchall()
            totals = conn.execute(
                "select count(*), coalesce(sum(lines_read), 0), coalesce(sum(loaded), 0),"
                " coalesce(sum(duplicates), 0), coalesce(sum(quarantined), 0)"
                " from raw.load_batches where loader = %s", (connector.loader,)).fetchone()
        metadata = dict(zip(("batches", *COUNTS), map(int, totals)))
        if bad:
            metadata["failing_batches"] = dg.MetadataValue.md(
                "\n".join(f"- batch {row[0]} ({row[1]}): {row[2:]}" for row in bad[:20]))
        return dg.AssetCheckResult(passed=not bad, metadata=metadata)

    return _check


raw_pos_exports = native_asset("pos_exports")
raw_incident_exports = native_asset("incident_exports")
raw_sed_letters = native_asset("sed_letters")
native_assets = [raw_pos_exports, raw_incident_exports, raw_sed_letters]
native_checks = [native_check(name) for name in NATIVE_ASSETS]
