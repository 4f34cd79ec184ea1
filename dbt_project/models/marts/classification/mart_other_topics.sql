-- «Прочие по направлению» decomposed (п. 21 Положения): the topics the latest run found in each sector's
-- bucket, month by month, with growth against the month before. A topic that keeps growing is a candidate
-- category (README: how to promote one).
with

runs as (

    select * from {{ source('classifier', 'other_topic_runs') }}
    where run_id = (select max(run_id) from {{ source('classifier', 'other_topic_runs') }})

),

topics as (

    select t.* from {{ source('classifier', 'other_topics') }} as t
    inner join runs using (run_id)

),

members as (

    select m.* from {{ source('classifier', 'other_topic_members') }} as m
    inner join runs using (run_id)

),

appeals as (

    select
        source,
        appeal_id,
        received_month
    from {{ ref('fct_appeals') }}

),

sectors as (

    select * from {{ ref('dim_sectors') }}

),

monthly as (

    select
        m.sector_code,
        m.topic_no,
        a.received_month as month,
        count(*) as appeals
    from members as m
    inner join appeals as a using (source, appeal_id)
    group by 1, 2, 3

),

months as (

    select generate_series(min(month), max(month), interval '1 month')::date as month from monthly

),

grid as (

    select
        t.sector_code,
        t.topic_no,
        m.month,
        coalesce(mo.appeals, 0) as appeals
    from topics as t
    cross join months as m
    left join monthly as mo
        on mo.sector_code = t.sector_code and mo.topic_no = t.topic_no and mo.month = m.month

),

final as (

    select
        g.sector_code,
        s.sector_name,
        g.topic_no,
        t.label as topic_label,
        array_to_string(t.top_lemmas, ', ') as top_lemmas,
        t.appeals as topic_appeals,
        g.month,
        g.appeals::integer as appeals,
        coalesce(lag(g.appeals) over w, 0)::integer as previous_month_appeals,
        (g.appeals - coalesce(lag(g.appeals) over w, 0))::integer as growth,
        round(g.appeals::numeric / nullif(sum(g.appeals) over (partition by g.sector_code, g.month), 0), 4)
            as share_of_bucket,
        r.run_id,
        r.computed_at
    from grid as g
    inner join topics as t using (sector_code, topic_no)
    inner join sectors as s using (sector_code)
    cross join runs as r
    window w as (partition by g.sector_code, g.topic_no order by g.month)

)

select * from final
