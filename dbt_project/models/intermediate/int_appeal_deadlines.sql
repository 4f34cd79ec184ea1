-- Deadlines of each appeal from the rules seed and the production calendar; the source's own due date wins.
-- Incremental: the appeals int_appeals__folded rewrote since the last build.
{{ config(**appeal_incremental_config()) }}
{%- set tz = var('local_timezone') %}
{%- set day_start = var('workday_start_minute') | int %}
{%- set day_minutes = var('workday_minutes') | int %}
with

appeals as (

    select
        f.source,
        f.appeal_id,
        f.channel,
        f.legal_regime,
        f.received_at,
        f.registered_at,
        f.stated_due_at,
        f.bare_extension_count,
        c.category_code
    from {{ ref('int_appeals__folded') }} as f
    inner join {{ ref('int_appeal_categories') }} as c using (source, appeal_id)
    {% if is_incremental() %}
        where (f.source, f.appeal_id) in ({{ rebuilt_appeals(ref('int_appeals__folded')) }})
    {% endif %}

),

rules as (

    select * from {{ ref('deadline_rules') }}

),

-- Not materialized: joined several times, and a materialized copy of three centuries of days has neither
-- index nor statistics (a lookup of one day became a scan per appeal).
calendar as not materialized (

    select * from {{ ref('int_working_calendar') }}

),

chosen as (

    select distinct on (a.source, a.appeal_id, r.deadline_kind)
        a.source,
        a.appeal_id,
        a.stated_due_at,
        r.deadline_kind,
        r.rule_id,
        r.unit,
        r.roll_to_working_day,
        -- An extension that names no new date extends by the rule's term again.
        (r.term * (1 + case when r.deadline_kind = 'answer' then a.bare_extension_count else 0 end))::integer as term,
        {{ local_ts(
            "case when r.anchor = 'registered' then coalesce(a.registered_at, a.received_at) else a.received_at end"
        ) }} as anchor_local
    from appeals as a
    inner join rules as r
        on
            r.channel in ('*', a.channel)
            and r.legal_regime in ('*', a.legal_regime)
            and r.category_code in ('*', a.category_code)
            and {{ local_date('a.received_at') }} >= r.valid_from
            and (r.valid_to is null or {{ local_date('a.received_at') }} <= r.valid_to)
    order by a.source, a.appeal_id, r.deadline_kind, r.priority, r.rule_id

),

anchored as (

    select
        chosen.*,
        anchor.working_days_before + anchor.is_working_day::int as working_days_through,
        anchor.working_days_before * {{ day_minutes }}
        + case
            when anchor.is_working_day
                then
                    least(greatest(
                        extract(hour from chosen.anchor_local) * 60 + extract(minute from chosen.anchor_local)
                        - {{ day_start }}, 0
                    ), {{ day_minutes }})
            else 0
        end as working_minute
    from chosen
    inner join calendar as anchor on anchor.calendar_date = chosen.anchor_local::date

),

calendar_days as (

    select
        a.source,
        a.appeal_id,
        a.deadline_kind,
        a.rule_id,
        (case
            when a.roll_to_working_day and not raw_day.is_working_day then next_day.calendar_date
            else raw_day.calendar_date
        end + time '23:59:59') at time zone '{{ tz }}' as rule_due_at
    from anchored as a
    inner join calendar as raw_day on raw_day.calendar_date = a.anchor_local::date + a.term
    inner join calendar as next_day on next_day.working_day_index = raw_day.working_days_before + 1
    where a.unit = 'calendar_days'

),

working_days as (

    select
        a.source,
        a.appeal_id,
        a.deadline_kind,
        a.rule_id,
        (due.calendar_date + time '23:59:59') at time zone '{{ tz }}' as rule_due_at
    from anchored as a
    inner join calendar as due on due.working_day_index = a.working_days_through + a.term
    where a.unit = 'working_days'

),

working_hours as (

    -- Working minutes are counted from the calendar's start; the due moment is the minute
    -- term * 60 later, placed back on its working day.
    select
        a.source,
        a.appeal_id,
        a.deadline_kind,
        a.rule_id,
        (due.calendar_date + make_interval(mins => (
            {{ day_start }}
            + (a.working_minute + a.term * 60) - (due.working_day_index - 1) * {{ day_minutes }}
        )::integer))
        at time zone '{{ tz }}' as rule_due_at
    from anchored as a
    inner join calendar as due
        on due.working_day_index = ceil((a.working_minute + a.term * 60) / {{ day_minutes }}.0)::integer
    where a.unit = 'working_hours'

),

computed as (

    select * from calendar_days
    union all
    select * from working_days
    union all
    select * from working_hours

),

final as (

    select
        a.source,
        a.appeal_id,
        answer.rule_id as answer_rule_id,
        answer.rule_due_at as answer_rule_due_at,
        coalesce(a.stated_due_at, answer.rule_due_at) as due_at,
        case when a.stated_due_at is not null then 'source' when answer.rule_due_at is not null then 'rule' end
            as due_at_origin,
        reaction.rule_id as first_reaction_rule_id,
        reaction.rule_due_at as first_reaction_due_at,
        registration.rule_due_at as registration_due_at,
        {{ build_clocks() }}
    from appeals as a
    left join computed as answer
        on answer.source = a.source and answer.appeal_id = a.appeal_id and answer.deadline_kind = 'answer'
    left join computed as reaction
        on reaction.source = a.source and reaction.appeal_id = a.appeal_id and reaction.deadline_kind = 'first_reaction'
    left join computed as registration
        on
            registration.source = a.source and registration.appeal_id = a.appeal_id
            and registration.deadline_kind = 'registration'

)

select * from final
