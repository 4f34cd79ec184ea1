"""Create or update the database connection, datasets, charts and dashboard through Superset's REST API.

Run with the Superset venv's python: provision.py http://127.0.0.1:8088 (env TSUR_BI_ADMIN_PASSWORD,
TSUR_BI_SQLALCHEMY_URI). Everything is found by name and updated in place: running it again duplicates nothing.
Prints the dashboard's URL last.
"""

from __future__ import annotations

import json
import os
import re
import sys
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg2
import requests
from dashboard import CHARTS, DATABASE_NAME, DATASETS, LABELS, SCHEMA, SLUG, TITLE, position_json


class Api:
    """A logged-in Superset REST session (JWT plus the CSRF token the API asks for on writes)."""

    def __init__(self, base: str, user: str, password: str):
        self.base, self.http = base.rstrip("/"), requests.Session()
        token = self._check(
            self.http.post(
                f"{self.base}/api/v1/security/login",
                json={"username": user, "password": password, "provider": "db", "refresh": True},
            )
        )["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        csrf = self._check(self.http.get(f"{self.base}/api/v1/security/csrf_token/"))["result"]
        self.http.headers.update({"X-CSRFToken": csrf, "Referer": self.base})

    @staticmethod
    def _check(resp: requests.Response) -> dict:
        if resp.status_code >= 400:
            raise SystemExit(f"{resp.request.method} {resp.url}: {resp.status_code} {resp.text[:2000]}")
        return resp.json()

    def get(self, path: str) -> dict:
        return self._check(self.http.get(f"{self.base}/api/v1/{path}"))

    def post(self, path: str, body: dict) -> dict:
        return self._check(self.http.post(f"{self.base}/api/v1/{path}", json=body))

    def put(self, path: str, body: dict) -> dict:
        return self._check(self.http.put(f"{self.base}/api/v1/{path}", json=body))

    def find(self, kind: str, field: str, value: str, **match) -> dict | None:
        """The first object of a kind whose `field` equals `value` (and the other fields given)."""
        for page in range(100):
            rows = self.get(f"{kind}/?q=(page:{page},page_size:100)")["result"]
            for row in rows:
                if row.get(field) == value and all(_plain(row.get(k)) == v for k, v in match.items()):
                    return row
            if len(rows) < 100:
                return None
        return None

    def upsert(self, kind: str, field: str, body: dict, **match) -> int:
        """POST a new object or PUT over the existing one with the same name; returns its id."""
        found = self.find(kind, field, body[field], **match)
        if found:
            self.put(f"{kind}/{found['id']}", body)
            return found["id"]
        return self.post(f"{kind}/", body)["id"]


def _plain(value):
    return value.get("id") if isinstance(value, dict) else value


def _connect(uri: str):
    parts = urlsplit(uri.replace("postgresql+psycopg2://", "postgresql://"))
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return psycopg2.connect(
        host=query.get("host") or parts.hostname,
        port=parts.port or 5432,
        dbname=unquote(parts.path.lstrip("/")),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or "") or None,
        options=query.get("options"),
    )


def comments(uri: str) -> dict[str, tuple[str, dict[str, str]]]:
    """table → (table comment, {column: comment}) for the datasets, read as the BI role."""
    conn = _connect(uri)
    try:
        with conn.cursor() as cur:
            cur.execute(
                """
                select c.relname, obj_description(c.oid, 'pg_class'), a.attname, col_description(c.oid, a.attnum)
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                where n.nspname = %s and c.relname = any(%s)""",
                (SCHEMA, list(DATASETS)),
            )
            found: dict[str, tuple[str, dict[str, str]]] = {}
            for table, table_comment, column, column_comment in cur.fetchall():
                found.setdefault(table, (table_comment or "", {}))[1][column] = column_comment or ""
    finally:
        conn.close()
    missing = set(DATASETS) - set(found)
    if missing:
        raise SystemExit(f"not visible to the BI connection: {', '.join(sorted(missing))} (build the marts first)")
    return found


def kpi_names(uri: str) -> dict[str, str]:
    """indicator → its name in the catalogue (marts.dim_kpis)."""
    conn = _connect(uri)
    try:
        with conn.cursor() as cur:
            cur.execute("select indicator, indicator_name from marts.dim_kpis")
            return dict(cur.fetchall())
    finally:
        conn.close()


