-- Every channel's events in one vocabulary, ordered within each appeal.
-- Incremental: only appeals touched by batches or moments the last build did not see are rebuilt, whole.
-- depends_on: {{ ref('stg_classifier__appeal_labels') }}
{%- for system in snapshot_systems() %}
-- depends_on: {{ ref(system) }}
{%- endfor %}
{{ config(**appeal_incremental_config()) }}

with

{% if is_incremental() %}
    touched as (

        select
            source,
            appeal_id
        from {{ ref('stg_events__appeal_events') }}
        where {{ unseen_by_last_build('batch_id', 'occurred_at') }}
        union
        -- Every snapshot, not only those that changed something: an older export loaded late renumbers the rest.
        {%- for system in snapshot_systems() %}
            select
                source,
                appeal_id
            from {{ ref(system) }}
            where {{ unseen_by_last_build('batch_id', 'exported_at') }}
            union
        {%- endfor %}
        -- A new label (a new model, a changed text) changes the appeal's category: it is rebuilt too.
        select
            source,
            appeal_id
        from {{ ref('stg_classifier__appeal_labels') }}
        where {{ unseen_by_last_build('batch_id', "'-infinity'::timestamptz") }}

    ),
{% endif %}

canonical as (

    select
        source,
        appeal_id,
        event_id,
        event_type,
        occurred_at,
        channel,
        legal_regime,
        source_category_code,
        source_category_name,
        totk_code,
        theme,
        agency_code,
        agency_name,
        municipality_oktmo,
        municipality_name,
        due_at,
        result,
        rating,
        author_key,
        address_key,
        batch_id,
        loaded_at,
        line_no as origin_line,
        'event' as derived_from,
        is_operator_decision
    from {{ ref('stg_events__appeal_events') }}
    {%- if is_incremental() %}
    -- A list to compare with, not a join: the filter then reaches the raw table through the view and
    -- uses its index on this very expression (lib/migrations/006_scale_indexes.sql).
        where source || '/' || appeal_id = any(array(select source || '/' || appeal_id from touched))
    {%- endif %}

),

snapshots as (

    select
        source,
        appeal_id,
        event_id,
        event_type,
        occurred_at,
        channel,
        legal_regime,
        source_category_code,
        source_category_name,
        totk_code,
        theme,
        null as agency_code,
        agency_name,
        municipality_oktmo,
        null as municipality_name,
        due_at,
        result,
        rating,
        author_key,
        address_key,
        batch_id,
        loaded_at,
        line_no as origin_line,
        'snapshot' as derived_from,
        false as is_operator_decision
    from {{ ref('int_snapshot_events') }}
    {%- if is_incremental() %}
        where (source, appeal_id) in (
            select
                source,
                appeal_id
            from touched
        )
    {%- endif %}

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
        ) as event_order,
        {{ build_clocks() }}
    from unioned

)

select * from final
