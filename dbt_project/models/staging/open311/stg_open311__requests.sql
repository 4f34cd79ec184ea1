-- Open311 GeoReport v2 requests of municipal systems: one row per request per change, typed, in the shape every
-- snapshot system shares and the warehouse's vocabulary (seed value_map); no personal data.
with

source as (

    select * from {{ source('open311', 'requests') }}
    where channel = 'portal' and {{ visible(time_column='exported_at') }}

),

typed as (

    select
        {{ snapshot_common_columns() }},
        (record ->> 'updated_at')::timestamptz as updated_at,
        (record ->> 'due_at')::timestamptz as due_at,
        record ->> 'status' as status_text,
        record ->> 'category_code' as service_code,
        record ->> 'category_name' as service_name,
        record ->> 'agency_name' as agency_name
    from source

),

mapped as (

    select
        *,
        {{ mapped_value('state', "'portal'", 'status_text') }} as state
    from typed

),

final as (

    -- Open311 knows no answer date: a request closed is answered when it was last updated.
    select
        {{ snapshot_lineage_columns('portal') }},
        created_at,
        null::timestamptz as registered_at,
        'message' as legal_regime,
        service_code as source_category_code,
        service_name as source_category_name,
        null::text as totk_code,
        null::text as theme,
        null::text as oktmo,
        '' as place_name,
        agency_name,
        null::text as redirected_to,
        state,
        status_text,
        due_at,
        null::timestamptz as interim_at,
        case when state = 'closed' then coalesce(updated_at, exported_at) end as answered_at,
        null::timestamptz as closed_at,
        null::text as result,
        null::text as result_text,
        null::integer as rating,
        null::integer as return_count,
        author_key,
        address_key,
        has_text,
        updated_at
    from mapped

)

select * from final
