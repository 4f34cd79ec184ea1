-- Sector × month of receipt × channel: volume, answers, timeliness, satisfaction (figures as of the build).
with

appeals as (

    select * from {{ ref('fct_appeals') }}
    where not is_rejected

),

sectors as (

    select * from {{ ref('dim_sectors') }}

),

channels as (

    select * from {{ ref('dim_channels') }}

),

aggregated as (

    select
        received_month as month,
        sector_code,
        channel as channel_code,
        count(*) as incoming,
        count(*) filter (where first_answer_at is not null) as answered,
        count(*) filter (where is_answered_on_time) as answered_on_time,
        count(*) filter (where is_overdue) as overdue,
        percentile_cont(0.5) within group (order by answer_working_days)
            filter (where first_answer_at is not null) as median_answer_working_days,
        count(*) filter (where rating is not null) as rated,
        count(*) filter (where is_satisfied) as satisfied
    from appeals
    group by 1, 2, 3

),

final as (

    select
        a.month,
        a.sector_code,
        s.sector_name,
        a.channel_code,
        c.channel_name,
        a.incoming::integer as incoming,
        a.answered::integer as answered,
        a.answered_on_time::integer as answered_on_time,
        round(a.answered_on_time::numeric / nullif(a.answered, 0), 4) as on_time_share,
        a.overdue::integer as overdue,
        round(a.median_answer_working_days::numeric, 1) as median_answer_working_days,
        a.rated::integer as rated,
        a.satisfied::integer as satisfied,
        round(a.satisfied::numeric / nullif(a.rated, 0), 4) as satisfaction_share
    from aggregated as a
    inner join sectors as s using (sector_code)
    inner join channels as c on c.channel_code = a.channel_code

)

select * from final
