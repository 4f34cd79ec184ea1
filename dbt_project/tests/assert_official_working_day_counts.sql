-- The production calendar must give the official yearly numbers of working days.
with

expected (year, working_days) as (

    values (2023, 247), (2024, 248), (2025, 247), (2026, 247)

),

actual as (

    select
        year,
        count(*) filter (where is_working_day) as working_days
    from {{ ref('dim_dates') }}
    group by year

)

select
    e.year,
    e.working_days as expected,
    a.working_days as actual
from expected as e
left join actual as a using (year)
where a.working_days is distinct from e.working_days
