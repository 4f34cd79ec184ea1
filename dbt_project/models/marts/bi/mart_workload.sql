-- Workload of each sector block by working day, week and month (п. 12.3, 15.8 Положения): appeals coming in,
-- appeals in work, and the seconded staff the volume needs (parameters in seeds workload_params, _capacity).
with

appeals as (

    select
        appeal_key,
        sector_code,
        channel,
        received_at
    from {{ ref('fct_appeal_measures') }}

),

spells as (

    select
        s.*,
        a.sector_code
    from {{ ref('int_appeal_work_spells') }} as s
    inner join appeals as a using (appeal_key)

),

-- Not materialized: joined several times, and a materialized copy of three centuries of days has neither
-- index nor statistics (a lookup of one day became a scan per appeal).
calendar as not materialized (

    select * from {{ ref('int_working_calendar') }}

),

sectors as (

    select * from {{ ref('dim_sectors') }}

),

norms as (

    select * from {{ ref('workload_params') }}

),

capacity as (

    select fte_minutes_per_day from {{ ref('workload_capacity') }}

),

received_days as (

    -- Appeals counted per sector, channel and local day first: the norm and the working day are then looked
    -- up once per group, not once per appeal.
    select
        sector_code,
        channel,
        {{ local_date('received_at') }} as received_date,
        count(*) as appeals
    from appeals
    group by 1, 2, 3

),

work_items as (

    -- An appeal that arrives on a day off is worked on the next working day.
    select
        r.sector_code,
        work_day.calendar_date as work_date,
        r.appeals,
        r.appeals * (
            select n.minutes_per_appeal from norms as n
            where n.sector_code in ('*', r.sector_code) and n.channel_code in ('*', r.channel)
            order by (n.sector_code <> '*') desc, (n.channel_code <> '*') desc
            limit 1
        ) as workload_minutes
    from received_days as r
    inner join calendar as received on received.calendar_date = r.received_date
    inner join calendar as work_day on work_day.working_day_index = received.working_days_before + 1

),

daily as (

    select
        work_date,
        sector_code,
        sum(appeals) as appeals,
        sum(workload_minutes) as workload_minutes
    from work_items
    group by 1, 2

),

days as (

    select
        c.calendar_date,
        c.is_working_day
    from calendar as c
    where
        c.calendar_date between (select min({{ local_date('received_at') }}) from appeals)
        and {{ local_date(as_of()) }}

),

changes as (

    select
        sector_code,
        {{ local_date('started_at') }} as change_date,
        1 as delta
    from spells
    union all
    select
        sector_code,
        {{ local_date('ended_at') }},
        -1
    from spells
    where ended_at is not null

),

daily_changes as (

    select
        sector_code,
        change_date,
        sum(delta) as delta
    from changes
    group by 1, 2

),

in_work as (

    -- In work at the end of each day: spells started minus spells ended by then.
    select
        d.calendar_date,
        s.sector_code,
        sum(coalesce(ch.delta, 0)) over (partition by s.sector_code order by d.calendar_date) as in_work
    from days as d
    cross join sectors as s
    left join daily_changes as ch on ch.sector_code = s.sector_code and ch.change_date = d.calendar_date

),

periods as (

    select
        'day' as period_kind,
        calendar_date as period_start,
        calendar_date as period_end,
        1 as working_days
    from days
    where is_working_day
    union all
    select
        'week',
        date_trunc('week', calendar_date)::date,
        max(calendar_date),
        count(*) filter (where is_working_day)
    from days
    group by 2
    union all
    select
        'month',
        date_trunc('month', calendar_date)::date,
        max(calendar_date),
        count(*) filter (where is_working_day)
    from days
    group by 2

),

incoming as (

    select
        p.period_kind,
        p.period_start,
        d.sector_code,
        sum(d.appeals) as incoming,
        sum(d.workload_minutes) as workload_minutes
    from periods as p
    inner join daily as d on d.work_date between p.period_start and p.period_end
    group by 1, 2, 3

),

final as (

    select
        p.period_kind,
        p.period_start,
        p.period_end,
        s.sector_code,
        s.sector_name,
        p.working_days::integer as working_days,
        coalesce(i.incoming, 0)::integer as incoming,
        coalesce(iw.in_work, 0)::integer as in_work_at_end,
        coalesce(i.workload_minutes, 0)::numeric as workload_minutes,
        cap.fte_minutes_per_day,
        round(coalesce(i.workload_minutes, 0) / nullif(p.working_days * cap.fte_minutes_per_day, 0), 2)
            as staff_needed,
        ceil(coalesce(i.workload_minutes, 0) / nullif(p.working_days * cap.fte_minutes_per_day, 0))::integer
            as staff_proposed
    from periods as p
    cross join sectors as s
    cross join capacity as cap
    left join incoming as i
        on i.period_kind = p.period_kind and i.period_start = p.period_start and i.sector_code = s.sector_code
    left join in_work as iw on iw.calendar_date = p.period_end and iw.sector_code = s.sector_code

)

select * from final
