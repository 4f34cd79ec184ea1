"""Test helpers for database roles: private role names per test, connecting as a role, cleaning up.

Roles belong to the whole server, not to the test's database, so every test gets its own prefix and drops
its roles at the end; their grants die with the test database.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from lib.roles import RoleNames


def tcp_port(url: str) -> int | None:
    """The 127.0.0.1 port a server reached by `url` also listens on, if any (the embedded one does)."""
    params = conninfo_to_dict(url)
    host, port = params.get("host", ""), int(params.get("port") or 5432)
    if host not in ("", "127.0.0.1", "localhost") and not host.startswith("/"):
        return None
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return port
    except OSError:
        return None


def login_url(url: str, user: str, password: str) -> str | None:
    """`url` for `user` with a password over TCP on loopback, or None when the server has no TCP there."""
    port = tcp_port(url)
    if port is None:
        return None
    params = conninfo_to_dict(url)
    return make_conninfo(host="127.0.0.1", port=str(port), dbname=params["dbname"], user=user, password=password)


@contextmanager
def connect_as(database_url: str, role: str, password: str | None = None) -> Iterator[psycopg.Connection]:
    """Connect as `role`: logging in over TCP with its password when the server listens there (the
    embedded one does), else as the test's administrator that switches to the role (SET ROLE)."""
    url = login_url(database_url, role, password) if password else None
    if url:
        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute("select current_user, session_user").fetchone() == (role, role)
            yield conn
        return
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("set role {}").format(sql.Identifier(role)))
        assert conn.execute("select current_user").fetchone()[0] == role
        yield conn


def drop_roles(database_url: str, server_url: str, names: list[str]) -> None:
    present = [n for n in names if _role_exists(server_url, n)]
    if not present:
        return
    idents = sql.SQL(", ").join(map(sql.Identifier, present))
    with psycopg.connect(server_url, autocommit=True) as conn:  # a database a test handed to one of them
        for (name,) in conn.execute(
            "select datname from pg_database where pg_get_userbyid(datdba) = any(%s)", (present,)
        ).fetchall():
            conn.execute(sql.SQL("alter database {} owner to current_user").format(sql.Identifier(name)))
    with psycopg.connect(database_url, autocommit=True) as conn:  # grants and owned objects in that database
        # One at a time, grantees first: dropping them together trips over default ACLs that name both.
        for name in reversed(present):
            conn.execute(sql.SQL("drop owned by {} cascade").format(sql.Identifier(name)))
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop role if exists {}").format(idents))


def _role_exists(server_url: str, name: str) -> bool:
    with psycopg.connect(server_url, autocommit=True) as conn:
        return conn.execute("select 1 from pg_roles where rolname = %s", (name,)).fetchone() is not None


@contextmanager
def private_roles(database_url: str, server_url: str, extra: tuple[str, ...] = ()) -> Iterator[RoleNames]:
    """Role names no other test uses (TSUR_ROLE_PREFIX), dropped afterwards with `extra` roles."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TSUR_ROLE_PREFIX", f"tsur_t{uuid.uuid4().hex[:8]}_")
        mp.delenv("TSUR_BI_ROLE", raising=False)
        names = RoleNames.from_env()
        try:
            yield names
        finally:
            drop_roles(database_url, server_url, [*names.all(), *extra])


def is_denied(conn: psycopg.Connection, query: str) -> bool:
    """Whether `query` fails for lack of privilege (and only for that)."""
    try:
        conn.execute(query)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False
