"""Past pictures: dbt builds as the warehouse knew the world at a moment, each in its own schemas.

    vars = build_as_of(warehouse, as_of=period_close("2025-10"), batch_hwm=None, schema_suffix="asof_2025_10")

builds every model from events that occurred by `as_of` and load batches up to `batch_hwm` into
marts__asof_2025_10 (and staging__…, intermediate__…, reference__…), never touching the current marts.
Building again with the same as_of and batch_hwm gives the same figures, however many events arrived since.
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime

from lib.config import DBT_PROJECT_DIR
from lib.dbt import dbt_args, dbt_executable

_SUFFIX = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TARGET_PATH = DBT_PROJECT_DIR / "target" / "asof"


class AsOfBuildError(RuntimeError):
    """dbt failed to build a past picture; the message ends with dbt's output."""


def check_suffix(suffix: str) -> str:
    if not _SUFFIX.match(suffix or ""):
        raise ValueError(f"schema suffix must be lower-case letters, digits and _, starting with a letter: {suffix!r}")
    return suffix


def marts_schema(suffix: str) -> str:
    """Where a build's marts are: marts for the current picture, marts__<suffix> for a past one."""
    return f"marts__{check_suffix(suffix)}" if suffix else "marts"


def dbt_vars(as_of: datetime, batch_hwm: int, schema_suffix: str) -> dict:
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValueError(f"as_of needs a time zone: {as_of}")
    return {"as_of": as_of.isoformat(), "batch_hwm": int(batch_hwm), "schema_suffix": check_suffix(schema_suffix)}


def dbt_command(dbt: str, variables: dict, select: str | None = None) -> list[str]:
    """The dbt invocation of an as-of build; unit tests run in the current builds, not in past pictures."""
    extra = ["--exclude-resource-type", "unit_test"]
    if select:
        # Only the tests whose every parent is selected: a partial picture has no other relations.
        extra += ["--select", select, "--indirect-selection", "cautious"]
    return [dbt, *dbt_args("build", *extra, variables=variables, target_path=TARGET_PATH)]


def build_as_of(
    warehouse, *, as_of: datetime, batch_hwm: int | None, schema_suffix: str, select: str | None = None
) -> dict:
    """Run `dbt build` for the picture at (as_of, batch_hwm) into schemas with `schema_suffix`.

    batch_hwm None means the last batch committed now; it is fixed before dbt starts and returned with the
    other vars, so the caller can record exactly which knowledge the picture used."""
    if not schema_suffix:
        raise ValueError("an as-of build needs a schema suffix: it must not replace the current marts")
    if batch_hwm is None:
        with warehouse.connect() as conn:
            batch_hwm = conn.execute("select coalesce(max(batch_id), 0) from raw.load_batches").fetchone()[0]
    variables = dbt_vars(as_of, batch_hwm, schema_suffix)
    from lib.roles import build_bi_role

    with warehouse.connect() as conn:  # the exports read the picture as the reporter, a member of BI
        bi_role = build_bi_role(conn, warehouse.settings.home, warehouse.server is not None)
    env = {**os.environ, **warehouse.dbt_env()}
    result = subprocess.run(
        dbt_command(dbt_executable(), {**variables, "bi_role": bi_role}, select),
        env=env,
        capture_output=True,
        text=True,
        cwd=DBT_PROJECT_DIR,
    )
    if result.returncode != 0:
        tail = (result.stdout[-4000:] + "\n" + result.stderr[-1000:]).strip()
        raise AsOfBuildError(
            f"dbt build as of {variables['as_of']} (batches ≤ {batch_hwm}) into *__{schema_suffix} failed:\n{tail}"
        )
    return variables


def suffix_schemas(conn, suffix: str) -> list[str]:
    """The schemas an as-of build with this suffix created (marts__<suffix>, staging__<suffix>, …)."""
    ending = "__" + check_suffix(suffix)
    rows = conn.execute(
        "select nspname from pg_namespace where right(nspname, %s) = %s order by 1", (len(ending), ending)
    ).fetchall()
    return [name for (name,) in rows]


def drop_suffix_schemas(conn, suffix: str) -> list[str]:
    """Drop a past picture's schemas; return their names. The current schemas are never touched."""
    from psycopg import sql

    dropped = suffix_schemas(conn, suffix)
    for name in dropped:
        conn.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(name)))
    conn.commit()
    return dropped
