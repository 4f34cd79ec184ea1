"""Any metric of the semantic layer by any of its dimensions: MetricFlow writes the SQL, the BI role runs it.

MetricFlow's own CLI reads the relations the manifest was parsed for (the build schema, the parse-time
database); here they point at the published `marts` of the connected database, and the query runs on the
caller's connection, so it reads what BI tools read and nothing else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

# Short names an analyst types → MetricFlow's group-by items.
TIME_GRAINS = ("day", "week", "month", "quarter", "year")
ALIASES = {
    "sector": "appeal__sector_code",
    "sector_name": "sector__sector_name",
    "category": "appeal__category_code",
    "category_name": "category__category_name",
    "channel": "appeal__channel_code",
    "channel_name": "channel__channel_name",
    "agency": "appeal__agency_code",
    "body": "appeal__agency_code",
    "agency_name": "agency__agency_name",
    "municipality": "municipality",
    "municipality_name": "municipality__municipality_name",
    "legal_regime": "appeal__legal_regime",
    "source": "appeal__source",
    # flags of the appeal, to slice by repeats and conflicts
    "is_repeat": "appeal__is_repeat",
    "is_returned": "appeal__is_returned",
    "is_negative_rating": "appeal__is_negative_rating",
    "is_open_overdue": "appeal__is_open_overdue",
} | {grain: f"metric_time__{grain}" for grain in TIME_GRAINS}


class QueryError(Exception):
    """A query MetricFlow cannot answer (unknown metric or dimension, bad filter); the message says why."""


@dataclass(frozen=True)
class Answer:
    columns: list[str]
    rows: list[tuple]
    sql: str


def group_by_item(name: str) -> str:
    return ALIASES.get(name.strip(), name.strip())


def _where_item(name: str) -> str:
    item = group_by_item(name)
    if item.startswith("metric_time__"):
        return "{{ TimeDimension('metric_time', '" + item.split("__")[1] + "') }}"
    if "__" not in item:
        return "{{ Entity('" + item + "') }}"
    return "{{ Dimension('" + item + "') }}"


def where_clause(text: str) -> str:
    """Short names in a filter become MetricFlow's references; quoted literals and Jinja stay as typed."""
    if "{{" in text:
        return text
    parts = re.split(r"('(?:[^']|'')*')", text)
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = re.sub(
            r"\b[a-z_]+\b", lambda m: _where_item(m.group(0)) if m.group(0) in ALIASES else m.group(0), parts[i]
        )
    return "".join(parts)


def published_manifest(path: Path, schema: str = "marts") -> dict:
    """The semantic manifest with every relation in `schema` of the current database."""
    manifest = json.loads(path.read_text(encoding="utf-8"))
    relations = [m["node_relation"] for m in manifest["semantic_models"]]
    relations += [s["node_relation"] for s in manifest["project_configuration"].get("time_spines", [])]
    for relation in relations:
        relation.update(schema_name=schema, database=None, relation_name=f'"{schema}"."{relation["alias"]}"')
    return manifest


class _Dialect:
    """The part of MetricFlow's SqlClient the planner uses: PostgreSQL rendering; nothing is run here."""

    def __init__(self):
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.postgres import PostgresSQLSqlPlanRenderer

        self.sql_engine_type = SqlEngine.POSTGRES
        self.sql_plan_renderer = PostgresSQLSqlPlanRenderer()

    def query(self, *args, **kwargs):
        raise NotImplementedError("tsur runs MetricFlow's SQL on its own connection")

    execute = dry_run = query

    def close(self) -> None:
        pass

    def render_bind_parameter_key(self, key: str) -> str:
        return f"%({key})s"


class SemanticLayer:
    def __init__(self, manifest_path: Path, schema: str = "marts"):
        from metricflow.engine.metricflow_engine import MetricFlowEngine
        from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
        from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

        manifest = parse_manifest_from_dbt_generated_manifest(json.dumps(published_manifest(manifest_path, schema)))
        self.manifest = manifest
        self.engine = MetricFlowEngine(SemanticManifestLookup(manifest), _Dialect())

    def metric_names(self) -> list[str]:
        return sorted(m.name for m in self.manifest.metrics)

    def sql(
        self,
        metrics: list[str] | None = None,
        group_by: list[str] | None = None,
        where: list[str] | None = None,
        order_by: list[str] | None = None,
        saved_query: str | None = None,
    ) -> tuple[str, list[str]]:
        """MetricFlow's SQL for the request and the output column names an analyst typed."""
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        items = [group_by_item(g) for g in group_by or []]
        request = MetricFlowQueryRequest.create(
            saved_query_name=saved_query,
            metric_names=metrics or None,
            group_by_names=items or None,
            where_constraints=[where_clause(w) for w in where or []] or None,
            order_by_names=[group_by_item(o) for o in order_by] if order_by else (items or None),
        )
        try:
            statement = self.engine.explain(request).sql_statement
        except Exception as exc:  # MetricFlow raises many kinds; all mean the request cannot be answered
            raise QueryError(_first_lines(str(exc)) or type(exc).__name__) from None
        return statement.sql, items

    def query(self, conn, metrics=None, group_by=None, where=None, order_by=None, saved_query=None) -> Answer:
        sql, items = self.sql(metrics, group_by, where, order_by, saved_query)
        cursor = conn.execute(sql)
        columns = [_short_name(d.name, group_by or []) for d in cursor.description]
        return Answer(columns, [tuple(r) for r in cursor.fetchall()], sql)


def _short_name(column: str, typed: list[str]) -> str:
    """The name the analyst typed, else the short alias of a MetricFlow column, else the column itself."""
    for name in typed:
        if column == group_by_item(name):
            return name
    return next((alias for alias, item in ALIASES.items() if item == column), column)


def _first_lines(text: str, limit: int = 25) -> str:
    """MetricFlow's message without its trailing boilerplate."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[:limit])
