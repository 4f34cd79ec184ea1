"""What the fault and replay suites need to know about each source format, and how they compare states.

A format is a `FormatCase`: how to write a sample of it, load one file in this process, load files in a
fresh process (for SIGKILL), and which raw tables it fills with which columns a rerun may legitimately
change. Adding a format (ПОС/ИМ XLSX, СЭД CSV, Open311 pages) to every suite = adding a case to CASES.

Columns a rerun may change, and why nothing else may:
- batch ids (`batch_id`, `quarantine_id`) come from sequences; a killed transaction consumes numbers that
  are never given back, and another load order numbers batches differently;
- `loaded_at`, `started_at`, `finished_at`, `quarantined_at` are the wall clock of the load itself, and so
  are the batch number and the "latest allowed" moment some quarantine reasons quote.
Everything else — the key, the verbatim payload, flags, the file (origin), line number and hash, the
quarantine reason — is a function of the input alone and must come out equal, row for row.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from sources.detect import CONNECTORS, ingest_file
from sources.events import load_event_file
from sources.loader import BatchReport
from sources.sample import generate_sample
from tests.conftest import run_dbt

# The clocks of the build that wrote a row (_built_*) are lineage too: the last batch id differs by load order.
LINEAGE = (
    "batch_id",
    "last_batch_id",
    "quarantine_id",
    "loaded_at",
    "started_at",
    "finished_at",
    "opened_txid",
    "quarantined_at",
    "_built_hwm",
    "_built_as_of",
)
# A quarantine reason may name the earlier batch a conflicting row is in, or the latest moment allowed
# when the line was judged (load time + tolerance): lineage and wall clock as well.
REASON_WITHOUT_BATCH = (
    r"regexp_replace(regexp_replace(reason, '\(batch \d+, ', '(batch ?, '),"
    r" 'latest allowed [^)]*', 'latest allowed ?')"
)


@dataclass(frozen=True)
class FormatCase:
    name: str
    write: Callable[[Path, float], list[Path]]  # a sample into a folder; the files in their load order
    load: Callable[..., BatchReport]  # (conn, path, force=False): one file, one batch, in this process
    command: Callable[[list[Path]], list[str]]  # argv loading files one batch each, in a fresh process
    tables: tuple[str, ...]  # the raw tables it fills, besides raw.load_batches and raw.quarantine
    loaders: tuple[str, ...]  # its names in raw.load_batches.loader
    key: str  # the natural key of its raw rows


def _write_events(folder: Path, scale: float) -> list[Path]:
    return generate_sample(folder, scale=scale, formats="canonical").paths


CANONICAL_EVENTS = FormatCase(
    name="appeal-event/1",
    write=_write_events,
    load=lambda conn, path, force=False: load_event_file(conn, path, force=force),
    command=lambda paths: [sys.executable, "-m", "orchestration.cli", "ingest", *map(str, paths)],
    tables=("raw.appeal_events",),
    loaders=("appeal_events",),
    key="source, event_id",
)


def _write_exports(folder: Path, scale: float) -> list[Path]:
    """ПОС XLSX/CSV, ИМ XLSX and СЭД CSV exports of the sample year, in the order they were exported."""
    paths = generate_sample(folder, scale=scale, formats="native").paths
    return [p for p in paths if p.suffix in (".xlsx", ".csv")]


NATIVE_EXPORTS = FormatCase(
    name="native-exports",
    write=_write_exports,
    load=lambda conn, path, force=False: ingest_file(conn, path, force=force)[1],
    command=lambda paths: [sys.executable, "-m", "orchestration.cli", "ingest", *map(str, paths)],
    tables=("raw.source_rows",),
    loaders=tuple(c.loader for c in CONNECTORS.values()),
    key="source, appeal_id, exported_at",
)
CASES = [CANONICAL_EVENTS, NATIVE_EXPORTS]


def _columns(conn: psycopg.Connection, relation: str, ignore: tuple[str, ...]) -> list[str]:
    schema, name = relation.split(".")
    rows = conn.execute(
        "select column_name from information_schema.columns where table_schema = %s"
        " and table_name = %s order by ordinal_position",
        (schema, name),
    ).fetchall()
    return [c for (c,) in rows if c not in ignore]


def _select_list(conn: psycopg.Connection, relation: str, ignore: tuple[str, ...]) -> sql.Composable:
    parts = []
    for column in _columns(conn, relation, ignore):
        if relation == "raw.quarantine" and column == "reason":
            parts.append(sql.SQL(REASON_WITHOUT_BATCH))
        else:
            parts.append(sql.Identifier(column))
    return sql.SQL(", ").join(parts)


def rows(conn: psycopg.Connection, relation: str, ignore: tuple[str, ...] = LINEAGE) -> list[str]:
    """The relation's rows without lineage columns, each as its text form, in a stable order."""
    schema, name = relation.split(".")
    query = sql.SQL("select row({})::text as r from {}.{} order by r").format(
        _select_list(conn, relation, ignore), sql.Identifier(schema), sql.Identifier(name)
    )
    return [r for (r,) in conn.execute(query)]


def digest(conn: psycopg.Connection, relation: str, ignore: tuple[str, ...] = ()) -> tuple[int, str]:
    """(rows, md5 of the ordered content) of a relation, computed in the database."""
    schema, name = relation.split(".")
    query = sql.SQL(
        "select count(*), md5(coalesce(string_agg(r, E'\\n' order by r), ''))"
        " from (select row({})::text as r from {}.{}) as t"
    ).format(_select_list(conn, relation, ignore), sql.Identifier(schema), sql.Identifier(name))
    count, md5 = conn.execute(query).fetchone()
    return int(count), md5


def schema_digests(conn: psycopg.Connection, schema: str, ignore: tuple[str, ...] = ()) -> dict[str, tuple]:
    names = conn.execute(
        "select c.relname from pg_class as c join pg_namespace as n on n.oid = c.relnamespace"
        " where n.nspname = %s and c.relkind in ('r', 'v', 'm', 'p') order by 1",
        (schema,),
    ).fetchall()
    return {name: digest(conn, f"{schema}.{name}", ignore) for (name,) in names}


def raw_state(conn: psycopg.Connection, case: FormatCase) -> dict[str, list[str]]:
    """Everything a load of `case` leaves in raw, lineage aside."""
    return {t: rows(conn, t) for t in (*case.tables, "raw.load_batches", "raw.quarantine")}


def build(warehouse, variables: dict, *select: str, full_refresh: bool = False) -> None:
    """dbt build of the models (seeds included, tests left to the rest of the suite) with fixed clocks."""
    args = ["build", "--exclude-resource-type", "test", "unit_test", "--vars", json.dumps(variables)]
    args += ["--full-refresh"] if full_refresh else []
    run_dbt(warehouse, *args, *(["--select", *select] if select else []))


def first_difference(left: list[str], right: list[str]) -> str:
    only_left, only_right = sorted(set(left) - set(right)), sorted(set(right) - set(left))
    return (
        f"{len(left)} vs {len(right)} rows; only left: {[r[:200] for r in only_left[:2]]};"
        f" only right: {[r[:200] for r in only_right[:2]]}"
    )
