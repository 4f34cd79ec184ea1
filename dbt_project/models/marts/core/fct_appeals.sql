-- One row per appeal: category, body, deadlines, answers, ratings as of the build; no personal data.
-- Incremental: the appeals int_appeals__folded rewrote, and the open appeals whose deadline passed since the
-- last build's as_of (is_overdue is the only figure here that depends on the moment of the build).
{{ config(**appeal_incremental_config(with_indexes=false)) }}
{%- set last_hwm, last_as_of = last_build_clocks() %}
with

folded as (

    select * from {{ ref('int_appeals__folded') }}
    {% if is_incremental() %}
        where (source, appeal_id) in (
            {{ rebuilt_appeals(ref('int_appeals__folded')) }}
            {%- if last_as_of is not none %}
                union
                select
                    source,
                    appeal_id
                from {{ this }}
                where is_open and due_at > '{{ last_as_of }}'::timestamptz and due_at <= {{ as_of() }}
            {%- endif %}
        )
    {% endif %}

),

categories as (

    select * from {{ ref('int_appeal_categories') }}

),

deadlines as (

    select * from {{ ref('int_appeal_deadlines') }}

),

category_dim as (

    select
        category_code,
        sector_code
    from {{ ref('categories') }}

),

agencies as (

    select * from {{ ref('agencies') }}

),

-- Not materialized: joined several times, and a materialized copy of three centuries of days has neither
-- index nor statistics (a lookup of one day became a scan per appeal).
calendar as not materialized (

    select * from {{ ref('int_working_calendar') }}

),

joined as (

    select
        f.*,
        c.category_code,
        c.category_method,
        c.category_confidence::numeric as category_confidence,
        c.model_version as category_model_version,
        cd.sector_code,
        d.due_at,
        d.due_at_origin,
        d.answer_rule_id,
        d.first_reaction_due_at,
        coalesce(
            by_code.agency_code, by_name.agency_code,
            'unlisted:' || left(md5(lower(f.agency_name)), 12)
        ) as resolved_agency_code,
        coalesce(by_code.agency_name, by_name.agency_name, f.agency_name) as resolved_agency_name,
        least(f.first_interim_at, f.first_answer_at) as first_reaction_at,
        rec.working_days_before + rec.is_working_day::int as received_working_days_through,
        ans.working_days_before + ans.is_working_day::int as answered_working_days_through
    from folded as f
    inner join categories as c using (source, appeal_id)
    inner join category_dim as cd using (category_code)
    inner join deadlines as d using (source, appeal_id)
    left join agencies as by_code on by_code.agency_code = f.agency_code
    left join agencies as by_name on lower(by_name.agency_name) = lower(f.agency_name)
    left join calendar as rec on rec.calendar_date = {{ local_date('f.received_at') }}
    left join calendar as ans on ans.calendar_date = {{ local_date('f.first_answer_at') }}

),

final as (

    select
        source || '/' || appeal_id as appeal_key,
        source,
        appeal_id,
        channel,
        legal_regime,
        sector_code,
        category_code,
        category_method,
        category_confidence,
        category_model_version,
        theme,
        case when agency_name is not null then resolved_agency_code end as agency_code,
        resolved_agency_name as agency_name,
        municipality_oktmo,
        received_at,
        date_trunc('month', {{ local_date('received_at') }})::date as received_month,
        registered_at,
        first_reaction_at,
        first_interim_at,
        first_answer_at,
        last_answer_at,
        closed_at,
        rejected_at,
        due_at,
        due_at_origin,
        answer_rule_id,
        first_reaction_due_at,
        case
            when rejected_at is not null then 'rejected'
            when is_answered then 'answered'
            when closed_at is not null then 'closed'
            else 'open'
        end as status,
        rejected_at is not null as is_rejected,
        is_answered,
        rejected_at is null and not is_answered and closed_at is null as is_open,
        -- Speed figures need the answer after the receipt (has_answer_before_receipt: a source error).
        case when not has_answer_before_receipt then first_answer_at <= due_at end as is_answered_on_time,
        coalesce(rejected_at is null and (
            first_answer_at > due_at
            or (not is_answered and closed_at is null and {{ as_of() }} > due_at)
        ), false) as is_overdue,
        -- A bare answer date (midnight) on the day of receipt gives days, not hours.
        case
            when not has_answer_before_receipt and first_answer_at >= received_at
                then
                    round((extract(epoch from first_answer_at - received_at) / 3600)::numeric, 2)
        end as answer_hours,
        case
            when not has_answer_before_receipt
                then
                    answered_working_days_through - received_working_days_through
        end as answer_working_days,
        redirect_count::integer as redirect_count,
        extension_count::integer as extension_count,
        return_count::integer as return_count,
        result,
        rating,
        rating >= 4 as is_satisfied,
        author_key,
        address_key,
        event_count::integer as event_count,
        last_batch_id,
        {{ build_clocks() }}
    from joined

)

select * from final
