"""Dagster's home and storage: runs, events and schedules kept in the warehouse's PostgreSQL."""

from __future__ import annotations

import os

from lib.warehouse import Warehouse

DAGSTER_SCHEMA = "dagster"
DAGSTER_YAML = """\
# Written by `tsur`; the storage URL comes from the environment, never from this file.
storage:
  postgres:
    postgres_url:
      env: TSUR_DAGSTER_PG_URL
telemetry:
  enabled: false
"""


def prepare_dagster(wh: Warehouse) -> dict[str, str]:
    """Create Dagster's schema and home, and set the variables Dagster reads; returns them."""
    with wh.connect(autocommit=True) as conn:
        conn.execute(f"create schema if not exists {DAGSTER_SCHEMA}")
    home = wh.settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() != DAGSTER_YAML:
        config.write_text(DAGSTER_YAML)
    env = {
        "DAGSTER_HOME": str(home),
        "TSUR_DAGSTER_PG_URL": wh.sqlalchemy_url(options=f"-csearch_path={DAGSTER_SCHEMA}"),
        "DAGSTER_DISABLE_TELEMETRY": "true",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }
    os.environ.update(env)
    return env
