-- Events of snapshot systems, derived by comparing each snapshot of an appeal with the one before it.
-- A change is dated by the row's own date column where there is one, otherwise by the snapshot moment.
-- Snapshots are ordered by their moment, not by load order, so an older export loaded late changes nothing.
with

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
    from {{ ref('int_snapshots__unioned') }}
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
