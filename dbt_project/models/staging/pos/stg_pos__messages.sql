-- ПОС export rows: one row per message per export, typed; personal data as pseudonyms.
with

source as (

    {{ snapshot_rows('pos') }}

),

typed as (

    select
        {{ snapshot_common_columns() }},
        (record ->> 'registered_at')::timestamptz as registered_at,
        record ->> 'legal_regime' as legal_regime_text,
        record ->> 'category_name' as category_name,
        record ->> 'subcategory_name' as subcategory_name,
        record ->> 'theme' as theme,
        record ->> 'oktmo' as oktmo,
        record ->> 'municipality_name' as municipality_name,
        record ->> 'agency_name' as agency_name,
        record ->> 'status' as status_text,
        {{ end_of_day_if_date("(record->>'due_at')::timestamptz") }} as due_at,
        (record ->> 'interim_answer_at')::timestamptz as interim_answer_at,
        (record ->> 'answered_at')::timestamptz as answered_at,
        record ->> 'result' as result_text,
        (record ->> 'rating')::integer as rating,
        (record ->> 'return_count')::integer as return_count,
        (record ->> 'fast_track')::boolean as is_fast_track
    from source

)

select * from typed
