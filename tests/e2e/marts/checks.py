"""What the tests of tests/e2e/marts share: the indicator columns they compare, a query's rows as dicts, and
the tolerance for figures PostgreSQL interpolates."""

COUNTS = (
    "incoming",
    "answered",
    "answered_on_time",
    "overdue_open",
    "with_interim",
    "redirected",
    "returned",
    "rated",
    "satisfied",
    "repeated",
    "substantive",
)
SHARES = (
    "on_time_share",
    "interim_share",
    "redirect_share",
    "return_share",
    "satisfaction_share",
    "rating_coverage",
    "repeat_share",
    "completeness",
    "substantive_share",
    "appeals_per_1000",
)
QUANTILES = ("first_reaction_median_hours", "first_reaction_p90_hours", "resolution_median_days", "resolution_p90_days")
REACTION = ("reaction_judged", "reacted_within_8h", "reaction_8h_share")  # incidents only (channel incident)


def rows(conn, sql: str) -> list[dict]:
    cur = conn.execute(sql)
    names = [c.name for c in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def close(have, want) -> bool:
    """percentile_cont interpolates in double precision, then rounds to two places."""
    return (have is None) == (want is None) and (want is None or abs(float(have) - want) <= 0.011)
