-- ПОС export rows: one row per message per export, typed, in the shape every snapshot system shares and the
-- warehouse's vocabulary (seed value_map); personal data as pseudonyms.
with

source as (

    select * from {{ source('pos', 'exports') }}
    where channel = 'pos' and {{ visible(time_column='exported_at') }}

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

),

final as (

    select
        {{ snapshot_lineage_columns('pos') }},
        created_at,
        registered_at,
        coalesce({{ mapped_value('legal_regime', "'pos'", 'legal_regime_text') }}, 'message') as legal_regime,
        null::text as source_category_code,
        coalesce(subcategory_name, category_name) as source_category_name,
        null::text as totk_code,
        theme,
        oktmo,
        coalesce(municipality_name, '') as place_name,
        agency_name,
        null::text as redirected_to,
        {{ mapped_value('state', "'pos'", 'status_text') }} as state,
        status_text,
        due_at,
        interim_answer_at as interim_at,
        answered_at,
        null::timestamptz as closed_at,
        {{ mapped_value('result', "'pos'", 'result_text') }} as result,
        result_text,
        rating,
        return_count,
        author_key,
        address_key,
        has_text,
        is_fast_track
    from typed

)

select * from final
