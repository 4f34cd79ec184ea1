-- Инцидент Менеджмент export rows: one row per incident per export, typed, in the shape every snapshot system
-- shares and the warehouse's vocabulary (seed value_map); personal data as pseudonyms.
with

source as (

    select * from {{ source('incident', 'exports') }}
    where channel = 'incident' and {{ visible(time_column='exported_at') }}

),

typed as (

    select
        {{ snapshot_common_columns() }},
        record ->> 'social_network' as social_network,
        record ->> 'incident_type' as incident_type,
        record ->> 'status' as status_text,
        record ->> 'category_name' as category_name,
        record ->> 'theme' as theme,
        record ->> 'municipality_name' as municipality_name,
        record ->> 'settlement_name' as settlement_name,
        record ->> 'agency_name' as agency_name,
        (record ->> 'first_response_at')::timestamptz as first_response_at,
        (record ->> 'closed_at')::timestamptz as closed_at,
        record ->> 'outcome' as outcome_text
    from source

),

mapped as (

    select
        *,
        {{ mapped_value('result', "'incident'", 'outcome_text') }} as result
    from typed

),

final as (

    -- The public reply is the first reaction; an outcome with an end date is the final answer.
    select
        {{ snapshot_lineage_columns('incident') }},
        created_at,
        null::timestamptz as registered_at,
        'message' as legal_regime,
        null::text as source_category_code,
        coalesce(theme, category_name) as source_category_name,
        null::text as totk_code,
        theme,
        null::text as oktmo,
        coalesce(settlement_name, municipality_name, '') as place_name,
        agency_name,
        null::text as redirected_to,
        {{ mapped_value('state', "'incident'", 'status_text') }} as state,
        status_text,
        null::timestamptz as due_at,
        first_response_at as interim_at,
        case when result is not null then closed_at end as answered_at,
        closed_at,
        result,
        outcome_text as result_text,
        null::integer as rating,
        null::integer as return_count,
        author_key,
        address_key,
        has_text,
        social_network,
        incident_type
    from mapped

)

select * from final
