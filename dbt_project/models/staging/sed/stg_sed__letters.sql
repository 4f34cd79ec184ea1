-- СЭД registration cards (letters under 59-ФЗ): one row per card per export, typed, in the shape every snapshot
-- system shares and the warehouse's vocabulary (seed value_map); personal data as pseudonyms.
with

source as (

    select * from {{ source('sed', 'letters') }}
    where channel = 'letter' and {{ visible(time_column='exported_at') }}

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

),

final as (

    -- A registration card has no status: its result says whether the letter was left without an answer, and
    -- is its final answer too.
    select
        {{ snapshot_lineage_columns('letter') }},
        created_at,
        registered_at,
        coalesce({{ mapped_value('legal_regime', "'letter'", "'Обращение по 59-ФЗ'") }}, 'fz59') as legal_regime,
        null::text as source_category_code,
        category_name as source_category_name,
        totk_code,
        null::text as theme,
        null::text as oktmo,
        '' as place_name,
        agency_name,
        redirected_to,
        {{ mapped_value('state', "'letter'", 'result_text') }} as state,
        result_text as status_text,
        coalesce(extended_due_at, due_at) as due_at,
        null::timestamptz as interim_at,
        answered_at,
        null::timestamptz as closed_at,
        {{ mapped_value('result', "'letter'", 'result_text') }} as result,
        result_text,
        null::integer as rating,
        null::integer as return_count,
        author_key,
        address_key,
        has_text,
        kind,
        form,
        is_repeated,
        is_collective
    from typed

)

select * from final