def label(comment: str, column: str) -> str:
    """A short Russian column label: the comment's first sentence, without the dbt doc's explanations."""
    text = re.sub(r"\s*\([^)]*\)", "", " ".join(comment.split()))
    if column in LABELS or not text:
        return LABELS.get(column, column)
    sentences = text.split(". ")
    if " " not in sentences[0] and len(sentences) > 1:  # «Качество. Доля удовлетворенных = …»: the second names it
        sentences = sentences[1:]
    first = re.split(r" = |: |; | — ", sentences[0])[0].rstrip(".")
    return first if len(first) <= 48 else first[:45].rstrip() + "…"


COLUMN_FIELDS = (
    "id",
    "column_name",
    "type",
    "verbose_name",
    "description",
    "expression",
    "filterable",
    "groupby",
    "is_active",
    "is_dttm",
    "python_date_format",
)


def provision_dataset(api: Api, database_id: int, table: str, table_comment: str, columns: dict[str, str]) -> int:
    """The dataset of one mart, its columns synced from the table and labelled from the comments."""
    found = api.find("dataset", "table_name", table, schema=SCHEMA, database=database_id)
    dataset_id = (
        found["id"]
        if found
        else api.post("dataset/", {"database": database_id, "schema": SCHEMA, "table_name": table})["id"]
    )
    api.put(f"dataset/{dataset_id}/refresh", {})
    current = api.get(f"dataset/{dataset_id}")["result"]["columns"]
    updated = []
    for col in current:
        col = {k: col.get(k) for k in COLUMN_FIELDS if col.get(k) is not None}
        comment = columns.get(col["column_name"], "")
        col.update(verbose_name=label(comment, col["column_name"]), description=" ".join(comment.split()) or None)
        updated.append({k: v for k, v in col.items() if v is not None})
    api.put(
        f"dataset/{dataset_id}",
        {"description": " ".join(table_comment.split()) or None, "columns": updated, "cache_timeout": 0},
    )
    return dataset_id


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8088"
    uri = os.environ["TSUR_BI_SQLALCHEMY_URI"]
    api = Api(base, os.environ.get("TSUR_BI_ADMIN_USER", "admin"), os.environ["TSUR_BI_ADMIN_PASSWORD"])
    database_id = api.upsert(
        "database",
        "database_name",
        {
            "database_name": DATABASE_NAME,
            "sqlalchemy_uri": uri,
            "expose_in_sqllab": True,
            "allow_dml": False,
            "allow_ctas": False,
            "allow_cvas": False,
            "allow_run_async": False,
            "allow_file_upload": False,
            "extra": json.dumps({"allows_virtual_table_explore": True, "schema_options": {}}),
        },
    )
    datasets = {
        table: provision_dataset(api, database_id, table, *described) for table, described in comments(uri).items()
    }
    dashboard_id = api.upsert("dashboard", "slug", {"dashboard_title": TITLE, "slug": SLUG, "published": True})
    names = kpi_names(uri)
    chart_ids: dict[str, int] = {}
    for chart in CHARTS:
        dataset_id = datasets[chart["dataset"]]
        params = {**chart["params"], "viz_type": chart["viz_type"], "datasource": f"{dataset_id}__table"}
        params = json.loads(
            re.sub(
                r'"@(\w+)"',
                lambda m: json.dumps(names[m.group(1)], ensure_ascii=False),
                json.dumps(params, ensure_ascii=False),
            )
        )
        chart_ids[chart["name"]] = api.upsert(
            "chart",
            "slice_name",
            {
                "slice_name": chart["name"],
                "viz_type": chart["viz_type"],
                "datasource_id": dataset_id,
                "datasource_type": "table",
                "params": json.dumps(params, ensure_ascii=False),
                "dashboards": [dashboard_id],
                "cache_timeout": 0,
            },
        )
    metadata = {
        "native_filter_configuration": [],
        "cross_filters_enabled": False,
        "refresh_frequency": 0,
        "color_scheme": "supersetColors",
        "positions": position_json(chart_ids),
    }
    api.put(
        f"dashboard/{dashboard_id}",
        {
            "dashboard_title": TITLE,
            "slug": SLUG,
            "published": True,
            "position_json": json.dumps(position_json(chart_ids), ensure_ascii=False),
            "json_metadata": json.dumps(metadata, ensure_ascii=False),
        },
    )
    print(json.dumps({"dashboard_id": dashboard_id, "charts": chart_ids, "datasets": datasets}, ensure_ascii=False))
    print(f"{base}/superset/dashboard/{SLUG}/")


if __name__ == "__main__":
    main()
