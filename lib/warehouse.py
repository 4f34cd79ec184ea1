"""The warehouse connection: TSUR_DATABASE_URL if set, else the embedded server; one object for all tools."""

from __future__ import annotations

import os
import re
from functools import cached_property
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy.engine import URL

from lib import pii
from lib.config import Settings
from lib.embedded import EmbeddedPostgres

# A production deployment may give each kind of work its own login; without one, the URL's user takes the
# role by SET ROLE (when `tsur db roles` made it here), so each step runs with its layer's privileges only.
ROLE_URLS = {
    "loader": "TSUR_LOADER_URL",
    "transformer": "TSUR_TRANSFORMER_URL",
    "bi": "TSUR_BI_URL",
    "reporter": "TSUR_REPORTER_URL",
}


class Warehouse:
    """Where the warehouse lives and how each tool (psycopg, SQLAlchemy, dbt, Dagster) reaches it."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()

    @cached_property
    def server(self) -> EmbeddedPostgres | None:
        return EmbeddedPostgres(self.settings.home) if self.settings.embedded else None

    def start(self, persistent: bool = False) -> Warehouse:
        """Make sure the server runs (embedded) and the raw layer is migrated."""
        from lib.migrate import migrate

        if self.server is not None:
            self.server.acquire(persistent=persistent)
        with self.connect() as conn:
            applied = migrate(conn)
            if self.server is not None:
                self._ensure_roles(conn, applied)
        return self

    def _ensure_roles(self, conn: psycopg.Connection, applied: list[str]) -> None:
        """On the embedded server the pipeline's roles are made before any step needs them, and their grants
        renewed after a migration added tables."""
        from lib.roles import RoleNames, ensure_roles, role_passwords

        names = RoleNames.from_env()
        have = conn.execute("select count(*) from pg_roles where rolname = any(%s)", (list(names.all()),)).fetchone()
        if applied or have[0] < len(names.all()):
            ensure_roles(conn, names, role_passwords(self.settings.home, names))

    def url(self) -> str:
        if self.server is None:
            url = self.settings.database_url or ""
            return url.replace("postgresql+psycopg2://", "postgresql://").replace("postgres://", "postgresql://")
        return self.server.url()

    def params(self) -> dict[str, str]:
        try:
            params = conninfo_to_dict(self.url())
        except psycopg.Error as exc:  # libpq quotes the part it cannot parse, which may be the password
            error = type(exc)(redact_secrets(str(exc), self.url()))
        else:
            return {k: str(v) for k, v in params.items()}
        raise error  # outside the except block: no chained original carrying the secret

    def connect(self, role: str | None = None, **kwargs) -> psycopg.Connection:
        """A connection as the URL's user, or for `role` (loader, transformer, bi, reporter): that role's own
        URL if configured, else the URL's user switched to the role when it exists here with its grants."""
        own_url = os.environ.get(ROLE_URLS[role]) if role else None
        url = own_url or self.url()
        try:
            conn = psycopg.connect(url, **kwargs)
        except psycopg.Error as exc:
            error = type(exc)(redact_secrets(str(exc), url))
        else:
            if role and not own_url:
                self._take_role(conn, role)
            return conn
        raise error

    @staticmethod
    def _take_role(conn: psycopg.Connection, kind: str) -> None:
        from lib.roles import RoleNames, usable

        name = usable(conn, RoleNames.from_env(), kind)
        if name:
            conn.execute(sql.SQL("set role {}").format(sql.Identifier(name)))
        if not conn.autocommit:
            conn.commit()

    def role_name(self, kind: str) -> str | None:
        """The role a step of `kind` runs as here, or None for the URL's user."""
        from lib.roles import RoleNames, usable

        with self.connect() as conn:
            return usable(conn, RoleNames.from_env(), kind)

    def _role_params(self, role: str | None) -> tuple[dict[str, str], str | None]:
        """(connection parts, role to switch to) for a step of `role`: its own URL, or the URL's with SET ROLE."""
        own_url = os.environ.get(ROLE_URLS[role]) if role else None
        if own_url:
            return {k: str(v) for k, v in conninfo_to_dict(own_url).items()}, None
        return self.params(), self.role_name(role) if role else None

    def sqlalchemy_url(self, driver: str = "postgresql+psycopg2", role: str | None = None, **query: str) -> str:
        """The URL for SQLAlchemy (GX, Dagster storage); with `role`, a session of that role."""
        p, name = self._role_params(role)
        if name:
            query = {**query, "options": (query.get("options", "") + f" -c role={name}").strip()}
        host = p.get("host", "")
        if host.startswith("/"):  # a socket directory goes in the query, not the authority
            query = {"host": host, **query}
            host = ""
        url = URL.create(
            driver,
            username=p.get("user"),
            password=p.get("password") or None,
            host=host or None,
            port=int(p["port"]) if p.get("port") else None,
            database=p.get("dbname"),
            query=query,
        )
        return url.render_as_string(hide_password=False)

    def redacted_url(self) -> str:
        p = self.params()
        where = p.get("host", "localhost")
        return f"postgresql://{p.get('user', '')}@{where}:{p.get('port', '5432')}/{p.get('dbname', '')}"

    def dbt_env(self) -> dict[str, str]:
        """Environment for a dbt process: connection parts for profiles.yml and the pseudonym key pads."""
        p, role = self._role_params("transformer")
        options = pii.pgoptions(self.settings.pii_key) + (f" -c role={role}" if role else "")
        return {
            "TSUR_PG_HOST": p.get("host", "localhost"),
            "TSUR_PG_PORT": p.get("port", "5432"),
            "TSUR_PG_USER": p.get("user", "postgres"),
            "TSUR_PG_DBNAME": p.get("dbname", "postgres"),
            "DBT_ENV_SECRET_PG_PASSWORD": p.get("password", ""),
            "PGOPTIONS": options,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            # Dagster runs the dbt project in several steps when Python assets sit between its models (the
            # classifier before the facts, the topics after). A test must run in the step that builds all its
            # parents, not in the first step that builds one of them (a seed, for a relationships test).
            "DBT_INDIRECT_SELECTION": os.environ.get("DBT_INDIRECT_SELECTION", "buildable"),
        }


