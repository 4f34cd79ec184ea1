-- Restatements: each reported headline figure as first reported, as last reported and as the warehouse
-- knows it now, so that late events (answers, ratings, redirects loaded after a report) are visible.
with

snapshots as (

    select * from {{ source('reports', 'kpi_snapshots') }}

),

revisions as (

    select
        period,
        max(revision) as last_revision,
        count(distinct revision) as revision_count
    from snapshots
    group by period

),

first_report as (

    select * from snapshots
    where revision = 1

),

last_report as (

    select s.*
    from snapshots as s
    inner join revisions as r on r.period = s.period and r.last_revision = s.revision

),

now_values as (

    select
        period,
        slice_kind,
        slice_code,
        indicator,
        value
    from {{ ref('mart_kpi_values') }}
    where is_headline and slice_kind in ('region', 'sector') and period in (select period from revisions)

),

kpis as (

    select * from {{ ref('dim_kpis') }}

),

sectors as (

    select * from {{ ref('dim_sectors') }}

),

keys as (

    -- A slice may appear only now (its first appeal was loaded late) or only then.
    select
        period,
        slice_kind,
        slice_code,
        indicator
    from first_report
    union
    select
        period,
        slice_kind,
        slice_code,
        indicator
    from last_report
    union
    select
        period,
        slice_kind,
        slice_code,
        indicator
    from now_values

),

final as (

    select
        k.period,
        case
            when k.period ~ '^\d{4}-\d{2}$' then 'month'
            when k.period ~ '^\d{4}-Q\d$' then 'quarter'
            else 'year'
        end as period_kind,
        case
            when k.period ~ '^\d{4}-\d{2}$' then to_date(k.period || '-01', 'YYYY-MM-DD')
            when k.period ~ '^\d{4}-Q\d$'
                then make_date(left(k.period, 4)::integer, 3 * right(k.period, 1)::integer - 2, 1)
            else make_date(left(k.period, 4)::integer, 1, 1)
        end as period_start,
        k.slice_kind,
        k.slice_code,
        case when k.slice_kind = 'region' then 'Ненецкий автономный округ' else s.sector_name end as slice_name,
        k.indicator,
        kp.indicator_name,
        f.value as first_value,
        f.as_of as first_as_of,
        f.batch_hwm as first_batch_hwm,
        f.recorded_at as first_recorded_at,
        r.last_revision::integer as last_revision,
        l.value as last_value,
        l.as_of as last_as_of,
        l.batch_hwm as last_batch_hwm,
        n.value as now_value,
        n.value - f.value as difference,
        (f.value is distinct from n.value) as is_restated,
        (f.value is distinct from l.value) as is_revised_in_reports
    from keys as k
    inner join revisions as r using (period)
    left join first_report as f using (period, slice_kind, slice_code, indicator)
    left join last_report as l using (period, slice_kind, slice_code, indicator)
    left join now_values as n using (period, slice_kind, slice_code, indicator)
    left join kpis as kp using (indicator)
    left join sectors as s on k.slice_kind = 'sector' and s.sector_code = k.slice_code

)

select * from final
