"""Settings of the embedded PostgreSQL sized to the machine, written by the project into the cluster it owns.

PostgreSQL's defaults (128 MB of shared buffers, 1 GB of WAL between checkpoints) are for a server that must
start anywhere. At 100 × the sample year the raw events' indexes alone are about a gigabyte; with the
defaults every load reads them back from disk and checkpoints every few files. The file `tsur.conf` in the
data folder is rewritten at each start from the machine's memory; `ALTER SYSTEM` still overrides it
(postgresql.auto.conf is read after it). A server given by `TSUR_DATABASE_URL` is its DBA's to tune.
"""

from __future__ import annotations

import os
from pathlib import Path

CONF_NAME = "tsur.conf"
INCLUDE = f"include_if_exists = '{CONF_NAME}'"
_MB = 1 << 20


def machine_memory_bytes() -> int:
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def sized_settings(memory_bytes: int) -> dict[str, str]:
    """Settings for a server that shares the machine with the loader, dbt and Dagster (so a quarter, not more).

    Memory and checkpoints only: settings that change plans (random_page_cost, effective_cache_size,
    parallel workers) were tried and made the working-time models of a full build several times slower.
    """
    mb = memory_bytes // _MB
    shared = min(max(mb // 4, 128), 8192)
    return {
        "shared_buffers": f"{shared}MB",
        "maintenance_work_mem": f"{min(max(mb // 16, 64), 1024)}MB",  # index builds, ANALYZE
        "work_mem": f"{min(max(mb // 256, 4), 64)}MB",  # per sort or hash; dbt runs 4 models at a time
        "max_wal_size": "4GB",  # checkpoints by time, not after every few loaded files
        "min_wal_size": "256MB",
        "checkpoint_timeout": "15min",
        "checkpoint_completion_target": "0.9",
        "wal_compression": "on",  # full-page images of wide jsonb rows compress well
    }


def render(settings: dict[str, str]) -> str:
    lines = [
        "# Written by tsur at each start of the embedded server (lib/pg_settings.py).",
        "# Do not edit: use ALTER SYSTEM, which overrides this file.",
    ]
    lines += [f"{name} = '{value}'" for name, value in settings.items()]
    return "\n".join(lines) + "\n"


def write_settings(pgdata: Path, memory_bytes: int | None = None) -> dict[str, str]:
    """Write tsur.conf for this machine and make postgresql.conf include it (once)."""
    settings = sized_settings(memory_bytes or machine_memory_bytes())
    (pgdata / CONF_NAME).write_text(render(settings), encoding="utf-8")
    conf = pgdata / "postgresql.conf"
    text = conf.read_text(encoding="utf-8")
    if INCLUDE not in text:
        conf.write_text(text.rstrip("\n") + f"\n\n{INCLUDE}\n", encoding="utf-8")
    return settings
