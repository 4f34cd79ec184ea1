"""Small-cell suppression: nothing below the minimum shows, and no hidden small count can be worked out.

The check of the second is independent of the code's own audit (linear programming): it enumerates every
table a reader could reconstruct from what is shown — hidden entries within what their label says, every
row, column and total adding up — and requires each small count to take more than one value among them.
"""

import itertools
import random

import pytest

from exports.package.suppress import TOTAL, protect

K = 3


def full_table(counts):
    rows = sorted({r for r, _ in counts})
    cols = sorted({c for _, c in counts})
    value = {(r, c): counts.get((r, c), 0) for r in rows for c in cols}
    value.update({(r, TOTAL): sum(value[(r, c)] for c in cols) for r in rows})
    value.update({(TOTAL, c): sum(value[(r, c)] for r in rows) for c in cols})
    value[(TOTAL, TOTAL)] = sum(value[(r, TOTAL)] for r in rows)
    lines = [[(r, c) for c in cols] + [(r, TOTAL)] for r in rows]
    lines += [[(r, c) for r in rows] + [(TOTAL, c)] for c in cols]
    lines.append([(r, TOTAL) for r in rows] + [(TOTAL, TOTAL)])
    return value, lines


def reconstructions(value, lines, hidden):
    """Every assignment of the hidden entries consistent with the shown table (brute force with pruning)."""
    order = sorted(hidden, key=str)
    limit = value[(TOTAL, TOTAL)]
    domains = [range(0, K) if value[e] < K else range(K, limit + 1) for e in order]
    position = {e: i for i, e in enumerate(order)}
    checks = []
    for line in lines:
        *cells, total = line
        last = max((position[e] for e in line if e in position), default=-1)
        if last >= 0:
            checks.append((last, cells, total))
    found = []

    def solve(i, chosen):
        guess = {**value, **{order[j]: v for j, v in enumerate(chosen)}}
        for last, cells, total in checks:
            if last == i - 1 and sum(guess[e] for e in cells) != guess[total]:
                return
        if i == len(order):
            found.append(dict(zip(order, chosen)))
            return
        for v in domains[i]:
            solve(i + 1, chosen + [v])

    solve(0, [])
    return found


def assert_protected(counts):
    result = protect(counts, K)
    value, lines = full_table(counts)
    hidden = set(result.cells)
    # Nothing small shows: every entry 1..K-1 is hidden, except the okrug's own totals.
    for entry, v in value.items():
        if 0 < v < K and entry[0] != TOTAL:
            assert result.cells.get(entry) == "primary", entry
    assert not any(e[0] == TOTAL for e in hidden)  # column totals and the grand total are published elsewhere
    assert all(sum(e in hidden for e in line) != 1 for line in lines)
    solutions = reconstructions(value, lines, hidden)
    assert {e: value[e] for e in hidden} in solutions  # the truth is one of them
    for entry, rule in result.cells.items():
        if rule == "primary":
            assert len({s[entry] for s in solutions}) > 1, f"{entry} is pinned by the shown figures"
    assert result.unprotected == ()
    return result


def test_a_tiny_village_with_one_appeal_is_hidden_and_cannot_be_recomputed():
    counts = {
        ("naryan_mar", "heating"): 14,
        ("naryan_mar", "roads"): 9,
        ("naryan_mar", "water"): 4,
        ("iskateley", "heating"): 6,
        ("iskateley", "roads"): 5,
        ("iskateley", "water"): 3,
        ("kharuta", "roads"): 1,
    }  # a settlement of forty people: one appeal, one category
    result = assert_protected(counts)
    assert result.hidden("kharuta", "roads") == "primary" and result.hidden("kharuta", TOTAL) == "primary"
    assert len(result.cells) >= 4


def test_a_category_with_one_appeal_in_the_okrug_hides_another_municipality_with_it():
    counts = {("a", "x"): 10, ("a", "y"): 1, ("b", "x"): 7, ("b", "y"): 8, ("c", "x"): 5, ("d", "z"): 2}
    result = assert_protected(counts)
    column_z = [e for e in result.cells if e[1] == "z"]
    assert ("d", "z") in column_z and len(column_z) >= 2  # a zero beside it, shown as «<3» too


def test_large_counts_hidden_to_protect_a_small_one_are_at_least_the_minimum():
    counts = {("a", "x"): 40, ("a", "y"): 30, ("b", "x"): 25, ("b", "y"): 1}
    result = assert_protected(counts)
    assert any(rule == "secondary" and counts.get(e, 0) >= K for e, rule in result.cells.items())


def test_no_small_counts_hide_nothing_and_a_minimum_of_one_turns_it_off():
    assert protect({("a", "x"): 5, ("b", "x"): 3}, K).cells == {}
    assert protect({("a", "x"): 1, ("b", "x"): 3}, 1).cells == {}


@pytest.mark.parametrize("seed", range(16))
def test_random_small_tables_are_protected(seed):
    rnd = random.Random(seed)
    rows, cols = rnd.randint(2, 4), rnd.randint(2, 3)
    counts = {
        (f"m{r}", f"c{c}"): rnd.choice([0, 0, 1, 2, 3, 4, 6, 9]) for r, c in itertools.product(range(rows), range(cols))
    }
    counts[("m0", "c0")] = 1  # at least one small count
    counts[("m1", "c1")] = counts[("m1", "c1")] or 5  # and a second municipality with appeals
    assert_protected({k: v for k, v in counts.items() if v})


def test_a_single_municipality_cannot_be_protected_and_says_so():
    # The okrug's totals are published: with one municipality, its cells are the okrug's.
    result = protect({("m0", "c0"): 1, ("m0", "c1"): 9}, K)
    assert result.unprotected == (("m0", "c0"),)
