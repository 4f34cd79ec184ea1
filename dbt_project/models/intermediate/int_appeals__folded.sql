-- One row per appeal: its events folded into the state the warehouse knows as of the build.
-- Incremental like int_appeal_events: the appeals it rebuilt since this model's last build are folded again.
{{ config(**appeal_incremental_config()) }}

with

events as (

    select * from {{ ref('int_appeal_events') }}
    {% if is_incremental() %}
        where (source, appeal_id) in (
            select
                e.source,
                e.appeal_id
            from {{ ref('int_appeal_events') }} as e
            where {{ unseen_by_last_build('e._built_hwm', 'e._built_as_of') }}
        )
    {% endif %}

),

folded as (

    select
        source,
        appeal_id,
        (array_agg(channel order by event_order) filter (where channel is not null))[1] as channel,
        (array_agg(legal_regime order by event_order desc) filter (where legal_regime is not null))[1]
            as stated_legal_regime,
        min(occurred_at) filter (where event_type = 'received') as received_event_at,
        min(occurred_at) as first_event_at,
        min(occurred_at) filter (where event_type = 'registered') as registered_at,
        (
            array_agg(source_category_code order by event_order desc)
            filter (
                where coalesce(source_category_code, source_category_name, totk_code) is not null
                and not is_operator_decision
            )
        )[1] as source_category_code,
        (
            array_agg(source_category_name order by event_order desc)
            filter (
                where coalesce(source_category_code, source_category_name, totk_code) is not null
                and not is_operator_decision
            )
        )[1] as source_category_name,
        (
            array_agg(totk_code order by event_order desc)
            filter (
                where coalesce(source_category_code, source_category_name, totk_code) is not null
                and not is_operator_decision
            )
        )[1] as totk_code,
        (
            array_agg(source_category_code order by event_order desc)
            filter (where is_operator_decision and source_category_code is not null)
        )[1] as operator_category_code,
        (array_agg(theme order by event_order desc) filter (where theme is not null))[1] as theme,
        (array_agg(agency_code order by event_order desc) filter (where agency_name is not null))[1] as agency_code,
        (array_agg(agency_name order by event_order desc) filter (where agency_name is not null))[1] as agency_name,
        (array_agg(agency_name order by event_order) filter (where agency_name is not null))[1] as first_agency_name,
        (
            array_agg(municipality_oktmo order by event_order desc)
            filter (where municipality_oktmo is not null)
        )[1] as municipality_oktmo,
        (array_agg(author_key order by event_order) filter (where author_key is not null))[1] as author_key,
        (array_agg(address_key order by event_order) filter (where address_key is not null))[1] as address_key,
        (array_agg(due_at order by event_order desc) filter (where due_at is not null))[1] as stated_due_at,
        count(*) filter (where event_type = 'deadline_extended' and due_at is null) as bare_extension_count,
        count(*) filter (where event_type = 'deadline_extended') as extension_count,
        count(*) filter (where event_type = 'redirected') as redirect_count,
        min(occurred_at) filter (where event_type = 'interim_answer') as first_interim_at,
        min(occurred_at) filter (where event_type = 'answered') as first_answer_at,
        max(occurred_at) filter (where event_type = 'answered') as last_answer_at,
        (array_agg(result order by event_order desc) filter (where event_type = 'answered' and result is not null))[1]
            as result,
        count(*) filter (where event_type = 'returned') as return_count,
        max(occurred_at) filter (where event_type = 'returned') as last_returned_at,
        (array_agg(rating order by event_order desc) filter (where event_type = 'rated' and rating is not null))[1]
            as rating,
        max(occurred_at) filter (where event_type = 'rated') as rated_at,
        max(occurred_at) filter (where event_type = 'closed') as last_closed_at,
        min(occurred_at) filter (where event_type = 'rejected') as rejected_at,
        bool_or(event_type = 'received') as has_received_event,
        count(*) as event_count,
        max(batch_id) as last_batch_id

    from events
    group by source, appeal_id

),

moments as (

    select
        *,
        coalesce(received_event_at, first_event_at) as received_at,
        least(first_interim_at, first_answer_at) as first_reaction_at
    from folded

),

final as (

    select
        source,
        appeal_id,
        channel,
        -- Letters are 59-ФЗ by law; other channels are messages unless the source says otherwise.
        coalesce(stated_legal_regime, case when channel = 'letter' then 'fz59' else 'message' end) as legal_regime,
        received_at,
        registered_at,
        source_category_code,
        source_category_name,
        totk_code,
        operator_category_code,
        theme,
        agency_code,
        agency_name,
        first_agency_name,
        municipality_oktmo,
        author_key,
        address_key,
        stated_due_at,
        bare_extension_count,
        extension_count,
        redirect_count,
        first_interim_at,
        first_answer_at,
        last_answer_at,
        result,
        return_count,
        last_returned_at,
        rating,
        rated_at,
        -- A return reopens the appeal: an answer or a closing counts only if it came after the last return.
        last_answer_at is not null
        and (last_returned_at is null or last_answer_at > last_returned_at) as is_answered,
        case when last_closed_at > coalesce(last_returned_at, '-infinity') then last_closed_at end as closed_at,
        rejected_at,
        has_received_event,
        -- A reaction dated before the receipt is a source error: kept, flagged, left out of speed figures.
        -- A bare date (local midnight) on the day of receipt is no contradiction: exports often give only dates.
        coalesce(first_reaction_at < received_at and not (
            {{ local_date('first_reaction_at') }} = {{ local_date('received_at') }}
            and (first_reaction_at at time zone '{{ var("local_timezone") }}')::time = '00:00'
        ), false) as has_answer_before_receipt,
        event_count,
        last_batch_id,
        {{ build_clocks() }}
    from moments

)

select * from final
