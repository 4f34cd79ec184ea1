-- Инцидент Менеджмент export rows: one row per incident per export, typed; personal data as pseudonyms.
with

source as (

    {{ snapshot_rows('incident') }}

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

)

select * from typed
