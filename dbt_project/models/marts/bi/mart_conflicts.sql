-- Conflict situations and communication errors (п. 7.3 Положения): one row per situation, with its reason.
-- Incremental per appeal: macros/incremental_bi.sql.
-- depends_on: {{ ref('fct_appeals') }}, {{ ref('repeat_window') }}
{{ config(**bi_incremental_config('{{ delete_appeals_to_refresh() }}', with_indexes=false)) }}
{%- set negative = var('negative_rating_max', 2) | int %}
with
{% if is_incremental() %}
    refresh as (

        {{ appeals_to_refresh() }}

    ),
{% endif %}

events as (

    select * from {{ ref('fct_appeal_events') }}
    {% if is_incremental() %}
        where appeal_key in (select appeal_key from refresh)
    {% endif %}

),

appeals as (

    select * from {{ ref('fct_appeal_measures') }}
    {% if is_incremental() %}
    -- The author chains' earlier appeals share the author, so they are in the refresh too.
        where appeal_key in (select appeal_key from refresh)
    {% endif %}

),

author_chains as (

    select * from {{ ref('int_repeat_clusters') }}
    where cluster_kind = 'author'

),

reasons as (

    select * from {{ ref('conflict_reasons') }}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

channels as (

    select * from {{ ref('dim_channels') }}

),

agencies as (

    select * from {{ ref('dim_agencies') }}

),

municipalities as (

    select * from {{ ref('dim_municipalities') }}

),

negative_ratings as (

    select
        appeal_key,
        event_id,
        occurred_at,
        rating,
        cast(null as text) as related_appeal_key
    from events
    where event_type = 'rated' and rating <= {{ negative }}

),

returns as (

    select
        appeal_key,
        event_id,
        occurred_at,
        cast(null as integer) as rating,
        cast(null as text) as related_appeal_key,
        row_number() over (partition by appeal_key order by event_order) as return_no
    from events
    where event_type = 'returned'

),

agency_steps as (

    select
        appeal_key,
        event_id,
        event_type,
        occurred_at,
        event_order,
        lower(agency_name) as agency,
        lag(lower(agency_name)) over (partition by appeal_key order by event_order) as previous_agency
    from events
    where event_type in ('received', 'assigned', 'redirected') and agency_name is not null

),

redirects_back as (

    -- Sent to a body that already had the appeal: ping-pong between bodies.
    select
        s.appeal_key,
        s.event_id,
        s.occurred_at,
        cast(null as integer) as rating,
        cast(null as text) as related_appeal_key
    from agency_steps as s
    where
        s.event_type = 'redirected'
        and s.agency is distinct from s.previous_agency
        and exists (
            select 1 from agency_steps as p
            where p.appeal_key = s.appeal_key and p.event_order < s.event_order and p.agency = s.agency
        )

),

repeats_after_answer as (

    -- The same author writes again on the same problem after getting an answer to the previous appeal.
    select
        cur.appeal_key,
        cast(null as text) as event_id,
        cur.received_at as occurred_at,
        cast(null as integer) as rating,
        prev.appeal_key as related_appeal_key
    from author_chains as cur
    inner join author_chains as prev on prev.cluster_id = cur.cluster_id and prev.position = cur.position - 1
    inner join appeals as answered on answered.appeal_key = prev.appeal_key
    where answered.first_answer_at < cur.received_at

),

situations as (

    select
        'negative_rating' as reason_code,
        *
    from negative_ratings
    union all
    select
        'late_negative',
        n.*
    from negative_ratings as n
    inner join appeals as a using (appeal_key)
    where a.is_answered_late
    union all
    select
        'returned',
        appeal_key,
        event_id,
        occurred_at,
        rating,
        related_appeal_key
    from returns
    union all
    select
        'repeated_return',
        appeal_key,
        event_id,
        occurred_at,
        rating,
        related_appeal_key
    from returns
    where return_no > 1
    union all
    select
        'repeat_after_answer',
        *
    from repeats_after_answer
    union all
    select
        'redirect_back',
        *
    from redirects_back

),

final as (

    select
        md5(s.reason_code || '|' || s.appeal_key || '|' || coalesce(s.event_id, '')) as conflict_id,
        s.reason_code,
        r.reason_name,
        s.occurred_at,
        {{ local_date('s.occurred_at') }} as occurred_date,
        date_trunc('month', {{ local_date('s.occurred_at') }})::date as month,
        s.appeal_key,
        s.event_id,
        s.related_appeal_key,
        s.rating,
        a.is_answered_late,
        a.channel as channel_code,
        ch.channel_name,
        c.sector_code,
        c.sector_name,
        a.category_code,
        c.category_name,
        a.agency_code,
        coalesce(ag.agency_name, a.agency_name) as agency_name,
        a.municipality_oktmo,
        m.municipality_name,
        {{ build_clocks() }}
    from situations as s
    inner join appeals as a using (appeal_key)
    inner join reasons as r using (reason_code)
    inner join categories as c on c.category_code = a.category_code
    inner join channels as ch on ch.channel_code = a.channel
    left join agencies as ag on ag.agency_code = a.agency_code
    left join municipalities as m on m.municipality_oktmo = a.municipality_oktmo

)

select * from final
