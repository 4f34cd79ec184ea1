"""The package's territorial tables, with small cells suppressed: a settlement of forty people with one appeal
in a category must not point at its author. The internal marts keep the exact figures."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date

from exports.package.suppress import TOTAL, Suppression, protect
from exports.package.tabular import Column, Table, fetch

C = Column
SECONDARY = "скрыто"  # a count hidden so that a small one cannot be worked out from the totals


def min_cell() -> int:
    """TSUR_PUBLICATION_MIN_CELL (default 3): published municipal counts below it are suppressed."""
    value = os.environ.get("TSUR_PUBLICATION_MIN_CELL", "3").strip()
    if not value.isdigit():
        raise ValueError(f"TSUR_PUBLICATION_MIN_CELL={value!r}: a whole number (1 turns suppression off)")
    return int(value)


def shown(value: int, rule: str | None, k: int):
    """A count as published: itself; hidden, «<k» when below k (a zero hidden beside a small count too), else
    «скрыто»."""
    if rule is None:
        return value
    return f"<{k}" if value < k else SECONDARY


def summary_of(suppression: Suppression) -> dict:
    rules = list(suppression.cells.values())
    return {
        "primary": rules.count("primary"),
        "secondary": rules.count("secondary"),
        "unprotected": len(suppression.unprotected),
    }


def territories(conn, schema: str, month: date, k: int) -> tuple[Table, dict]:
    """Appeals by municipality × category, each municipality's total, and the okrug's per category."""
    rows = fetch(
        conn,
        """
        with cells as (select * from {marts}.mart_municipal_categories),
        final as (
            select municipality_oktmo, municipality_name, sector_code, category_code, category_name, incoming
            from cells
            where period_start = %(month)s
            order by municipality_oktmo, category_code
        )
        select * from final""",
        schema,
        {"month": month},
    )
    names = {r[0]: r[1] for r in rows}
    categories = {r[3]: (r[2], r[4]) for r in rows}
    counts = {(r[0], r[3]): r[5] for r in rows}
    suppression = protect(counts, k)
    value = dict(counts)
    out = []
    for oktmo in sorted(names):
        for code in sorted(categories):
            rule = suppression.hidden(oktmo, code)
            if counts.get((oktmo, code), 0) or rule:  # zeros are left out, unless one hides a small count
                out.append(
                    (
                        oktmo,
                        names[oktmo],
                        categories[code][0],
                        code,
                        categories[code][1],
                        shown(value.get((oktmo, code), 0), rule, k),
                    )
                )
        total = sum(v for (m, _), v in counts.items() if m == oktmo)
        out.append(
            (
                oktmo,
                names[oktmo],
                "",
                "",
                "Итого по муниципальному образованию",
                shown(total, suppression.hidden(oktmo, TOTAL), k),
            )
        )
    for code in sorted(categories):
        out.append(
            (
                "",
                "Всего по округу",
                categories[code][0],
                code,
                categories[code][1],
                sum(v for (_, c), v in counts.items() if c == code),
            )
        )
    out.append(("", "Всего по округу", "", "", "Итого", sum(counts.values())))
    table = Table(
        "Территории",
        "territories",
        (
            C("municipality_oktmo", "ОКТМО"),
            C("municipality_name", "Муниципальное образование"),
            C("sector_code", "Код блока"),
            C("category_code", "Код категории"),
            C("category_name", "Категория"),
            C("incoming", "Поступило", "int"),
        ),
        ("municipality_oktmo", "category_code"),
        tuple(out),
    )
    return table, summary_of(suppression)


def suppress_reaction(table: Table, k: int) -> tuple[Table, dict]:
    """The reaction sheet's municipalities: a municipality with fewer than k judged incidents shows none of its
    figures, and one more is hidden when that alone could be worked out from the okrug's total."""
    columns = [c.name for c in table.columns]
    at = {name: i for i, name in enumerate(columns)}
    municipal = [r for r in table.rows if r[at["slice_kind"]] == "municipality"]
    counts = {(r[at["slice_code"]], "judged"): int(r[at["reaction_judged"]] or 0) for r in municipal}
    suppression = protect(counts, k)
    rows = []
    for row in table.rows:
        rule = suppression.hidden(row[at["slice_code"]], "judged") if row[at["slice_kind"]] == "municipality" else None
        if rule:
            row = list(row)
            row[at["reaction_judged"]] = shown(counts[(row[at["slice_code"]], "judged")], rule, k)
            for name in ("reacted_within_8h", "reaction_8h_share", "reaction_median_minutes"):
                row[at[name]] = SECONDARY
            row = tuple(row)
        rows.append(row)
    return replace(table, rows=tuple(rows)), summary_of(suppression)


def publishable(conn, schema: str, month: date, tables: list[Table], k: int) -> tuple[list[Table], dict]:
    """The package's tables with the territorial sheet added and small municipal cells suppressed; what was
    suppressed, by which rule, for the manifest."""
    territory, by_cell = territories(conn, schema, month, k)
    out, report = [], {"territories": by_cell}
    for table in tables:
        if table.stem == "reaction":
            table, report["reaction"] = suppress_reaction(table, k)
        out.append(table)
    return out + [territory], {
        "min_cell": k,
        "rule": f"municipal counts 1..{k - 1} hidden (primary); more hidden (secondary) so that no line "
        "(municipality, category, totals) hides exactly one and no hidden small count is pinned to one "
        f"value by the shown figures (linear-programming audit); hidden counts below {k} show as «<{k}», "
        f"others as «{SECONDARY}»; the okrug's totals are never hidden",
        "tables": report,
    }
