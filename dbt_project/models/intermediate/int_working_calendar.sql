-- The production calendar with running counts of working days, for deadline arithmetic.
with

calendar as (

    select * from {{ ref('production_calendar') }}

),

final as (

    select
        calendar_date,
        is_working_day,
        is_weekend,
        nullif(holiday_name, '') as holiday_name,
        -- Working days strictly before this date; a working day's own index is this + 1.
        (count(*) filter (where is_working_day) over (order by calendar_date) - is_working_day::int)::integer
            as working_days_before,
        case when is_working_day
            then (count(*) filter (where is_working_day) over (order by calendar_date))::integer
        end as working_day_index
    from calendar

)

select * from final
