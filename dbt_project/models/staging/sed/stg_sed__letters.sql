-- СЭД registration cards (letters under 59-ФЗ): one row per card per export, typed; personal data as pseudonyms.
with

source as (

    {{ snapshot_rows('letter') }}

),

typed as (

    select
        {{ snapshot_common_columns() }},
        (record ->> 'registered_at')::timestamptz as registered_at,
        record ->> 'kind' as kind,
        record ->> 'form' as form,
        record ->> 'totk_code' as totk_code,
        record ->> 'category_name' as category_name,
        record ->> 'agency_name' as agency_name,
        {{ end_of_day_if_date("(record->>'due_at')::timestamptz") }} as due_at,
        {{ end_of_day_if_date("(record->>'extended_due_at')::timestamptz") }} as extended_due_at,
        (record ->> 'answered_at')::timestamptz as answered_at,
        record ->> 'result' as result_text,
        record ->> 'redirected_to' as redirected_to,
        (record ->> 'repeated')::boolean as is_repeated,
        (record ->> 'collective')::boolean as is_collective
    from source

)

select * from typed
