-- One row per appeal event from every channel, in one vocabulary; no personal data.
-- Incremental: the events of the appeals int_appeal_events rewrote since the last build.
{{ config(**appeal_incremental_config(with_indexes=false)) }}
with

events as (

    select * from {{ ref('int_appeal_events') }}
    {% if is_incremental() %}
        where (source, appeal_id) in ({{ rebuilt_appeals(ref('int_appeal_events')) }})
    {% endif %}

),

appeal_categories as (

    select * from {{ ref('int_appeal_categories') }}

),

categories as (

    select * from {{ ref('categories') }}

),

final as (

    select
        source || '/' || appeal_id as appeal_key,
        source,
        appeal_id,
        event_id,
        event_type,
        event_order::integer as event_order,
        occurred_at,
        {{ local_date('occurred_at') }} as occurred_date,
        channel,
        -- The appeal's category (as resolved for the whole appeal), so events can be sliced by sector.
        ac.category_code,
        c.sector_code,
        legal_regime,
        agency_code,
        agency_name,
        municipality_oktmo,
        due_at,
        result,
        rating,
        derived_from,
        batch_id,
        loaded_at,
        {{ build_clocks() }}
    from events
    inner join appeal_categories as ac using (source, appeal_id)
    inner join categories as c using (category_code)

)

select * from final
