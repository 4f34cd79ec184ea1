"""The indicator marts against the independent reading: mart_sector_kpi by month, category, channel and
municipality, and mart_kpi_values for the okrug, each municipality and each body."""

from collections import defaultdict

import pytest

from tests.e2e.marts.checks import COUNTS, QUANTILES, REACTION, SHARES, close, rows
from tests.oracle_marts import cell_figures, population, share

pytestmark = pytest.mark.slow


def test_sector_kpi_matches_the_independent_reading(built):
    truth, _, conn = built
    residents = population()
    cells = defaultdict(list)
    for a in truth.values():
        cells[(a["month"], a["category"], a["channel"], a["oktmo"])].append(a)
    got = {
        (r["month"], r["category_code"], r["channel_code"], r["municipality_oktmo"]): r
        for r in rows(conn, "select * from marts.mart_sector_kpi")
    }
    assert set(got) == set(cells)
    mismatches = []
    for key, members in cells.items():
        want, have = cell_figures(members, residents.get(key[3])), got[key]
        for field in COUNTS + SHARES:
            if have[field] != want[field]:
                mismatches.append((key, field, have[field], want[field]))
        for field in QUANTILES:  # percentile_cont interpolates in double precision, then rounds
            if (have[field] is None) != (want[field] is None) or (
                want[field] is not None and abs(float(have[field]) - want[field]) > 0.011
            ):
                mismatches.append((key, field, have[field], want[field]))
    assert not mismatches, mismatches[:5]
    assert sum(r["incoming"] for r in got.values()) == len(truth) > 400
    assert sum(r["repeated"] for r in got.values()) > 0 and sum(r["overdue_open"] for r in got.values()) > 0


def test_region_figures_by_month_match(built):
    truth, _, conn = built
    months = defaultdict(list)
    for a in truth.values():
        months[a["month"].strftime("%Y-%m")].append(a)
    got = defaultdict(dict)
    for r in rows(
        conn,
        "select period, indicator, value from marts.mart_kpi_values"
        " where slice_kind = 'region' and period_kind = 'month'",
    ):
        got[r["period"]][r["indicator"]] = r["value"]
    assert set(got) == set(months)
    for period, members in months.items():
        want = cell_figures(members, sum(population()[m] for m in ("11851000", "11811000")))
        for field in COUNTS + SHARES + REACTION:
            assert got[period][field] == want[field], (period, field)
        assert close(got[period]["reaction_median_minutes"], want["reaction_median_minutes"]), period


@pytest.mark.parametrize("kind", ["municipality", "agency"])
def test_municipality_and_body_slices_match(built, kind):
    """Every indicator by municipality and by body, the reaction to incidents among them, from the events."""
    truth, _, conn = built
    residents = population()
    field = {"municipality": "oktmo", "agency": "agency"}[kind]
    cells = defaultdict(list)
    for a in truth.values():
        cells[(a["month"], a[field] or "none")].append(a)
    got = defaultdict(dict)
    for r in rows(
        conn,
        "select period_start, slice_code, indicator, value from marts.mart_kpi_values"
        f" where slice_kind = '{kind}' and period_kind = 'month'",
    ):
        got[(r["period_start"], r["slice_code"])][r["indicator"]] = r["value"]
    assert set(got) == set(cells)
    mismatches = []
    for key, members in cells.items():
        want = cell_figures(members, residents.get(key[1]) if kind == "municipality" else None)
        for name in COUNTS + SHARES + REACTION:
            if got[key][name] != want[name]:
                mismatches.append((key, name, got[key][name], want[name]))
        for name in (*QUANTILES, "reaction_median_minutes"):
            if not close(got[key][name], want[name]):
                mismatches.append((key, name, got[key][name], want[name]))
    assert not mismatches, mismatches[:5]
    # The sample's incidents are reacted to, some within 8 working hours and some not.
    reacted = [v for v in got.values() if v["reaction_judged"]]
    assert sum(v["reacted_within_8h"] for v in reacted) > 0
    assert sum(v["reaction_judged"] - v["reacted_within_8h"] for v in reacted) > 0
    assert any(v["reaction_median_minutes"] is not None for v in reacted)


def test_shares_are_computed_from_the_counts(built):
    _, _, conn = built
    for r in rows(conn, "select * from marts.mart_sector_kpi"):
        assert r["on_time_share"] == share(r["answered_on_time"], r["answered"])
        assert r["satisfaction_share"] == share(r["satisfied"], r["rated"])
