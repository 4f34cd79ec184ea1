"""The marts of what residents complain about: mart_repeat_appeals' clusters, mart_conflicts by reason,
mart_regional_problems' sectors and buckets, mart_category_targets for every category."""

import csv
from collections import Counter

import pytest

from tests.e2e.marts.checks import rows
from tests.oracle import SEEDS
from tests.oracle_marts import conflicts, repeat_chains

pytestmark = pytest.mark.slow


def test_repeat_clusters_match(built):
    truth, _, conn = built
    want = Counter()
    for chain in repeat_chains(truth):
        members = chain["members"]
        bodies = {truth[k]["agency"] for k in members if truth[k]["agency"]}
        want[(chain["kind"], members[0], members[-1], len(members), len(bodies))] += 1
    got = Counter(
        (r["cluster_kind"], r["first_appeal_key"], r["last_appeal_key"], r["appeal_count"], r["agency_count"])
        for r in rows(conn, "select * from marts.mart_repeat_appeals")
    )
    assert got == want and sum(want.values()) > 5


def test_conflicts_match_by_reason(built):
    truth, _, conn = built
    got = Counter(dict(conn.execute("select reason_code, count(*) from marts.mart_conflicts group by 1").fetchall()))
    want = +conflicts(truth)
    assert got == want
    assert want["negative_rating"] > 0 and want["returned"] > 0 and want["redirect_back"] > 0


def test_regional_problems_cover_every_sector_and_decompose_the_buckets(built):
    truth, _, conn = built
    got = rows(conn, "select * from marts.mart_regional_problems where period_kind = 'month'")
    per_sector = Counter((r["period"], r["sector_code"]) for r in got if r["row_kind"] == "category")
    assert min(per_sector.values()) >= 3
    volumes = Counter((a["month"], a["category"]) for a in truth.values())
    categories = {(r["period_start"], r["category_code"]): r["incoming"] for r in got if r["row_kind"] == "category"}
    assert {k: v for k, v in categories.items() if v} == dict(volumes)
    problems = Counter()
    for r in got:
        if r["row_kind"] == "problem":
            problems[(r["period_start"], r["category_code"])] += r["incoming"]
    buckets = {k: v for k, v in categories.items() if k[1].endswith((".other", ".misc")) and v}
    assert dict(problems - Counter()) == buckets
    themes = {r["problem_name"] for r in got if r["problem_basis"] == "theme"}
    assert "Шум от соседей" in themes or "Грызуны в подвале" in themes


def test_category_targets_check_every_category(built):
    _, _, conn = built
    got = rows(conn, "select * from marts.mart_category_targets")
    months = {r["period"] for r in got if r["period_kind"] == "month"}
    with open(SEEDS / "categories.csv", encoding="utf-8") as fh:
        categories = {r["category_code"] for r in csv.DictReader(fh)}
    for month in months:
        assert {r["category_code"] for r in got if r["period"] == month} == categories
    for r in got:
        if r["actual"] is None:
            assert r["is_met"] is None and r["status_name"] == "нет данных"
        else:
            met = r["actual"] >= r["target"] if r["direction"] == "at_least" else r["actual"] <= r["target"]
            assert r["is_met"] is met
    assert {r["set_by"] for r in got} == {"federal", "curator"}
