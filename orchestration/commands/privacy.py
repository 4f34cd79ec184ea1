"""`tsur erase`: a citizen's request to remove their personal data (152-ФЗ), and text retention."""

from __future__ import annotations

import argparse

from orchestration.commands import CliError, warehouse
from orchestration.retention import RetentionError, operator, run_retention


def cmd_erase(args: argparse.Namespace) -> None:
    from sources.privacy.erase import erase

    wh = warehouse()
    if args.retention:
        try:
            report = run_retention(wh)
        except RetentionError as exc:
            raise CliError(str(exc)) from None
        if report is None:
            raise CliError("TSUR_TEXT_RETENTION_DAYS is not set: texts are kept")
    else:
        kind, value = next(
            (k, v)
            for k, v in (("author_key", args.author_key), ("appeal", args.appeal), ("source_row", args.source_row))
            if v
        )
        try:
            with wh.connect() as conn:  # the URL's user: the roles of the pipeline cannot change raw
                report = erase(conn, kind, value, key=wh.settings.pii_key, requested_by=operator(), reason=args.reason)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    print(report.line())
    if report.batch_id:
        print(
            "The next build (`tsur build`, or the sensor) rebuilds the incremental models from scratch, so "
            "the derived tables forget what was erased."
        )


def add_commands(sub) -> None:
    p = sub.add_parser("erase", help="blank a person's or an appeal's personal data in raw (152-ФЗ), audited")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--author-key", help="the author's pseudonym as the marts show it (author_key)")
    target.add_argument("--appeal", metavar="SOURCE:ID", help="one appeal: its source code and id")
    target.add_argument("--source-row", metavar="ORIGIN:LINE", help="one line of a loaded file (quarantine too)")
    target.add_argument(
        "--retention", action="store_true", help="texts of appeals closed longer ago than TSUR_TEXT_RETENTION_DAYS"
    )
    p.add_argument("--reason", help="the ground, e.g. the number of the citizen's request (no personal data)")
    p.set_defaults(func=cmd_erase)
