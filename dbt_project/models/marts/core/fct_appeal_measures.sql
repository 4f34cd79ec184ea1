-- One row per appeal received (rejected ones excluded) with the per-appeal facts every indicator counts:
-- the KPI catalogue (macros/kpis.sql) aggregates these columns and nothing else.
-- Incremental per appeal: macros/incremental_bi.sql.
-- depends_on: {{ ref('repeat_window') }}
{{ config(**bi_incremental_config('{{ delete_appeals_to_refresh() }}')) }}
with

appeals as (

    select * from {{ ref('fct_appeals') }}
    where
        not is_rejected
        {% if is_incremental() %}  -- noqa: LT02
            -- Plus the appeals still waiting for their reaction: whether the target hours have passed depends
            -- on as_of alone, and no new event marks it (few rows: received within the last target hours).
            and appeal_key in (
                {{ appeals_to_refresh() }}
                union
                select appeal_key from {{ this }}
                where first_reaction_at is null and not is_reaction_judged
            )
        {% endif %}  -- noqa: LT02

),

folded as (

    select
        source,
        appeal_id,
        source_category_code,
        source_category_name,
        totk_code,
        has_answer_before_receipt
    from {{ ref('int_appeals__folded') }}

),

repeats as (

    select
        appeal_key,
        bool_or(position > 1) as is_repeat
    from {{ ref('int_repeat_clusters') }}
    group by appeal_key

),

-- Not materialized: joined several times, and a materialized copy of three centuries of days has neither
-- index nor statistics (a lookup of one day became a scan per appeal).
calendar as not materialized (

    select * from {{ ref('int_working_calendar') }}

),

final as (

    select
        a.appeal_key,
        a.source,
        a.appeal_id,
        a.channel,
        a.legal_regime,
        a.sector_code,
        a.category_code,
        a.agency_code,
        a.agency_name,
        a.municipality_oktmo,
        a.theme,
        f.source_category_code,
        f.source_category_name,
        f.totk_code,
        a.received_at,
        {{ local_date('a.received_at') }} as received_date,
        a.received_month,
        date_trunc('quarter', a.received_month)::date as received_quarter,
        date_trunc('year', a.received_month)::date as received_year,
        a.due_at,
        a.first_reaction_at,
        a.first_interim_at,
        a.first_answer_at,
        a.last_answer_at,
        a.closed_at,
        a.result,
        a.rating,
        a.redirect_count,
        a.extension_count,
        a.return_count,
        a.is_open,
        a.is_answered,
        a.first_answer_at is not null as has_answer,
        coalesce(a.is_answered_on_time, false) as is_answered_on_time,
        coalesce(a.first_answer_at > a.due_at, false) as is_answered_late,
        coalesce(a.is_open and {{ as_of() }} > a.due_at, false) as is_open_overdue,
        -- Hours need a reaction after the receipt (a bare date on the day of receipt gives none). Durations
        -- beyond plausible_answer_working_days are flagged (expectations/plausibility.py) and left out here:
        -- one answer dated decades late would move no median, but a feed of them would.
        {%- set wh = working_hours_between('received', 'a.received_at', 'reacted', 'a.first_reaction_at') %}
        case
            when
                a.first_reaction_at >= a.received_at
                and {{ wh }} <= {{ var('plausible_answer_working_days') }} * {{ var('workday_minutes') }} / 60.0
                then {{ wh }}
        end as first_reaction_working_hours,
        -- The reaction indicators of incidents (kpi_catalog: reaction_*): calendar minutes to the first
        -- reaction, and the reaction judged against the target working hours once it came or they passed.
        case
            when
                a.first_reaction_at >= a.received_at
                and {{ wh }} <= {{ var('plausible_answer_working_days') }} * {{ var('workday_minutes') }} / 60.0
                then round(extract(epoch from a.first_reaction_at - a.received_at) / 60, 2)
        end
            as first_reaction_minutes,
        coalesce(a.first_reaction_at >= a.received_at, false)
        or (a.first_reaction_at is null and {{ working_hours_between('received', 'a.received_at', 'now_day',
                as_of()) }} > {{ var('reaction_target_working_hours') }})
            as is_reaction_judged,
        coalesce(
            a.first_reaction_at >= a.received_at and {{ wh }} <= {{ var('reaction_target_working_hours') }},
            false
        ) as is_reacted_within_8h,
        -- Resolved by the answer in force: the last one, given after the last return.
        case
            when
                a.is_answered and not coalesce(f.has_answer_before_receipt, false)
                and {{ working_days_between('received', 'resolved') }} <= {{ var('plausible_answer_working_days') }}
                then {{ working_days_between('received', 'resolved') }}
        end
            as resolution_working_days,
        a.first_interim_at is not null as has_interim_answer,
        a.redirect_count > 0 as is_redirected,
        a.return_count > 0 as is_returned,
        a.rating is not null as is_rated,
        coalesce(a.is_satisfied, false) as is_satisfied,
        a.first_answer_at is not null and coalesce(a.result in ('supported', 'measures_taken', 'explained'), false)
            as has_substantive_result,
        coalesce(r.is_repeat, false) as is_repeat,
        -- Conflict flags for slicing (mart_conflicts lists the situations themselves).
        coalesce(a.rating <= {{ var('negative_rating_max', 2) | int }}, false) as is_negative_rating,
        {{ build_clocks() }}
    from appeals as a
    left join folded as f using (source, appeal_id)
    left join repeats as r using (appeal_key)
    left join calendar as received on received.calendar_date = {{ local_date('a.received_at') }}
    left join calendar as reacted on reacted.calendar_date = {{ local_date('a.first_reaction_at') }}
    left join calendar as resolved on resolved.calendar_date = {{ local_date('a.last_answer_at') }}
    left join calendar as now_day on now_day.calendar_date = {{ local_date(as_of()) }}

)

select * from final
