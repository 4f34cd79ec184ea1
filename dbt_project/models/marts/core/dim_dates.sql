-- Calendar dimension: working days by the Russian production calendar, months and quarters for slicing.
with

calendar as (

    select * from {{ ref('int_working_calendar') }}

),

final as (

    select
        calendar_date,
        extract(year from calendar_date)::integer as year,
        extract(quarter from calendar_date)::integer as quarter,
        date_trunc('month', calendar_date)::date as month_start,
        date_trunc('week', calendar_date)::date as week_start,
        extract(isodow from calendar_date)::integer as iso_weekday,
        is_working_day,
        is_weekend,
        holiday_name,
        working_days_before,
        working_day_index
    from calendar

)

select * from final
