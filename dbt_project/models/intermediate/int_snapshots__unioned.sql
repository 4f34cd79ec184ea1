-- Snapshots of every snapshot system in one shape, with source values mapped to the warehouse vocabulary.
with

pos as (

    select
        source,
        'pos' as channel,
        appeal_id,
        exported_at,
        batch_id,
        line_no,
        created_at,
        registered_at,
        legal_regime_text,
        null as source_category_code,
        coalesce(subcategory_name, category_name) as category_name,
        null as totk_code,
        theme,
        oktmo,
        coalesce(municipality_name, '') as place_name,
        agency_name,
        null as redirected_to,
        status_text,
        due_at,
        interim_answer_at as interim_at,
        answered_at,
        null::timestamptz as closed_at,
        result_text,
        rating,
        return_count,
        author_key,
        address_key,
        loaded_at
    from {{ ref('stg_pos__messages') }}

),

incidents as (

    -- The public reply is the first reaction; an outcome with an end date is the final answer.
    select
        source,
        'incident',
        appeal_id,
        exported_at,
        batch_id,
        line_no,
        created_at,
        null::timestamptz,
        null,
        null,
        coalesce(theme, category_name),
        null,
        theme,
        null,
        coalesce(settlement_name, municipality_name, ''),
        agency_name,
        null,
        status_text,
        null::timestamptz,
        first_response_at,
        case when {{ mapped_value('result', "'incident'", 'outcome_text') }} is not null then closed_at end,
        closed_at,
        outcome_text,
        null::integer,
        null::integer,
        author_key,
        address_key,
        loaded_at
    from {{ ref('stg_incident__incidents') }}

),

letters as (

    -- A registration card has no status; its result says whether the letter was left without an answer.
    select
        source,
        'letter',
        appeal_id,
        exported_at,
        batch_id,
        line_no,
        created_at,
        registered_at,
        'Обращение по 59-ФЗ',
        null,
        category_name,
        totk_code,
        null,
        null,
        '',
        agency_name,
        redirected_to,
        result_text,
        coalesce(extended_due_at, due_at),
        null::timestamptz,
        answered_at,
        null::timestamptz,
        -- The letter's result is its final answer too; the union is positional, pos names the columns.
        result_text,  -- noqa: AL08
        null::integer,
        null::integer,
        author_key,
        address_key,
        loaded_at
    from {{ ref('stg_sed__letters') }}

),

requests as (

    -- Open311 knows no answer date: a request closed is answered when it was last updated.
    select
        source,
        'portal',
        appeal_id,
        exported_at,
        batch_id,
        line_no,
        created_at,
        null::timestamptz,
        null,
        service_code,
        service_name,
        null,
        null,
        null,
        '',
        agency_name,
        null,
        status_text,
        due_at,
        null::timestamptz,
        case
            when
                {{ mapped_value('state', "'portal'", 'status_text') }} = 'closed'
                then coalesce(updated_at, exported_at)
        end,
        null::timestamptz,
        null,
        null::integer,
        null::integer,
        author_key,
        address_key,
        loaded_at
    from {{ ref('stg_open311__requests') }}

),

unioned as (

    select * from pos
    union all
    select * from incidents
    union all
    select * from letters
    union all
    select * from requests

),

municipalities as (

    select * from {{ ref('municipalities') }}

),

final as (

    select
        u.source,
        u.channel,
        u.appeal_id,
        u.exported_at,
        u.batch_id,
        u.line_no,
        u.created_at,
        u.registered_at,
        coalesce(
            {{ mapped_value('legal_regime', 'u.channel', 'u.legal_regime_text') }},
            case when u.channel = 'letter' then 'fz59' else 'message' end
        ) as legal_regime,
        u.source_category_code,
        u.category_name as source_category_name,
        u.totk_code,
        u.theme,
        coalesce(by_code.oktmo, by_name.oktmo) as municipality_oktmo,
        u.agency_name,
        u.redirected_to,
        {{ mapped_value('state', 'u.channel', 'u.status_text') }} as state,
        u.status_text,
        u.due_at,
        u.interim_at,
        u.answered_at,
        u.closed_at,
        {{ mapped_value('result', 'u.channel', 'u.result_text') }} as result,
        u.rating,
        u.return_count,
        u.author_key,
        u.address_key,
        u.loaded_at
    from unioned as u
    left join municipalities as by_code on by_code.oktmo = u.oktmo
    left join lateral (
        select m.oktmo from municipalities as m
        where
            {{ normalized_text('u.place_name') }} in (
                {{ normalized_text('m.municipality_name') }}, {{ normalized_text('m.settlement_name') }}
            )
        order by m.parent_oktmo nulls first
        limit 1
    ) as by_name on by_code.oktmo is null

)

select * from final
