-- Open311 GeoReport v2 requests of municipal systems: one row per request per change, typed; no personal data.
with

source as (

    {{ snapshot_rows('portal') }}

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

)

select * from typed
