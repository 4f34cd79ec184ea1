"""Checks on the Open311 raw data: every window batch reconciles with what it fetched and stored."""

import dagster as dg

from orchestration.resources import WarehouseResource

# A window's objects = its batch's lines + broken ones quarantined before; a batch's lines = its verdicts;
# its verdicts = the rows it left.
RECONCILE_SQL = """
with loaded as (
    select batch_id, count(*) as n from raw.source_rows group by batch_id
), quarantined as (
    select batch_id, count(*) as n from raw.quarantine group by batch_id
)
select b.batch_id, b.origin, w.objects_read, w.repeated_broken, b.lines_read, b.loaded, coalesce(l.n, 0),
    b.duplicates, b.quarantined, coalesce(q.n, 0)
from raw.load_batches as b
left join raw.open311_windows as w using (batch_id)
left join loaded as l using (batch_id)
left join quarantined as q using (batch_id)
where b.loader = 'open311'
    and (w.batch_id is null or w.objects_read <> b.lines_read + w.repeated_broken
         or b.lines_read <> b.loaded + b.duplicates + b.quarantined
         or b.loaded <> coalesce(l.n, 0) or b.quarantined <> coalesce(q.n, 0))
order by b.batch_id
"""


@dg.asset_check(asset=dg.AssetKey(["raw", "open311_requests"]), blocking=True,
                description="Каждое окно опроса Open311 сходится: объекты = строки партии + повторно битые; "
                            "строки = загружено + дубликаты + карантин, и строки на месте.")
def open311_batches_reconcile(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every Open311 window batch reconciles with the rows it stored."""
    with warehouse.get().connect() as conn:
        bad = conn.execute(RECONCILE_SQL).fetchall()
        totals = conn.execute(
            "select count(*), coalesce(sum(lines_read), 0), coalesce(sum(loaded), 0),"
            " coalesce(sum(duplicates), 0), coalesce(sum(quarantined), 0)"
            " from raw.load_batches where loader = 'open311'").fetchone()
    metadata = dict(zip(("batches", "lines_read", "loaded", "duplicates", "quarantined"), map(int, totals)))
    if bad:
        metadata["failing_batches"] = dg.MetadataValue.md(
            "\n".join(f"- batch {row[0]} ({row[1]}): {row[2:]}" for row in bad[:20]))
    return dg.AssetCheckResult(passed=not bad, metadata=metadata)
