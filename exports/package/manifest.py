"""manifest.json: what the package is, which clocks its figures have, and each file's rows and sha256.

`generated_at` is the period's close (the as_of of the figures), not the wall clock: a wall-clock time would
make two runs over the same data differ. When a run actually happened is kept outside the package, in
`<period>/runs.log`."""

from __future__ import annotations

import hashlib
import json
import subprocess
from functools import lru_cache
from importlib import metadata

from lib.config import PROJECT_ROOT

MANIFEST = "manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """The package version and the git commit the code came from (when it is a git checkout)."""
    try:
        version = metadata.version("tsur-warehouse")
    except metadata.PackageNotFoundError:
        version = "unknown"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"tsur-warehouse {version}" + (f"+g{commit}" if commit else "")


def manifest_bytes(
    *,
    period: str,
    period_kind: str,
    revision: int,
    as_of: str,
    batch_hwm: int,
    schema: str,
    files: dict[str, bytes],
    rows: dict[str, int],
    previous: int | None = None,
    quality_flags: dict[str, int] | None = None,
    suppression: dict | None = None,
) -> bytes:
    """The manifest of the given files; keys sorted, so the same package gives the same bytes."""
    body = {
        "package": "federal_report",
        "period": period,
        "period_kind": period_kind,
        "revision": revision,
        "previous_revision": previous,
        "as_of": as_of,
        "generated_at": as_of,
        "code_version": code_version(),
        "data_version": {"batch_hwm": batch_hwm, "source_schema": schema},
        # Rows of the picture each plausibility rule flagged: kept in the figures (but where the rule says),
        # listed in marts.mart_quality_flags for the current warehouse.
        "quality_flags": quality_flags or {},
        # Small municipal counts hidden for privacy (exports/package/territory.py): the minimum, the rule,
        # and per table how many cells each rule hid — never which values.
        "suppression": suppression or {},
        "files": {
            name: {"bytes": len(data), "sha256": sha256(data), "rows": rows.get(name)}
            for name, data in sorted(files.items())
        },
    }
    return (json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def read_manifest(data: bytes) -> dict:
    return json.loads(data.decode("utf-8"))
