"""The SQLAlchemy URL Superset uses to read the marts: always the BI role, always read-only."""

from __future__ import annotations

import os
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

READ_ONLY = "-c default_transaction_read_only=on"


class BiConnectionError(Exception):
    """No read-only BI connection can be made; the message says what to do."""


def sqlalchemy_uri(params: dict[str, str], options: str = "") -> str:
    """A postgresql+psycopg2 URL from libpq connection parts, a socket directory going in the query."""
    user = quote(params.get("user") or "postgres", safe="")
    password = params.get("password")
    auth = user + (":" + quote(password, safe="") if password else "")
    host, port = params.get("host") or "localhost", params.get("port") or "5432"
    query = {"options": " ".join(filter(None, [params.get("options"), options]))}
    if host.startswith("/"):
        query["host"], authority = host, f"{auth}@:{port}"
    else:
        authority = f"{auth}@{host}:{port}"
    text = "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items() if v)
    return f"postgresql+psycopg2://{authority}/{quote(params['dbname'], safe='')}" + (f"?{text}" if text else "")


def bi_uri() -> str:
    """TSUR_BI_DATABASE_URL (a login of the BI role or a member of it), else the embedded server's BI login,
    else the warehouse URL's user switched to the BI role (`-c role=`); each with read-only transactions."""
    explicit = os.environ.get("TSUR_BI_DATABASE_URL")
    if explicit:
        return sqlalchemy_uri(_params(explicit), READ_ONLY)
    from lib.roles import RoleNames, ensure_roles, role_passwords
    from lib.warehouse import Warehouse

    wh = Warehouse().start()
    names = RoleNames.from_env()
    if wh.server is not None:
        passwords = role_passwords(wh.settings.home, names)
        with wh.connect() as conn:
            ensure_roles(conn, names, passwords)
        port = str(wh.server.postmaster().port)
        params = {
            "host": "127.0.0.1",
            "port": port,
            "dbname": wh.params()["dbname"],
            "user": names.bi,
            "password": passwords[names.bi],
        }
        return sqlalchemy_uri(params, READ_ONLY)
    if wh.role_name("bi") != names.bi:
        raise BiConnectionError(
            f"role {names.bi} is missing on this server: run `tsur db roles` and build, or set "
            "TSUR_BI_DATABASE_URL to a login that is a member of it"
        )
    return sqlalchemy_uri(wh.params(), f"-c role={names.bi} {READ_ONLY}")


def check_read_only(uri: str) -> tuple[str, bool]:
    """(current role, whether writes are refused) of a session opened with `uri`, asked of the server."""
    params = _params(uri.replace("postgresql+psycopg2://", "postgresql://"))
    with psycopg.connect(**params, autocommit=True) as conn:
        role = conn.execute("select current_user").fetchone()[0]
        try:
            conn.execute(sql.SQL("create temporary table tsur_bi_probe (x int)"))
        except psycopg.errors.ReadOnlySqlTransaction:
            return role, True
        except psycopg.errors.InsufficientPrivilege:
            return role, True
        return role, False


def marts_present(uri: str) -> bool:
    """Whether the BI connection sees the published marts (the warehouse has been built)."""
    params = _params(uri.replace("postgresql+psycopg2://", "postgresql://"))
    with psycopg.connect(**params) as conn:
        return conn.execute("select to_regclass('marts.mart_kpi_values') is not null").fetchone()[0]


def _params(url: str) -> dict[str, str]:
    return {k: str(v) for k, v in conninfo_to_dict(url).items() if v is not None}
