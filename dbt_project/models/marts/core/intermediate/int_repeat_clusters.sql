-- Repeat appeals (п. 15.6): the same author or the same address with the same category, each appeal within
-- the window of the one before it; one row per appeal in a chain of two or more.
-- Kept per subject: a build recomputes every chain of the authors and addresses of the appeals fct_appeals
-- rewrote since its last build (macros/incremental_repeats.sql). Analyzed after the build: the incremental
-- models after it look appeals up in it.
{{ config(**group_incremental_config('{{ delete_repeat_subjects_to_refresh() }}',
                                     indexes=[['appeal_key'], ['subject_key']])) }}
with

appeals as (

    select
        appeal_key,
        author_key,
        address_key,
        category_code,
        received_at
    from {{ ref('fct_appeals') }}
    where not is_rejected

),

repeat_window as (

    select window_days from {{ ref('repeat_window') }}

),

keyed as (

    select
        appeal_key,
        'author' as cluster_kind,
        author_key as subject_key,
        category_code,
        received_at
    from appeals
    where
        author_key is not null
        {%- if is_incremental() %}
            and author_key in (
                select subject_key from repeat_subjects_to_refresh
                where cluster_kind = 'author'
            )
        {%- endif %}
    union all
    select
        appeal_key,
        'address',
        address_key,
        category_code,
        received_at
    from appeals
    where
        address_key is not null
        {%- if is_incremental() %}
            and address_key in (
                select subject_key from repeat_subjects_to_refresh
                where cluster_kind = 'address'
            )
        {%- endif %}

),

chained as (

    select
        keyed.*,
        -- A chain breaks where the gap to the previous appeal exceeds the window.
        case
            when
                lag(received_at) over chain is null
                or received_at - lag(received_at) over chain > make_interval(days => w.window_days)
                then 1
            else 0
        end as starts_chain
    from keyed
    cross join repeat_window as w
    window chain as (partition by cluster_kind, subject_key, category_code order by received_at, appeal_key)

),

numbered as (

    select
        *,
        sum(starts_chain) over (
            partition by cluster_kind, subject_key, category_code order by received_at, appeal_key
        ) as chain_no
    from chained

),

sized as (

    select
        *,
        count(*) over chain as cluster_size,
        row_number() over (chain order by received_at, appeal_key) as position,
        -- Named by its first appeal, so later appeals never rename an existing cluster.
        first_value(appeal_key) over (chain order by received_at, appeal_key) as first_appeal_key
    from numbered
    window chain as (partition by cluster_kind, subject_key, category_code, chain_no)

),

final as (

    select
        md5(cluster_kind || '|' || first_appeal_key) as cluster_id,
        appeal_key,
        cluster_kind,
        subject_key,
        category_code,
        received_at,
        position::integer as position,
        cluster_size::integer as cluster_size,
        first_appeal_key,
        {{ build_clocks() }}
    from sized
    where cluster_size >= 2

)

select * from final
