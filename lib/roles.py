"""Database roles of the warehouse, created and granted idempotently (`tsur db roles`).

- loader: writes the restricted layer `raw` and nothing else;
- transformer: reads `raw`, creates the derived schemas (staging, intermediate, marts, reference, `*__<suffix>`);
- bi: reads the marts, nothing else — no raw, staging or intermediate, where personal data or its traces live;
- reporter: what the exports need — reads what BI reads (a member of it) and writes `reports`.

The pipeline itself takes these roles (Warehouse.connect(role=...), dbt's session `role`): the URL's user only
migrates, creates roles and erases (sources/privacy). Raw tables reject UPDATE/DELETE/TRUNCATE by trigger too.

On the embedded server the roles can log in with generated passwords kept in TSUR_HOME (0600), so a BI tool
can connect over 127.0.0.1. On an external server (TSUR_DATABASE_URL) they are NOLOGIN groups: people and
services get them by membership, as the DBA decides. Table grants on the marts are renewed by dbt after
every build (`+grants` and the `grant_bi_schemas` hook); this module sets the rest and the defaults.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

ROLE_PREFIX = "tsur_"
BI_SCHEMAS = ("marts",)  # and their `__<suffix>` twins for past pictures
DERIVED_SCHEMAS = ("staging", "intermediate", "marts", "marts_build", "reference")  # marts_build: publish.py
PASSWORD_FILE = "role-passwords.json"
_LOCK = 746_003  # advisory lock: two processes ensuring roles at once must not race on CREATE ROLE
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RolesError(Exception):
    """The roles cannot be set up as asked; the message says what to do."""


@dataclass(frozen=True)
class RoleNames:
    loader: str
    transformer: str
    bi: str
    reporter: str

    @classmethod
    def from_env(cls) -> RoleNames:
        prefix = os.environ.get("TSUR_ROLE_PREFIX", ROLE_PREFIX)
        names = cls(
            prefix + "loader",
            prefix + "transformer",
            os.environ.get("TSUR_BI_ROLE") or prefix + "bi",
            prefix + "reporter",
        )
        for name in names.all():
            if not _NAME.match(name):
                raise RolesError(
                    f"role name {name!r} is not a plain lower-case identifier: check TSUR_ROLE_PREFIX and TSUR_BI_ROLE"
                )
        return names

    def all(self) -> tuple[str, ...]:
        return (self.loader, self.transformer, self.bi, self.reporter)

    def of(self, kind: str) -> str:
        """The role of a kind of work: loader, transformer, bi or reporter."""
        return getattr(self, kind)


def scram_verifier(password: str, salt: bytes | None = None, iterations: int = 4096) -> str:
    """A SCRAM-SHA-256 verifier (RFC 5802/7677) as PostgreSQL stores it: the password itself never
    reaches the server, so it cannot turn up in the server's log or statistics."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    b64 = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(hashlib.sha256(client_key).digest())}:{b64(server_key)}"


def verifier_matches(verifier: str | None, password: str) -> bool:
    """Whether a stored SCRAM verifier was made from `password` (recomputed with its own salt)."""
    match = re.match(r"^SCRAM-SHA-256\$(\d+):([^$]+)\$", verifier or "")
    if not match:
        return False
    expected = scram_verifier(password, base64.b64decode(match.group(2)), int(match.group(1)))
    return hmac.compare_digest(expected, verifier)


def role_passwords(home: Path, names: RoleNames) -> dict[str, str]:
    """Passwords of the login roles of the embedded server: generated once, kept in TSUR_HOME, mode 0600."""
    path = home / PASSWORD_FILE
    stored = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in names.all() if name not in stored]
    if missing:
        stored.update({name: secrets.token_urlsafe(24) for name in missing})
        home.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(stored, fh)
        tmp.replace(path)
    path.chmod(0o600)
    return {name: stored[name] for name in names.all()}


def _existing(conn: psycopg.Connection, names: tuple[str, ...]) -> set[str]:
    rows = conn.execute("select rolname from pg_roles where rolname = any(%s)", (list(names),)).fetchall()
    return {r[0] for r in rows}


def _schemas(conn: psycopg.Connection, bases: tuple[str, ...]) -> list[str]:
    patterns = [b.replace("_", r"\_") + r"\_\_%" for b in bases]
    rows = conn.execute(
        "select nspname from pg_namespace where nspname = any(%s) or nspname like any(%s) order by nspname",
        (list(bases), patterns),
    ).fetchall()
    return [r[0] for r in rows]


