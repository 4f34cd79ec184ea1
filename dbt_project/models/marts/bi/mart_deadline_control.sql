-- The operational deadline list (п. 3.3 Положения): every appeal in work with the working time left or the
-- delay as of the build, and every appeal answered after its deadline.
-- Incremental per appeal (macros/incremental_bi.sql); the appeals in work every time: their time left moves.
-- depends_on: {{ ref('fct_appeals') }}, {{ ref('repeat_window') }}
{{ config(**bi_incremental_config("{{ delete_appeals_to_refresh(also=\"control_status <> 'answered_late'\") }}",
                                  with_indexes=false)) }}
with

appeals as (

    {% if is_incremental() %}
    -- Two disjoint parts rather than `is_open or appeal_key in (…)`, so the list is hashed (see the macro).
    -- An appeal dated outside the working calendar (before 1900) has no deadline to control.
        select * from {{ ref('fct_appeal_measures') }}
        where is_open and due_at is not null
        union all
        select * from {{ ref('fct_appeal_measures') }}
        where is_answered_late and not is_open and appeal_key in ({{ appeals_to_refresh() }})
    {% else %}
        select * from {{ ref('fct_appeal_measures') }}
        where (is_open and due_at is not null) or is_answered_late
    {% endif %}

),

-- Not materialized: joined several times, and a materialized copy of three centuries of days has neither
-- index nor statistics (a lookup of one day became a scan per appeal).
calendar as not materialized (

    select * from {{ ref('int_working_calendar') }}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

channels as (

    select * from {{ ref('dim_channels') }}

),

agencies as (

    select * from {{ ref('dim_agencies') }}

),

municipalities as (

    select * from {{ ref('dim_municipalities') }}

),

timed as (

    select
        a.*,
        case
            when a.is_open and a.is_open_overdue then 'open_overdue'
            when a.is_open then 'open'
            else 'answered_late'
        end as control_status,
        case when a.is_open then {{ working_hours_between('now_day', as_of(), 'due_day', 'a.due_at') }} end
            as working_hours_left,
        case when a.is_open then {{ working_days_between('now_day', 'due_day') }} end as working_days_left,
        case
            when a.is_open_overdue then {{ working_days_between('due_day', 'now_day') }}
            when not a.is_open then {{ working_days_between('due_day', 'answer_day') }}
        end as overdue_working_days
    from appeals as a
    left join calendar as now_day on now_day.calendar_date = {{ local_date(as_of()) }}
    left join calendar as due_day on due_day.calendar_date = {{ local_date('a.due_at') }}
    left join calendar as answer_day on answer_day.calendar_date = {{ local_date('a.first_answer_at') }}

),

final as (

    select
        t.appeal_key,
        t.source,
        t.appeal_id,
        t.control_status,
        case t.control_status
            when 'open' then 'в работе, срок не истек'
            when 'open_overdue' then 'в работе, срок истек'
            else 'ответ с нарушением срока'
        end as control_status_name,
        t.channel as channel_code,
        ch.channel_name,
        c.sector_code,
        c.sector_name,
        t.category_code,
        c.category_name,
        t.agency_code,
        coalesce(ag.agency_name, t.agency_name, 'орган не назначен') as agency_name,
        t.municipality_oktmo,
        m.municipality_name,
        t.legal_regime,
        t.received_at,
        t.due_at,
        {{ local_date('t.due_at') }} as due_date,
        t.working_hours_left,
        t.working_days_left,
        t.overdue_working_days,
        t.has_interim_answer,
        t.first_interim_at,
        t.first_answer_at,
        t.extension_count,
        t.redirect_count,
        t.return_count,
        t.is_returned and t.is_open as is_reopened,
        {{ build_clocks() }}
    from timed as t
    inner join categories as c using (category_code)
    inner join channels as ch on ch.channel_code = t.channel
    left join agencies as ag using (agency_code)
    left join municipalities as m using (municipality_oktmo)

)

select * from final
