-- Canonical appeal-event/1 events, typed; personal data replaced by keyed pseudonyms.
with

source as (

    select * from {{ source('events', 'appeal_events') }}
    where {{ visible() }}

),

typed as (

    select
        source,
        event_id,
        payload ->> 'appeal_id' as appeal_id,
        payload ->> 'channel' as channel,
        payload ->> 'event_type' as event_type,
        occurred_at,
        payload ->> 'legal_regime' as legal_regime,
        payload #>> '{category,code}' as source_category_code,
        payload #>> '{category,name}' as source_category_name,
        payload #>> '{category,parent_code}' as source_category_parent_code,
        payload #>> '{category,totk}' as totk_code,
        nullif(payload #>> '{attrs,theme}', '') as theme,
        payload #>> '{agency,code}' as agency_code,
        payload #>> '{agency,name}' as agency_name,
        payload #>> '{municipality,oktmo}' as municipality_oktmo,
        payload #>> '{municipality,name}' as municipality_name,
        case
            when 'due_at_without_offset' = any(flags)
                then (payload ->> 'due_at')::timestamp at time zone '{{ var("local_timezone") }}'
            else (payload ->> 'due_at')::timestamptz
        end as due_at,
        payload ->> 'result' as result,
        (payload ->> 'rating')::integer as rating,
        {{ pseudonym(author_identity("payload->'author'")) }} as author_key,
        {{ pseudonym(address_identity("payload->>'address'")) }} as address_key,
        payload ? 'text' as has_text,
        -- A `categorized` event written by `tsur review import`: an operator's decision, with its audit in attrs.
        payload ->> 'event_type' = 'categorized' and payload #> '{attrs,review}' is not null as is_operator_decision,
        flags,
        batch_id,
        loaded_at,
        origin,
        line_no

    from source

)

select * from typed
