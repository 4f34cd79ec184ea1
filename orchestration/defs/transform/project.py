"""The dbt project as Dagster sees it, and how its manifest is kept current."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from lib.config import DBT_PROJECT_DIR
from lib.dbt import dbt_executable

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
_SOURCES = ("models", "macros", "seeds", "tests", "dbt_project.yml", "profiles.yml")


@cache
def manifest() -> dict:
    """dbt's manifest, read once per process: the dbt assets, the unowned sources and the list of marts to
    publish all come from it."""
    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())


def manifest_is_stale() -> bool:
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for name in _SOURCES:
        root = DBT_PROJECT_DIR / name
        paths = [root] if root.is_file() else root.rglob("*")
        if any(p.stat().st_mtime > built for p in paths if p.is_file()):
            return True
    return False


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than its files; the KPI catalogue of the
    macros follows the metrics (orchestration/semantic.py), so a changed catalogue means a second parse."""
    from orchestration.semantic import CATALOG_MACRO, sync_catalog

    if manifest_is_stale() or not CATALOG_MACRO.exists():
        if not CATALOG_MACRO.exists():
            CATALOG_MACRO.write_text("{% macro kpi_definitions() %}{{ return([]) }}{% endmacro %}\n")
        _parse()
        if sync_catalog(dbt_project.manifest_path):
            _parse()
    return dbt_project.manifest_path


def _parse() -> None:
    dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
