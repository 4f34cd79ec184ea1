"""marts.mart_municipal_categories: appeals by municipality × category per month; the package's territories."""

from expectations.reference import contract_types, seed_values
from expectations.suite import FactTotals, Suite, between, columns, dates, in_set, not_null
from expectations.suites.kpis import category_in_sector

SUITE = Suite(
    name="mart_municipal_categories",
    relation="marts.mart_municipal_categories",
    model="mart_municipal_categories",
    blocking=True,
    description="Муниципалитеты × категории: ключ, категории из справочника, счетчики от 1, итоги = факт.",
    expectations=(
        *columns(contract_types("mart_municipal_categories")),
        *not_null("period"),
        in_set("category_code", seed_values("categories", "category_code")),
        category_in_sector(),
        *dates("period_start"),
        between("incoming", 1, note="строка есть только у непустой клетки"),
    ),
    totals=FactTotals(
        fact="marts.fct_appeals",
        where="not is_rejected",
        slice={
            "period_start": "received_month",
            "municipality_oktmo": "coalesce(municipality_oktmo, '')",
            "category_code": "category_code",
        },
        measures={"incoming": "count(*)"},
    ),
    deps=("fct_appeals",),
)
