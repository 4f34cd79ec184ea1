"""A sensor on the landing folders: a run of the ingest assets when a file appears that was never loaded.

"Never loaded" is decided by the warehouse itself (the file's sha256 is not in raw.load_batches), so the
sensor is idempotent: a file loaded by hand, or renamed, or copied twice, starts nothing. The cursor only
remembers hashes by (path, size, mtime) so that unchanged files are not read again every evaluation.
"""

import hashlib
import json
import os
import time
from pathlib import Path

import dagster as dg

from orchestration.defs.ingest.native import NATIVE_ASSETS
from orchestration.resources import WarehouseResource
from sources.files import file_sha256
from sources.landing import event_files, native_files

EVENTS_ASSET = "appeal_events"
WATCHED_ASSETS = (EVENTS_ASSET, *NATIVE_ASSETS)


def landing_files(landing: Path) -> list[tuple[str, Path]]:
    """(asset name, file) for every file an ingest asset would load from the landing folder."""
    found = [(EVENTS_ASSET, p) for p in event_files(landing)]
    for name, (kind, _) in NATIVE_ASSETS.items():
        found.extend((name, p) for p in native_files(landing / kind))
    return found


def hashed(
    files: list[tuple[str, Path]], known: dict[str, list], settle_seconds: float, now: float
) -> tuple[dict[Path, tuple[str, str]], dict[str, list]]:
    """{file: (asset, sha256)} for files that stopped changing, and the cache for the next evaluation."""
    out: dict[Path, tuple[str, str]] = {}
    cache: dict[str, list] = {}
    for asset, path in files:
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed between listing and reading
            continue
        if now - stat.st_mtime < settle_seconds:
            continue  # still being written, perhaps: look again next time
        entry = known.get(str(path))
        if not entry or entry[:2] != [stat.st_size, stat.st_mtime_ns]:
            entry = [stat.st_size, stat.st_mtime_ns, file_sha256(path)]
        cache[str(path)] = entry
        out[path] = (asset, entry[2])
    return out, cache


def unloaded(conn, hashes: set[str]) -> set[str]:
    """The hashes no load batch has recorded."""
    if not hashes:
        return set()
    rows = conn.execute(
        "select distinct origin_sha256 from raw.load_batches where origin_sha256 = any(%s)", (sorted(hashes),)
    ).fetchall()
    return hashes - {row[0] for row in rows}


@dg.sensor(
    name="landing_files_sensor",
    minimum_interval_seconds=int(os.environ.get("TSUR_SENSOR_SECONDS", "30")),
    default_status=dg.DefaultSensorStatus.RUNNING,
    target=dg.AssetSelection.assets(*(dg.AssetKey(["raw", name]) for name in WATCHED_ASSETS)),
    description="Новые файлы в папках приема (по sha256, которого нет в raw.load_batches) → загрузка.",
)
def landing_files_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """Requests a load of the ingest assets whose landing folders hold files never loaded."""
    wh = warehouse.get()
    known = json.loads(context.cursor)["files"] if context.cursor else {}
    files, cache = hashed(
        landing_files(wh.settings.landing_dir), known, wh.settings.landing_settle_seconds, time.time()
    )
    with wh.connect(autocommit=True) as conn:
        new = unloaded(conn, {sha for _, sha in files.values()})
    cursor = json.dumps({"files": cache}, sort_keys=True, separators=(",", ":"))
    if not new:
        return dg.SensorResult(skip_reason=f"{len(files)} files in the landing folders, none new", cursor=cursor)
    assets = sorted({asset for asset, sha in files.values() if sha in new})
    # The same set of new files gives the same run key: Dagster starts it once, however often we look.
    run_key = hashlib.sha256(",".join(sorted(new)).encode()).hexdigest()[:32]
    request = dg.RunRequest(
        run_key=run_key,
        asset_selection=[dg.AssetKey(["raw", a]) for a in assets],
        tags={"tsur/new_files": str(len(new))},
    )
    return dg.SensorResult(run_requests=[request], cursor=cursor)
