-- Every channel's events in one vocabulary, ordered within each appeal.
with

canonical as (

    select
        source, appeal_id, event_id, event_type, occurred_at, channel, legal_regime,
        source_category_code, source_category_name, totk_code, theme,
        agency_code, agency_name, municipality_oktmo, municipality_name,
        due_at, result, rating, author_key, address_key, batch_id, loaded_at,
        line_no as origin_line,
        'event' as derived_from
    from {{ ref('stg_events__appeal_events') }}

),

snapshots as (

    select
        source, appeal_id, event_id, event_type, occurred_at, channel, legal_regime,
        source_category_code, source_category_name, totk_code, theme,
        null as agency_code, agency_name, municipality_oktmo, null as municipality_name,
        due_at, result, rating, author_key, address_key, batch_id, loaded_at,
        line_no as origin_line,
        'snapshot' as derived_from
    from {{ ref('int_snapshot_events') }}

),

unioned as (

    select * from canonical
    union all
    select * from snapshots

),

final as (

    select
        *,
        row_number() over (
            partition by source, appeal_id
            order by
                occurred_at,
                array_position(array[
                    'received', 'registered', 'categorized', 'assigned', 'redirected', 'deadline_extended',
                    'interim_answer', 'answered', 'returned', 'rated', 'closed', 'rejected'
                ], event_type),
                batch_id, origin_line, event_id
        ) as event_order
    from unioned

)

select * from final