def conninfo_uri(conninfo: str) -> str:
    """A key=value connection string (libpq's) as a URL, the form TSUR_DATABASE_URL takes."""
    p = conninfo_to_dict(conninfo)
    host = p.get("host", "")
    auth = p.get("user", "postgres") + (f":{p['password']}" if p.get("password") else "")
    if host.startswith("/"):  # a socket directory goes in the query
        return f"postgresql://{auth}@/{p['dbname']}?host={host}&port={p.get('port', 5432)}"
    return f"postgresql://{auth}@{host or 'localhost'}:{p.get('port', 5432)}/{p['dbname']}"


def url_secrets(url: str) -> list[str]:
    """The password of a connection URL or key=value string, as written and decoded."""
    found: list[str] = []
    try:
        raw = urlsplit(url).password if "://" in url else None
    except ValueError:
        raw = None
    if raw is None and "://" in url:  # urlsplit gives up on some malformed authorities; take the text itself
        match = re.match(r"^[^:/]+://[^:@/]*:([^@]*)@", url)
        raw = match.group(1) if match else None
    if raw:
        found += [raw, unquote(raw)]
    for match in re.finditer(r"password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&]+)", url):
        value = match.group(1)
        found += [value, value.strip("'"), unquote(value)]
    return sorted({f for f in found if f}, key=len, reverse=True)


def redact_secrets(text: str, url: str) -> str:
    """`text` with every form of the URL's password replaced by ***."""
    for secret in url_secrets(url):
        text = text.replace(secret, "***")
    return text
