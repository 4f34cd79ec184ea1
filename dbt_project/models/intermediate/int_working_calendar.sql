-- The production calendar with running counts of working days, for deadline arithmetic. Every day from 1900
-- to 2199 is here: the official calendar where the seed has it (1991–2035, `tsur calendar`), Monday to Friday
-- elsewhere, so that a feed from another decade or a deadline years ahead never meets a missing day.
{%- set first_day, last_day = '1900-01-01', '2199-12-31' %}
with

official as (

    select * from {{ ref('production_calendar') }}

),

days as (

    select d::date as calendar_date
    from generate_series('{{ first_day }}'::date, '{{ last_day }}'::date, interval '1 day') as d

),

calendar as (

    select
        d.calendar_date,
        coalesce(o.is_working_day, extract(isodow from d.calendar_date) < 6) as is_working_day,
        coalesce(o.is_weekend, extract(isodow from d.calendar_date) >= 6) as is_weekend,
        o.holiday_name,
        o.calendar_date is not null as is_official
    from days as d
    left join official as o using (calendar_date)

),

final as (

    select
        calendar_date,
        is_working_day,
        is_weekend,
        nullif(holiday_name, '') as holiday_name,
        is_official,
        -- Working days strictly before this date; a working day's own index is this + 1.
        (count(*) filter (where is_working_day) over (order by calendar_date) - is_working_day::int)::integer
            as working_days_before,
        case
            when is_working_day
                then (count(*) filter (where is_working_day) over (order by calendar_date))::integer
        end as working_day_index
    from calendar

)

select * from final