def ensure_roles(conn: psycopg.Connection, names: RoleNames, passwords: dict[str, str] | None = None) -> list[str]:
    """Create the roles if missing and set their grants; returns what changed (roles created, passwords set).

    With `passwords` the roles get LOGIN and those passwords (embedded server); without, missing roles are
    created NOLOGIN and existing ones are left as the DBA made them.
    """
    changed: list[str] = []
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (_LOCK,))
        me, is_super, can_create = conn.execute(
            "select rolname, rolsuper, rolcreaterole from pg_roles where rolname = current_user"
        ).fetchone()
        missing = [n for n in names.all() if n not in _existing(conn, names.all())]
        if (missing or passwords) and not (is_super or can_create):
            raise RolesError(
                f"the database user {me!r} may not create roles (it lacks CREATEROLE). Ask an administrator to "
                f"run `tsur db roles` with a privileged TSUR_DATABASE_URL, or to create "
                f"{', '.join(missing or names.all())} NOLOGIN and run it again as the owner of the warehouse."
            )
        for name in names.all():
            role = sql.Identifier(name)
            if name in missing:
                conn.execute(sql.SQL("create role {} {}").format(role, sql.SQL("login" if passwords else "nologin")))
                changed.append(f"role {name} created")
            if passwords:
                stored = (
                    conn.execute("select rolpassword from pg_authid where rolname = %s", (name,)).fetchone()
                    if is_super
                    else None
                )
                if stored is None or not verifier_matches(stored[0], passwords[name]):
                    conn.execute(
                        sql.SQL("alter role {} login password {}").format(
                            role, sql.Literal(scram_verifier(passwords[name]))
                        )
                    )
                    changed.append(f"password of {name} set")
        _grant(conn, names)
    return changed


def _grant(conn: psycopg.Connection, names: RoleNames) -> None:
    db = sql.Identifier(conn.info.dbname)
    loader, transformer, bi, reporter = (sql.Identifier(n) for n in names.all())
    run = lambda query, *args: conn.execute(sql.SQL(query).format(*args))  # noqa: E731
    exists = lambda relation: conn.execute("select to_regclass(%s)", (relation,)).fetchone()[0]  # noqa: E731
    run("grant connect, temporary on database {} to {}, {}, {}, {}", db, loader, transformer, bi, reporter)
    run("grant create on database {} to {}", db, transformer)
    # Since PostgreSQL 15 this is the default; older servers let anyone create objects in public.
    if conn.execute("select pg_has_role(nspowner, 'usage') from pg_namespace where nspname = 'public'").fetchone() in (
        (True,),
    ):
        run("revoke create on schema public from public")
    if conn.execute("select 1 from pg_namespace where nspname = 'raw'").fetchone():
        run("grant usage, create on schema raw to {}", loader)
        run("grant select, insert on all tables in schema raw to {}", loader)
        # The loader opens a batch row first and writes its counts at the end of the same transaction.
        if conn.execute("select to_regclass('raw.load_batches')").fetchone()[0]:
            run("grant update on raw.load_batches to {}", loader)
        run("grant usage, select on all sequences in schema raw to {}", loader)
        # Open311 polling keeps its cursors and windows as state (not log): the loader moves them on.
        for table in ("raw.open311_cursors", "raw.open311_windows", "raw.open311_services"):
            if exists(table):
                run("grant update, delete on {} to {}", sql.SQL(table), loader)
        run("grant usage on schema raw to {}", transformer)
        run("grant select on all tables in schema raw to {}", transformer)
        # Tables a later migration adds to raw get the same grants.
        run("alter default privileges in schema raw grant select, insert on tables to {}", loader)
        run("alter default privileges in schema raw grant usage, select on sequences to {}", loader)
        run("alter default privileges in schema raw grant select on tables to {}", transformer)
    # mart_restatements reads what was reported (reports.kpi_snapshots); reports are written by the owner.
    if conn.execute("select 1 from pg_namespace where nspname = 'reports'").fetchone():
        run("grant usage on schema reports to {}, {}", transformer, reporter)
        run("grant select on all tables in schema reports to {}", transformer)
        run("alter default privileges in schema reports grant select on tables to {}", transformer)
        run("grant select, insert on all tables in schema reports to {}", reporter)
        run("grant usage, select on all sequences in schema reports to {}", reporter)
        run("alter default privileges in schema reports grant select, insert on tables to {}", reporter)
    # mart_quality_flags shows the plausibility flags (quality.flagged_rows), written by the checks.
    if conn.execute("select 1 from pg_namespace where nspname = 'quality'").fetchone():
        # The checks and the publication run as the transformer and record their outcome here.
        run("grant usage on schema quality to {}, {}", transformer, reporter)
        run("grant select, insert, update on all tables in schema quality to {}", transformer)
        run("grant usage, select on all sequences in schema quality to {}", transformer)
        run("alter default privileges in schema quality grant select, insert, update on tables to {}", transformer)
        run("alter default privileges in schema quality grant usage, select on sequences to {}", transformer)
        run("grant select on all tables in schema quality to {}", reporter)
    # Incremental models rebuild after an erasure; the requests hold no personal data.
    if exists("privacy.erasure_requests"):
        run("grant usage on schema privacy to {}", transformer)
        run("grant select on privacy.erasure_requests to {}", transformer)
    _own_derived(conn, names)
    bi_schemas = _schemas(conn, BI_SCHEMAS)
    # The reporter reads what BI reads (dbt grants every built mart to BI) and writes reports besides.
    # (Only a superuser or a holder of BI's admin option may; otherwise the DBA grants it, as the README says.)
    if conn.execute(
        "select not pg_has_role(%s, %s, 'member') and (pg_has_role(current_user, %s, 'member with"
        " admin option') or (select rolsuper from pg_roles where rolname = current_user))",
        (names.reporter, names.bi, names.bi),
    ).fetchone()[0]:
        run("grant {} to {}", bi, reporter)
    for schema in bi_schemas:
        s = sql.Identifier(schema)
        run("grant usage on schema {} to {}", s, bi)
        run("grant select on all tables in schema {} to {}", s, bi)
        run("alter default privileges in schema {} grant select on tables to {}", s, bi)
    # Nothing else for BI in the warehouse's other schemas, whatever was granted by hand before.
    closed = [
        s for s in _schemas(conn, ("raw", "dagster", "public", "privacy", *DERIVED_SCHEMAS)) if s not in bi_schemas
    ]
    for schema in closed:
        s = sql.Identifier(schema)
        run("revoke all on all tables in schema {} from {}", s, bi)
        run("revoke all on schema {} from {}", s, bi)


