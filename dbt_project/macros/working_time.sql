{#- Working-time arithmetic on the production calendar, written once for every mart.

    A moment's working minute counts the working minutes from the calendar's first day up to it: the working
    days before its local date times the working day's length, plus the minutes of its own day inside
    working hours (none on a day off). The difference of two working minutes is the working time between
    them, holiday transfers included. `day` is an alias of int_working_calendar joined on the moment's
    local date (macros/as_of.sql local_date). -#}
{% macro working_minute(day, moment) -%}
    ({{ day }}.working_days_before * {{ var('workday_minutes') | int }}
        + case when {{ day }}.is_working_day then least(greatest(
            extract(epoch from {{ local_ts(moment) }}::time) / 60 - {{ var('workday_start_minute') | int }},
            0), {{ var('workday_minutes') | int }}) else 0 end)
{%- endmacro %}

{#- Working hours from one moment to another (negative when the second is earlier), two decimals. -#}
{% macro working_hours_between(start_day, start_moment, end_day, end_moment) -%}
    round(({{ working_minute(end_day, end_moment) }} - {{ working_minute(start_day, start_moment) }}) / 60.0, 2)
{%- endmacro %}

{#- Working days after the first date up to and including the second (0 for the same day). -#}
{% macro working_days_between(start_day, end_day) -%}
    (({{ end_day }}.working_days_before + {{ end_day }}.is_working_day::int)
        - ({{ start_day }}.working_days_before + {{ start_day }}.is_working_day::int))
{%- endmacro %}
