"""Small-cell suppression for published tables: counts below a minimum are hidden, and enough others with them
that no hidden count can be worked out from what is shown.

A table is cells (row, column) with their row totals and column totals. Column totals are the region's own
figures, published elsewhere in the package, so they are never hidden; row totals (a municipality's month)
may be. Primary: a count with 0 < n < k. Secondary: every line (a row with its total, a column with its
total, the row totals with the grand total) must hide none or at least two entries; then an audit bounds each
small hidden count by linear programming, as a reader who knows that «<k» means 0..k−1 and «скрыто» k or
more would, and hides one more entry beside any count still pinned to one value. Zeros are cells too: a zero
hidden as «<k» is how a category with one appeal in the whole okrug keeps its municipality unknown.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

TOTAL = ""  # the key of a total in place of a row or a column


@dataclass(frozen=True)
class Suppression:
    cells: dict[tuple[Hashable, Hashable], str]  # (row, column) → 'primary' | 'secondary'; TOTAL for totals
    min_cell: int
    unprotected: tuple[tuple[Hashable, Hashable], ...] = ()  # pinned even after the audit (should be empty)

    def hidden(self, row: Hashable, column: Hashable) -> str | None:
        return self.cells.get((row, column))


def _lines(rows: list, columns: list) -> list[list[tuple]]:
    """Each line lists its entries, the total last: rows, columns, and the totals row."""
    lines = [[(r, c) for c in columns] + [(r, TOTAL)] for r in rows]
    lines += [[(r, c) for r in rows] + [(TOTAL, c)] for c in columns]
    lines.append([(r, TOTAL) for r in rows] + [(TOTAL, TOTAL)])
    return lines


def protect(counts: Mapping[tuple[Hashable, Hashable], int], min_cell: int) -> Suppression:
    """Which entries of the table `counts` (missing cells are zeros) to hide so that none below `min_cell` shows
    or can be derived."""
    rows = sorted({r for r, _ in counts}, key=str)
    columns = sorted({c for _, c in counts}, key=str)
    value = {(r, c): int(counts.get((r, c), 0)) for r in rows for c in columns}
    for r in rows:
        value[(r, TOTAL)] = sum(value[(r, c)] for c in columns)
    for c in columns:
        value[(TOTAL, c)] = sum(value[(r, c)] for r in rows)
    value[(TOTAL, TOTAL)] = sum(value[(r, TOTAL)] for r in rows)
    fixed = {(TOTAL, c) for c in columns} | {(TOTAL, TOTAL)}
    hidden = {e: "primary" for e, v in value.items() if e not in fixed and 0 < v < min_cell}
    if min_cell <= 1 or not hidden:
        return Suppression({}, min_cell)
    lines = _lines(rows, columns)

    def hide_one_more(line: list[tuple]) -> bool:
        # The least informative entry: interior before totals, then the smallest count, then a stable order.
        candidates = [e for e in line if e not in hidden and e not in fixed]
        if not candidates:
            return False
        pick = min(candidates, key=lambda e: (e[1] == TOTAL, value[e], str(e)))
        hidden[pick] = "secondary"
        return True

    unprotected: list[tuple] = []
    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                if sum(e in hidden for e in line) == 1 and hide_one_more(line):
                    changed = True
        pinned = [e for e in _pinned(lines, value, hidden, min_cell) if e not in unprotected]
        if not pinned:
            break
        entry = pinned[0]
        if not any(entry in line and hide_one_more(line) for line in lines):
            unprotected.append(entry)
    return Suppression({e: rule for e, rule in hidden.items()}, min_cell, tuple(unprotected))


def _pinned(lines, value, hidden, min_cell) -> list[tuple]:
    """Hidden entries an attacker can pin to one value from the shown ones (bounds by linear programming)."""
    from scipy.optimize import linprog

    entries = sorted(hidden, key=str)  # variables: every hidden entry; audited: the primary ones
    index = {e: i for i, e in enumerate(entries)}
    equations, rhs = [], []
    for line in lines:
        *cells, total = line
        if not any(e in hidden for e in line):
            continue
        row = [0.0] * len(entries)
        known = 0.0
        for e in cells:
            if e in hidden:
                row[index[e]] += 1.0
            else:
                known += value[e]
        if total in hidden:
            row[index[total]] -= 1.0
            equations.append(row)
            rhs.append(-known)
        else:
            equations.append(row)
            rhs.append(value[total] - known)
    # What the reader knows of a hidden entry is what it shows: «<k» (0..k−1, a zero hidden among small counts
    # shows so too) or «скрыто» (k or more).
    bounds = [(0, min_cell - 1) if value[e] < min_cell else (min_cell, None) for e in entries]
    pinned = []
    for i, entry in enumerate(entries):
        if hidden[entry] != "primary":
            continue
        objective = [0.0] * len(entries)
        objective[i] = 1.0
        low = linprog(objective, A_eq=equations, b_eq=rhs, bounds=bounds, method="highs")
        objective[i] = -1.0
        high = linprog(objective, A_eq=equations, b_eq=rhs, bounds=bounds, method="highs")
        if low.status == 0 and high.status == 0 and (-high.fun) - low.fun < 1 - 1e-9:
            pinned.append(entry)
    return pinned
