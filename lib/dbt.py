"""dbt invocation: the executable of this environment and the one function that builds dbt's arguments."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lib.config import DBT_PROJECT_DIR


def dbt_executable() -> str:
    """dbt from this interpreter's environment, so an unactivated venv works too."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def dbt_args(
    command: str,
    *extra: str,
    variables: dict | None = None,
    full_refresh: bool = False,
    target_path: Path | None = None,
    project: bool = True,
) -> list[str]:
    """Arguments of one dbt command: the command, its own flags, the clocks as --vars, then where the project is.

    `project=False` leaves the project and profiles out, for Dagster's DbtCliResource that adds its own."""
    args = [command, *extra]
    if full_refresh:
        args.append("--full-refresh")
    if variables is not None:
        args += ["--vars", json.dumps(variables, sort_keys=True)]
    if project:
        args += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    if target_path is not None:
        args += ["--target-path", str(target_path)]
    return args
