"""marts.mart_agency_rating: bodies by month and quarter with a weighted score; exported."""

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
    shares,
    violations,
)
from expectations.suites.kpis import period_text, rank_consistent

KEY = "period_kind, period_start, agency_code"
MIN_MONTHLY = int(seed_values("rating_params", "min_monthly_volume")[0])
MONTHS = "case period_kind when 'month' then 1 else 3 end"
RATED = f"(select period_kind, period_start, count(*) as n from {BATCH} as b where score is not null group by 1, 2)"

SUITE = Suite(
    name="mart_agency_rating",
    relation="marts.mart_agency_rating",
    model="mart_agency_rating",
    blocking=True,
    description="Рейтинг органов: ключ, доли в [0, 1], оценка 0–100 только при минимальном объеме, места "
    "по оценке, итоги = факт.",
    expectations=(
        *columns(contract_types("mart_agency_rating")),
        *not_null("period", "incoming", "answered", "rated", "min_volume", "rating_status", "rating_status_name"),
        in_set("rating_status_name", ("оценен", "недостаточно данных")),
        in_set("agency_kind", ("regional_body", "municipal", "organisation", "unlisted")),
        *dates("period_start"),
        period_text(KEY),
        between("incoming", 1, note="строка есть только при поступлениях"),
        *non_negative("answered", "rated", "resolution_median_days"),
        at_most("answered", "incoming"),
        at_most("rated", "incoming"),
        *shares(
            "speed_score", "on_time_share", "satisfaction_share", "return_share", "completeness", "substantive_share"
        ),
        same_as(
            "completeness", "round(answered::numeric / nullif(incoming, 0), 4)", KEY, "полнота = answered / incoming"
        ),
        same_as(
            "min_volume",
            f"{MIN_MONTHLY} * {MONTHS}",
            KEY,
            f"минимум = {MIN_MONTHLY} (seed rating_params) × месяцев периода",
        ),
        between("score", 0, 100, note="оценка от 0 до 100"),
        no_rows(
            f"{KEY}, incoming, min_volume, score",
            "incoming < min_volume and score is not null",
            "ниже минимального объема оценки нет",
        ),
        no_rows(
            f"{KEY}, score, rating_status",
            "(score is not null) <> (rating_status = 'rated')",
            "статус «оценен» ⇔ есть оценка",
        ),
        no_rows(
            f"{KEY}, rating_status, rating_status_name",
            "rating_status_name <> case rating_status when 'rated' then 'оценен' else 'недостаточно данных' end",
            "название статуса соответствует коду",
        ),
        no_rows(
            f"{KEY}, score, score_rank, bodies_rated",
            "(score is null) <> (score_rank is null) or (score is null) <> (bodies_rated is null)"
            " or score_rank not between 1 and bodies_rated",
            "место от 1 до числа оцененных — только у оцененных",
        ),
        rank_consistent(
            "score_rank",
            "score",
            "period_kind, period_start",
            "место = 1 + органов периода с оценкой выше",
            where="@score is not null",
        ),
        violations(
            f"select r.period_kind, r.period_start, r.bodies_rated from {BATCH} as r, {RATED} as n"
            " where n.period_kind = r.period_kind and n.period_start = r.period_start"
            " and r.bodies_rated <> n.n",
            "оцененных в периоде = строк периода с оценкой",
        ),
    ),
    totals=(
        FactTotals(
            label="month",
            fact="marts.fct_appeals",
            where="not is_rejected and agency_code is not null",
            mart_where="period_kind = 'month'",
            slice={"period_start": "received_month", "agency_code": "agency_code"},
            measures={
                "incoming": "count(*)",
                "answered": "count(*) filter (where first_answer_at is not null)",
                "rated": "count(*) filter (where rating is not null)",
            },
        ),
        FactTotals(
            label="quarter",
            fact="marts.fct_appeals",
            where="not is_rejected and agency_code is not null",
            mart_where="period_kind = 'quarter'",
            slice={"period_start": "date_trunc('quarter', received_month)::date", "agency_code": "agency_code"},
            measures={
                "incoming": "count(*)",
                "answered": "count(*) filter (where first_answer_at is not null)",
                "rated": "count(*) filter (where rating is not null)",
            },
        ),
    ),
    deps=("fct_appeals",),
)
