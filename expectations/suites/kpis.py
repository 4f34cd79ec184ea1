"""The KPI catalogue as the suites state it (independently of macros/kpis.sql) and the rules it implies."""

from expectations.reference import seed_pairs
from expectations.suite import BATCH, Expect, at_most, no_rows, non_negative, pairs_in, same_as, shares, violations

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
    "reaction_judged",
    "reacted_within_8h",
)
# share -> (numerator, denominator), as the decree's indicators are defined (_kpis.md)
SHARES = {
    "on_time_share": ("answered_on_time", "answered"),
    "interim_share": ("with_interim", "incoming"),
    "redirect_share": ("redirected", "incoming"),
    "return_share": ("returned", "answered"),
    "satisfaction_share": ("satisfied", "rated"),
    "rating_coverage": ("rated", "answered"),
    "repeat_share": ("repeated", "incoming"),
    "completeness": ("answered", "incoming"),
    "substantive_share": ("substantive", "answered"),
    # incidents reacted within 8 working hours / incidents reacted or unreacted past those hours
    "reaction_8h_share": ("reacted_within_8h", "reaction_judged"),
}
# median -> its 90th percentile
QUANTILES = {"first_reaction_median_hours": "first_reaction_p90_hours", "resolution_median_days": "resolution_p90_days"}
# medians without a 90th percentile beside them
MEDIANS = ("reaction_median_minutes",)
RATES = ("appeals_per_1000",)
INDICATORS = (*COUNTS, *SHARES, *(q for pair in QUANTILES.items() for q in pair), *MEDIANS, *RATES)
KINDS = {
    **dict.fromkeys(COUNTS, "count"),
    **dict.fromkeys(SHARES, "share"),
    **dict.fromkeys((q for pair in QUANTILES.items() for q in pair), "quantile"),
    **dict.fromkeys(MEDIANS, "quantile"),
    **dict.fromkeys(RATES, "rate"),
}
# A part never exceeds its whole.
PARTS = (
    ("answered", "incoming"),
    ("answered_on_time", "answered"),
    ("overdue_open", "incoming"),
    ("with_interim", "incoming"),
    ("redirected", "incoming"),
    ("returned", "incoming"),
    ("rated", "incoming"),
    ("satisfied", "rated"),
    ("repeated", "incoming"),
    ("substantive", "answered"),
    ("reaction_judged", "incoming"),
    ("reacted_within_8h", "reaction_judged"),
)


def share_formula(share: str) -> str:
    num, den = SHARES[share]
    return f"round({num}::numeric / nullif({den}, 0), 4)"


def kpi_columns(key: str, present: set[str]) -> list[Expect]:
    """Counts not negative, parts within wholes, shares in [0, 1] and equal to their counts, p90 >= median."""
    found: list[Expect] = [*non_negative(*(c for c in COUNTS if c in present))]
    found += [at_most(part, whole) for part, whole in PARTS if part in present and whole in present]
    found += shares(*(s for s in SHARES if s in present))
    found += [
        same_as(s, share_formula(s), key, f"{s} = {SHARES[s][0]} / {SHARES[s][1]}")
        for s in SHARES
        if s in present and set(SHARES[s]) <= present
    ]
    found += non_negative(*(m for m in MEDIANS if m in present))
    for median, p90 in QUANTILES.items():
        if median in present:
            found += non_negative(median)
        if median in present and p90 in present:
            found.append(at_most(median, p90))
    return found


def category_in_sector(category: str = "category_code", sector: str = "sector_code") -> Expect:
    """A category belongs to the sector the reference says."""
    return pairs_in(
        (category, sector),
        list(seed_pairs("categories", "category_code", "sector_code")),
        "категория относится к своему отраслевому блоку",
    )


def period_text(key: str) -> Expect:
    """period_start is the first day of its period and period spells it (2025-10, 2025-Q4, 2025)."""
    return no_rows(
        f"{key}, period",
        "period_start <> (case period_kind when 'month' then date_trunc('month', "
        "period_start) when 'quarter' then date_trunc('quarter', period_start) else date_trunc('year', "
        "period_start) end)::date or period is distinct from (case period_kind when 'month' then "
        "to_char(period_start, 'YYYY-MM') when 'quarter' then to_char(period_start, 'YYYY') || '-Q' || "
        "extract(quarter from period_start) else to_char(period_start, 'YYYY') end)",
        "начало периода — первый день, период записан как 2025-10, 2025-Q4, 2025",
    )


def rank_consistent(rank: str, value: str, partition: str, note: str, where: str = "true") -> Expect:
    """rank = 1 + rows of its group with a strictly greater value (ties share a place): SQL's rank() over the
    group, computed here independently of the mart (a window, not a correlated count: marts reach 10^5 rows)."""
    return violations(
        f"select t.{rank}, t.{value} from (select r.{rank}, r.{value}, rank() over (partition by "
        + ", ".join(f"r.{p}" for p in partition.split(", "))
        + f" order by r.{value} desc nulls last) as expected from {BATCH} as r where ({where.replace('@', 'r.')}))"
        f" as t where t.{rank} <> t.expected",
        note,
    )
