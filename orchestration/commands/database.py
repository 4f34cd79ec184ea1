"""`tsur db url|start|stop|status|roles`: the warehouse database, its roles and the address for BI tools."""

from __future__ import annotations

import argparse

from orchestration.commands import CliError


def cmd_db(args: argparse.Namespace) -> None:
    from lib.warehouse import Warehouse

    wh = Warehouse()
    if args.action == "stop":
        if wh.server is None:
            raise CliError("TSUR_DATABASE_URL is set: the server is not ours to stop")
        print("stopped" if wh.server.stop() else "was not running")
        return
    wh.start(persistent=args.action == "start")
    if args.action == "roles":
        _db_roles(wh)
    elif args.action == "url" and args.bi:
        print(_bi_url(wh))
    elif args.action == "url":
        print(wh.url())
    elif args.action == "start":
        print(f"running: {wh.redacted_url()}")
    elif args.action == "status":
        print(f"{'embedded' if wh.server else 'external'}: {wh.redacted_url()}")


def _db_roles(wh) -> None:
    from lib.roles import RoleNames, RolesError, ensure_roles, role_passwords

    try:
        names = RoleNames.from_env()
        passwords = role_passwords(wh.settings.home, names) if wh.server else None
        with wh.connect() as conn:
            changed = ensure_roles(conn, names, passwords)
    except RolesError as exc:
        raise CliError(str(exc)) from None
    print("\n".join(changed) or "roles already in place")
    print(
        f"  {names.loader}: writes raw only\n  {names.transformer}: reads raw, builds staging, intermediate,"
        f" marts, reference\n  {names.bi}: reads marts only\n  {names.reporter}: what BI reads, writes reports"
    )
    if wh.server:
        print("BI tools: `tsur db url --bi` prints the address with the password (keep it private).")
    else:
        print(
            f"The roles cannot log in. Give them to people and services by membership, e.g.\n"
            f"  grant {names.bi} to <bi_login>;   grant {names.loader} to <loader_login>;\n"
            f"or let one log in: alter role {names.bi} login; then set its password with psql's "
            f"\\password {names.bi}.\nRun `tsur db roles` before the first build, so that dbt grants the "
            f"marts to {names.bi}; run it again after it, and after adding a schema."
        )


def _bi_url(wh) -> str:
    from lib.roles import RoleNames, RolesError, ensure_roles, role_passwords

    if wh.server is None:
        raise CliError("TSUR_DATABASE_URL is set: BI logins on that server are the DBA's; `tsur db roles` explains")
    try:
        names = RoleNames.from_env()
        passwords = role_passwords(wh.settings.home, names)
        with wh.connect() as conn:
            ensure_roles(conn, names, passwords)
    except RolesError as exc:
        raise CliError(str(exc)) from None
    port = wh.server.postmaster().port
    return f"postgresql://{names.bi}:{passwords[names.bi]}@127.0.0.1:{port}/{wh.params()['dbname']}"


def add_commands(sub) -> None:
    db = sub.add_parser("db", help="the warehouse database")
    db.add_argument(
        "action",
        choices=["url", "start", "stop", "status", "roles"],
        help="roles: create the loader, transformer and BI roles and their grants",
    )
    db.add_argument("--bi", action="store_true", help="with url: the TCP address for BI tools, password included")
    db.set_defaults(func=cmd_db)
