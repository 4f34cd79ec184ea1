"""The dimensions: reference data as built from the seeds (small tables, one suite each)."""

from expectations.reference import contract_types, seed_values
from expectations.suite import Suite, between, columns, expect, in_set, no_rows, non_negative, not_null, row_count


def same_set(column: str, seed: str, seed_column: str):
    """The dimension holds exactly the seed's codes: none lost, none invented."""
    return expect(
        "expect_column_distinct_values_to_equal_set",
        f"те же коды, что в seed {seed}",
        column=column,
        value_set=list(seed_values(seed, seed_column)),
    )


def dim(model: str, *extra, description: str) -> Suite:
    return Suite(
        name=model,
        relation=f"marts.{model}",
        model=model,
        description=description,
        # The key's not_null and unique are the model's YAML tests (Suite.rules adds them).
        expectations=(*columns(contract_types(model)), row_count(), *extra),
    )


SUITES = [
    dim(
        "dim_channels",
        same_set("channel_code", "channels", "channel_code"),
        description="Каналы: те же, что в справочнике.",
    ),
    dim(
        "dim_sectors",
        same_set("sector_code", "sectors", "sector_code"),
        description="Отраслевые блоки: те же, что в справочнике.",
    ),
    dim(
        "dim_categories",
        same_set("category_code", "categories", "category_code"),
        *not_null("sector_code"),
        in_set("sector_code", seed_values("sectors", "sector_code")),
        description="Категории: те же, что в справочнике, у каждой есть отраслевой блок.",
    ),
    dim(
        "dim_municipalities",
        expect(
            "expect_column_values_to_match_regex", "ОКТМО — 8 цифр", column="municipality_oktmo", regex="^[0-9]{8}$"
        ),
        *non_negative("population"),
        description="Муниципальные образования: ОКТМО из 8 цифр, численность не отрицательна.",
    ),
    dim(
        "dim_agencies",
        *not_null("agency_name", "agency_kind", "is_listed"),
        in_set("agency_kind", ("regional_body", "municipal", "organisation", "unlisted")),
        no_rows(
            "agency_code, agency_kind",
            "is_listed = (agency_kind = 'unlisted')",
            "не внесенные в справочник — и только они — вида unlisted",
        ),
        description="Органы: ключ, вид, признак справочника.",
    ),
    dim(
        "dim_dates",
        *not_null("is_working_day", "working_days_before"),
        *non_negative("working_days_before"),
        row_count(365),
        between("iso_weekday", 1, 7, note="день недели 1–7"),
        no_rows(
            "calendar_date",
            "is_working_day <> (working_day_index is not null)",
            "номер рабочего дня есть ровно у рабочих дней",
        ),
        description="Календарь: даты уникальны, номера рабочих дней согласованы.",
    ),
]
