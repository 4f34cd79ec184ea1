-- Spells of work on each appeal: from receipt (or a return for rework) to an answer, a closing or a rejection.
-- An appeal is in work at a moment if one of its spells covers it; ended_at is empty while it still is.
-- Incremental: the appeals int_appeal_events rewrote since the last build.
{{ config(**appeal_incremental_config()) }}
with

events as (

    select
        source,
        appeal_id,
        event_type,
        occurred_at,
        event_order
    from {{ ref('int_appeal_events') }}
    {% if is_incremental() %}
        where (source, appeal_id) in ({{ rebuilt_appeals(ref('int_appeal_events')) }})
    {% endif %}

),

marked as (

    select
        *,
        case
            when event_type in ('answered', 'closed', 'rejected') then false
            when event_type = 'returned' or event_order = 1 then true
        end as sets_in_work
    from events

),

grouped as (

    -- Events that change nothing inherit the state of the last one that did.
    select
        *,
        count(sets_in_work) over (partition by source, appeal_id order by event_order) as state_group
    from marked

),

stated as (

    select
        *,
        first_value(sets_in_work) over (
            partition by source, appeal_id, state_group order by event_order
        ) as in_work
    from grouped

),

switches as (

    select
        source,
        appeal_id,
        occurred_at,
        event_order,
        in_work
    from (
        select
            *,
            lag(in_work) over (partition by source, appeal_id order by event_order) as was_in_work
        from stated
    ) as s
    where was_in_work is distinct from in_work

),

spells as (

    select
        source,
        appeal_id,
        in_work,
        occurred_at as started_at,
        lead(occurred_at) over (partition by source, appeal_id order by event_order) as ended_at
    from switches

),

final as (

    select
        source || '/' || appeal_id as appeal_key,
        source,
        appeal_id,
        started_at,
        ended_at,
        {{ build_clocks() }}
    from spells
    where in_work

)

select * from final