def _own_derived(conn: psycopg.Connection, names: RoleNames) -> None:
    """Derived schemas made before the transformer existed (by the URL's user) pass to it with what they
    hold, so that dbt, running as the transformer, can replace them. Only a superuser may give them away."""
    if not conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()[0]:
        return
    owner = sql.Identifier(names.transformer)
    for schema in _schemas(conn, DERIVED_SCHEMAS):
        if conn.execute(
            "select pg_get_userbyid(nspowner) <> %s from pg_namespace where nspname = %s", (names.transformer, schema)
        ).fetchone()[0]:
            conn.execute(sql.SQL("alter schema {} owner to {}").format(sql.Identifier(schema), owner))
        objects = conn.execute(
            "select c.relname, c.relkind from pg_class as c join pg_namespace as n on n.oid = c.relnamespace"
            " where n.nspname = %s and c.relkind in ('r', 'v', 'm', 'p', 'S')"
            " and pg_get_userbyid(c.relowner) <> %s"
            " and not exists (select from pg_depend as d where d.objid = c.oid and d.deptype in ('a', 'i'))",
            (schema, names.transformer),
        ).fetchall()
        kinds = {"r": "table", "p": "table", "v": "view", "m": "materialized view", "S": "sequence"}
        for name, kind in objects:
            conn.execute(
                sql.SQL("alter {} {}.{} owner to {}").format(
                    sql.SQL(kinds[kind]), sql.Identifier(schema), sql.Identifier(name), owner
                )
            )


def usable(conn: psycopg.Connection, names: RoleNames, kind: str) -> str | None:
    """The role of `kind` if the pipeline can take it here: it exists, the session may SET ROLE to it, and
    `tsur db roles` gave it its grants in this database (roles are server-wide, grants are not)."""
    role = names.of(kind)
    marker = {
        "loader": "has_table_privilege(r.oid, 'raw.appeal_events', 'insert')",
        "transformer": "has_database_privilege(r.oid, current_database(), 'create')",
        "bi": "has_database_privilege(r.oid, current_database(), 'temporary')",
        "reporter": "has_schema_privilege(r.oid, 'reports', 'usage')",
    }[kind]
    row = conn.execute(
        f"select pg_has_role(current_user, r.oid, 'member') and {marker} from pg_roles as r"
        " where r.rolname = %s and to_regnamespace('reports') is not null"
        " and to_regclass('raw.appeal_events') is not null",
        (role,),
    ).fetchone()
    return role if row and row[0] else None


def bi_role_for_build(conn: psycopg.Connection, names: RoleNames, passwords: dict[str, str] | None) -> str:
    """The BI role the build should grant the marts to: ensured first on the embedded server (passwords
    given); on an external server used only if it exists, so a build never fails for a role not made yet."""
    if passwords is not None:
        ensure_roles(conn, names, passwords)
        return names.bi
    return names.bi if _existing(conn, (names.bi,)) else ""


def build_bi_role(conn: psycopg.Connection, home: Path, embedded: bool) -> str:
    """The role a build (current or as-of) grants the marts to: made sure of on the embedded server."""
    names = RoleNames.from_env()
    return bi_role_for_build(conn, names, role_passwords(home, names) if embedded else None)
