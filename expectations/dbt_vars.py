"""The dbt project's vars the suites must agree with, read from dbt_project.yml so the two never drift."""

from __future__ import annotations

from functools import cache

import yaml

from lib.config import DBT_PROJECT_DIR


@cache
def dbt_vars() -> dict:
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


LOCAL_TZ: str = dbt_vars()["local_timezone"]
NEGATIVE_RATING_MAX: int = int(dbt_vars()["negative_rating_max"])
