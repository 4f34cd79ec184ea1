"""marts.mart_regional_problems: every category per sector ranked by volume and growth; exported."""

from expectations.reference import contract_types, seed_values
from expectations.suite import (
    BATCH,
    FactTotals,
    Suite,
    at_most,
    between,
    columns,
    dates,
    in_set,
    no_rows,
    non_negative,
    not_null,
    same_as,
    violations,
)
from expectations.suites.kpis import category_in_sector, period_text, rank_consistent

KEY = "period_kind, period_start, row_kind, category_code, problem_code"
GROUP = "period_kind, period_start, row_kind, sector_code"  # categories compete within their sector

SUITE = Suite(
    name="mart_regional_problems",
    relation="marts.mart_regional_problems",
    model="mart_regional_problems",
    blocking=True,
    description="Региональные проблемы: ключ, не менее трех категорий в блоке, рост и места по формулам, "
    "проблемы «прочих» складываются в категорию, итоги = факт.",
    expectations=(
        *columns(contract_types("mart_regional_problems")),
        *not_null(
            "period",
            "row_kind",
            "is_other_bucket",
            "incoming",
            "volume_rank",
            "growth_rank",
            "is_priority",
            "targets_total",
            "targets_met",
            "targets_not_met",
        ),
        in_set("problem_basis", ("theme", "totk_question", "source_category", "unspecified")),
        in_set("category_code", seed_values("categories", "category_code")),
        category_in_sector(),
        *dates("period_start"),
        period_text(KEY),
        *non_negative("incoming", "incoming_previous", "targets_total", "targets_met", "targets_not_met"),
        between("volume_rank", 1, note="место с 1"),
        between("growth_rank", 1, note="место с 1"),
        at_most("targets_met", "targets_total"),
        no_rows(
            f"{KEY}, targets_met, targets_not_met, targets_total",
            "targets_met + targets_not_met > targets_total",
            "выполнено + не выполнено ≤ всего целей",
        ),
        no_rows(
            f"{KEY}",
            "(row_kind = 'category') <> (problem_code is null)"
            " or (row_kind = 'problem') <> (problem_basis is not null)",
            "код и основание проблемы — ровно у строк проблем",
        ),
        no_rows(
            f"{KEY}, is_other_bucket",
            "row_kind = 'problem' and not is_other_bucket",
            "проблемы — только внутри «прочих по направлению»",
        ),
        same_as("growth", "incoming - incoming_previous", KEY, "рост = поступило − поступило в прошлом периоде"),
        same_as(
            "growth_share",
            "round(growth::numeric / nullif(incoming_previous, 0), 4)",
            KEY,
            "темп роста = рост / прошлый период",
        ),
        same_as("is_priority", "volume_rank <= 3 and incoming > 0", KEY, "приоритет — три первых по объему"),
        rank_consistent(
            "volume_rank", "incoming", GROUP, "место по объему = 1 + больших в блоке", where="@row_kind = 'category'"
        ),
        violations(
            f"select c.period_kind, c.period_start, c.sector_code, count(*) from {BATCH} as c"
            " where c.row_kind = 'category' group by 1, 2, 3 having count(*) < 3",
            "в блоке не менее трех категорий (п. 20)",
        ),
        violations(
            f"select c.period_kind, c.period_start, c.category_code, c.incoming from {BATCH} as c"
            " where c.row_kind = 'category' and c.is_other_bucket and c.incoming <> (select"
            f" coalesce(sum(p.incoming), 0) from {BATCH} as p where p.row_kind = 'problem' and"
            " p.period_kind = c.period_kind and p.period_start = c.period_start and"
            " p.category_code = c.category_code)",
            "проблемы «прочих» в сумме = их категория",
        ),
    ),
    totals=FactTotals(
        fact="marts.fct_appeals",
        where="not is_rejected",
        mart_where="row_kind = 'category' and period_kind = 'month'",
        slice={"period_start": "received_month", "category_code": "category_code"},
        measures={"incoming": "count(*)"},
    ),
    deps=("fct_appeals",),
)
