"""Run a suite against a PostgreSQL relation with Great Expectations 1.x and return an `Outcome`.

GX is imported here, lazily: importing it takes seconds, and Dagster loads the definitions far more
often than it validates anything.
"""

from __future__ import annotations

import os
import re
import warnings
from datetime import UTC, datetime
from typing import Any

from expectations.relations import suffixed
from expectations.results import Failure, Outcome
from expectations.suite import Expect, Now, Suite

_STRUCTURE = {
    "expect_column_values_to_be_of_type",
    "expect_column_values_to_be_in_type_list",
    "expect_table_columns_to_match_set",
    "expect_column_to_exist",
}
_HIDDEN_KWARGS = {
    "batch_id",
    "column",
    "column_list",
    "column_A",
    "column_B",
    "description",
    "meta",
    "ignore_row_if",
    "result_format",
}


def relation_for(suite: Suite, schema_suffix: str = "") -> str:
    """The relation a build with `schema_suffix` (or relations.STAGED) writes (dbt models only; raw never moves)."""
    return suffixed(suite.relation, schema_suffix) if suite.model and schema_suffix else suite.relation


def run_suite(url: str, suite: Suite, *, schema_suffix: str = "", now: datetime | None = None) -> Outcome:
    """Validate `suite` against its relation in the database at SQLAlchemy `url`."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    started = datetime.now(UTC)
    now = now or started
    relation = relation_for(suite, schema_suffix)
    schema, table = relation.split(".", 1)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    with warnings.catch_warnings():  # add_postgres would suit, but it rejects a socket URL without a host
        warnings.simplefilter("ignore")
        source = context.data_sources.add_sql(name="warehouse", connection_string=url)
    engine = source.get_engine()
    try:
        with engine.connect() as conn:
            exists = conn.exec_driver_sql("select to_regclass(%(r)s) is not null", {"r": relation}).scalar()
            if not exists:
                return Outcome(
                    suite.name,
                    "expectations",
                    relation,
                    len(suite.rules),
                    [],
                    started,
                    datetime.now(UTC),
                    error=f"relation {relation} does not exist",
                )
            rows = conn.exec_driver_sql(
                f'select count(*) from "{schema}"."{table}" where {suite.where or "true"}'
            ).scalar()
        table_asset = source.add_table_asset(name=relation, table_name=table, schema_name=schema)
        specs = list(enumerate(suite.rules))
        # Structure is the whole table's; a suite of one asset's rows checks its values on those rows only.
        parts = [(table_asset, specs)]
        if suite.where:
            rows_asset = source.add_query_asset(
                name=f"{relation} ({suite.name})", query=f'select * from "{schema}"."{table}" where {suite.where}'
            )
            parts = [
                (table_asset, [(i, e) for i, e in specs if e.type in _STRUCTURE]),
                (rows_asset, [(i, e) for i, e in specs if e.type not in _STRUCTURE]),
            ]
        results = []
        for asset, part in parts:
            batch = asset.add_batch_definition_whole_table("whole").get_batch()
            gx_suite = gx.ExpectationSuite(
                name=suite.name, expectations=[_expectation(gx, spec, i, now) for i, spec in part]
            )
            results += batch.validate(
                gx_suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5}
            ).results
    finally:
        engine.dispose()
    failures = [_failure(r, suite) for r in sorted(results, key=_index) if not _passed(r)]
    return Outcome(
        suite.name,
        "expectations",
        relation,
        len(results),
        failures,
        started,
        datetime.now(UTC),
        stats={"rows": int(rows)},
    )


def gx_class_name(type_: str) -> str:
    """expect_column_values_to_be_between -> ExpectColumnValuesToBeBetween."""
    return "".join(part.capitalize() for part in type_.split("_"))


def resolve(value: Any, now: datetime) -> Any:
    """Moments relative to the validation time become ISO dates (GX compares a date column with a date,
    a timestamp column with midnight of that date)."""
    if isinstance(value, Now):
        return (now + value.ahead).date().isoformat()
    return value


def _expectation(gx, spec: Expect, index: int, now: datetime):
    try:
        cls = getattr(gx.expectations, gx_class_name(spec.type))
    except AttributeError:
        raise ValueError(f"unknown expectation {spec.type}") from None
    kwargs = {k: resolve(v, now) for k, v in spec.kwargs.items()}
    return cls(**kwargs, meta={"index": index, "note": spec.note})


def _index(result) -> int:
    return int((result.expectation_config.meta or {}).get("index", 0))


def _exception(result) -> str | None:
    """The error GX caught, flat or (for query metrics) keyed by metric: the first line of its message."""
    info = result.exception_info or {}
    found = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for item in found:
        if item.get("raised_exception") or item.get("exception_traceback"):
            lines = str(item.get("exception_message") or item.get("exception_traceback") or "error").splitlines()
            # The driver's own line names the cause: "(psycopg.errors.UndefinedColumn) column … does not exist".
            errors = [line for line in lines if "errors." in line or "Error:" in line] or lines or ["error"]
            return errors[-1].strip()[:300]
    return None


def _passed(result) -> bool:
    return bool(result.success) and _exception(result) is None


def _failure(result, suite: Suite) -> Failure:
    config = result.expectation_config
    kwargs = dict(config.kwargs)
    column = kwargs.get("column") or ", ".join(kwargs.get("column_list") or []) or None
    if "column_A" in kwargs:
        column = f"{kwargs['column_A']} >= {kwargs['column_B']}"
    expected = ", ".join(f"{k}={_brief(v)}" for k, v in kwargs.items() if k not in _HIDDEN_KWARGS)
    if config.type == "unexpected_rows_expectation":  # the condition says it; the select list does not
        query = kwargs["unexpected_rows_query"]
        simple = re.fullmatch(r"select .+? from \{batch\} where (.*)", query, re.DOTALL)
        expected = "no rows where " + simple.group(1) if simple else "no rows from: " + _brief(query)
    found = result.result or {}
    observed = found.get("observed_value")
    error = _exception(result)
    if error:
        observed = "error: " + error
    sample = () if suite.restricted else tuple(found.get("partial_unexpected_list") or ())[:5]
    if suite.restricted and not _safe(config.type, observed):
        observed = "hidden: restricted table"
    count = found.get("unexpected_count")
    if config.type == "unexpected_rows_expectation" and isinstance(observed, int):
        count, observed = observed, None
    return Failure(
        rule=config.type,
        expected=expected or "true",
        observed=observed,
        column=column,
        unexpected_count=count,
        sample=sample,
        note=(config.meta or {}).get("note"),
    )


def _safe(type_: str, observed: Any) -> bool:
    """What may leave a restricted table: counts, flags and the table's own structure, never its values."""
    return observed is None or isinstance(observed, (int, float, bool)) or type_ in _STRUCTURE


def _brief(value: Any) -> str:
    if isinstance(value, (list, tuple)) and len(value) > 8:
        return "[" + ", ".join(map(str, value[:8])) + f", … {len(value)} in all]"
    text = str(value)
    return text if len(text) <= 160 else text[:159] + "…"
