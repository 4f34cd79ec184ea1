-- Events of snapshot systems, derived by comparing each snapshot of an appeal with the one before it.
-- A change is dated by the row's own date column where there is one, otherwise by the snapshot moment.
-- Snapshots are ordered by their moment, not by load order, so an older export loaded late changes nothing.
-- Each staging model already speaks the shared shape and vocabulary; here they meet, and find their place.
{%- set shared = [
    'source', 'channel', 'appeal_id', 'exported_at', 'batch_id', 'line_no', 'loaded_at', 'created_at',
    'registered_at', 'legal_regime', 'source_category_code', 'source_category_name', 'totk_code', 'theme',
    'oktmo', 'place_name', 'agency_name', 'redirected_to', 'state', 'due_at', 'interim_at', 'answered_at',
    'closed_at', 'result', 'rating', 'return_count', 'author_key', 'address_key'
] %}
with

unioned as (

    {%- for system in snapshot_systems() %}
        select {{ shared | join(', ') }} from {{ ref(system) }}
        {%- if not loop.last %} union all{% endif %}
    {%- endfor %}

),

municipalities as (

    select * from {{ ref('municipalities') }}

),

-- The place by the source's OKTMO, else by the name of its municipality or settlement (the district first).
located as (

    select
        u.*,
        coalesce(by_code.oktmo, by_name.oktmo) as municipality_oktmo
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

),

snapshots as (

    select
        *,
        row_number() over w as snapshot_no,
        lag(registered_at) over w as prev_registered_at,
        lag(agency_name) over w as prev_agency_name,
        lag(redirected_to) over w as prev_redirected_to,
        lag(concat_ws('|', source_category_code, source_category_name, totk_code, theme)) over w as prev_category,
        lag(due_at) over w as prev_due_at,
        lag(interim_at) over w as prev_interim_at,
        lag(answered_at) over w as prev_answered_at,
        lag(state) over w as prev_state,
        lag(rating) over w as prev_rating,
        coalesce(lag(return_count) over w, 0) as prev_return_count
    from located
    window w as (partition by source, appeal_id order by exported_at, batch_id, line_no)

),

changes as (

    select
        s.*,
        c.event_type,
        c.occurred_at,
        c.n
    from snapshots as s
    cross join
        lateral (
            values
            ('received', s.created_at, 1, s.snapshot_no = 1),
            ('registered', s.registered_at, 1, s.registered_at is not null and s.prev_registered_at is null),
            (
                'assigned',
                case when s.snapshot_no = 1 then coalesce(s.registered_at, s.created_at) else s.exported_at end,
                1,
                s.agency_name is not null and s.prev_agency_name is null
            ),
            (
                'redirected', s.exported_at, 1,
                s.prev_agency_name is not null and s.agency_name is distinct from s.prev_agency_name
                or s.redirected_to is not null and s.redirected_to is distinct from s.prev_redirected_to
            ),
            (
                'categorized', s.exported_at, 1, s.snapshot_no > 1
                and concat_ws('|', s.source_category_code, s.source_category_name, s.totk_code, s.theme)
                is distinct from s.prev_category
            ),
            (
                'deadline_extended', s.exported_at, 1,
                s.snapshot_no > 1 and s.due_at is not null and s.due_at is distinct from s.prev_due_at
            ),
            ('interim_answer', s.interim_at, 1, s.interim_at is not null and s.prev_interim_at is null),
            (
                'answered', coalesce(s.answered_at, s.exported_at), 1,
                s.answered_at is not null and s.answered_at is distinct from s.prev_answered_at
                or s.answered_at is null and s.state = 'answered'
                and s.prev_state is distinct from 'answered' and s.prev_answered_at is null
            ),
            ('rated', s.exported_at, 1, s.rating is not null and s.rating is distinct from s.prev_rating),
            (
                'closed', coalesce(s.closed_at, s.exported_at), 1,
                s.state = 'closed' and s.prev_state is distinct from 'closed'
            ),
            ('rejected', s.exported_at, 1, s.state = 'rejected' and s.prev_state is distinct from 'rejected')
        ) as c (event_type, occurred_at, n, happened)
    where c.happened and c.occurred_at is not null

    union all

    -- One event per return: the counter may jump by more than one between snapshots. A return seen
    -- together with a new answer came before that answer: it is placed one second before it.
    select
        s.*,
        'returned',
        case
            when (s.answered_at is distinct from s.prev_answered_at) and s.answered_at is not null
                then least(s.exported_at, s.answered_at - interval '1 second')
            else s.exported_at
        end,
        r.n
    from snapshots as s
    cross join lateral generate_series(s.prev_return_count + 1, s.return_count) as r (n)
    where s.return_count > s.prev_return_count

),

final as (

    select
        source,
        appeal_id,
        appeal_id || ':' || event_type || ':'
        || snapshot_no || ':' || n as event_id,
        event_type,
        occurred_at,
        channel,
        case when event_type = 'received' then legal_regime end as legal_regime,
        case when event_type in ('received', 'categorized') then source_category_code end as source_category_code,
        case when event_type in ('received', 'categorized') then source_category_name end as source_category_name,
        case when event_type in ('received', 'categorized') then totk_code end as totk_code,
        case when event_type in ('received', 'categorized') then theme end as theme,
        case
            when event_type in ('received', 'assigned') then agency_name
            when event_type = 'redirected' then coalesce(redirected_to, agency_name)
        end as agency_name,
        case when event_type = 'received' then municipality_oktmo end as municipality_oktmo,
        case when event_type in ('received', 'registered', 'deadline_extended') then due_at end as due_at,
        case when event_type = 'answered' then result end as result,
        case when event_type = 'rated' then rating end as rating,
        case when event_type = 'received' then author_key end as author_key,
        case when event_type = 'received' then address_key end as address_key,
        batch_id,
        loaded_at,
        exported_at,
        line_no
    from changes

)

select * from final
