"""The warehouse connection: TSUR_DATABASE_URL if set, else the embedded server; one object for all tools."""

from __future__ import annotations

from functools import cached_property

import psycopg
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy.engine import URL

from orchestration import pii
from orchestration.config import Settings
from orchestration.embedded import EmbeddedPostgres


class Warehouse:
    """Where the warehouse lives and how each tool (psycopg, SQLAlchemy, dbt, Dagster) reaches it."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()

    @cached_property
    def server(self) -> EmbeddedPostgres | None:
        return EmbeddedPostgres(self.settings.home) if self.settings.embedded else None

    def start(self, persistent: bool = False) -> "Warehouse":
        """Make sure the server runs (embedded) and the raw layer is migrated."""
        from sources.migrate import migrate

        if self.server is not None:
            self.server.acquire(persistent=persistent)
        with self.connect() as conn:
            migrate(conn)
        return self

    def url(self) -> str:
        if self.server is None:
            url = self.settings.database_url or ""
            return url.replace("postgresql+psycopg2://", "postgresql://").replace("postgres://", "postgresql://")
        return self.server.url()

    def params(self) -> dict[str, str]:
        params = conninfo_to_dict(self.url())
        return {k: str(v) for k, v in params.items()}

    def connect(self, **kwargs) -> psycopg.Connection:
        return psycopg.connect(self.url(), **kwargs)

    def sqlalchemy_url(self, driver: str = "postgresql+psycopg2", **query: str) -> str:
        p = self.params()
        host = p.get("host", "")
        if host.startswith("/"):  # a socket directory goes in the query, not the authority
            query = {"host": host, **query}
            host = ""
        url = URL.create(driver, username=p.get("user"), password=p.get("password") or None,
                         host=host or None, port=int(p["port"]) if p.get("port") else None,
                         database=p.get("dbname"), query=query)
        return url.render_as_string(hide_password=False)

    def redacted_url(self) -> str:
        p = self.params()
        where = p.get("host", "localhost")
        return f"postgresql://{p.get('user', '')}@{where}:{p.get('port', '5432')}/{p.get('dbname', '')}"

    def dbt_env(self) -> dict[str, str]:
        """Environment for a dbt process: connection parts for profiles.yml and the pseudonym key pads."""
        p = self.params()
        return {
            "TSUR_PG_HOST": p.get("host", "localhost"),
            "TSUR_PG_PORT": p.get("port", "5432"),
            "TSUR_PG_USER": p.get("user", "postgres"),
            "TSUR_PG_DBNAME": p.get("dbname", "postgres"),
            "DBT_ENV_SECRET_PG_PASSWORD": p.get("password", ""),
            "PGOPTIONS": pii.pgoptions(self.settings.pii_key),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
