-- Rating of bodies and organisations by month and quarter (п. 7.2, 15.4 Положения): volume, speed, timeliness,
-- quality, completeness and a weighted score; bodies below the minimum volume get no score.
with

indicators as (

    -- The catalogue's indicators of each body, computed per period in int_kpi_periods (kept incrementally).
    select * from {{ ref('int_kpi_periods') }}
    where slice_kind = 'agency' and agency_code is not null and period_kind in ('month', 'quarter')

),

agencies as (

    select * from {{ ref('dim_agencies') }}

),

sectors as (

    select * from {{ ref('dim_sectors') }}

),

weights as (

    select * from {{ ref('rating_weights') }}

),

params as (

    select * from {{ ref('rating_params') }}

),

aggregated as (

    select
        period_kind,
        period_start,
        agency_code,
        case period_kind when 'month' then 1 else 3 end as months,
        incoming,
        answered,
        rated,
        resolution_median_days,
        on_time_share,
        satisfaction_share,
        return_share,
        completeness,
        substantive_share
    from indicators

),

with_components as (

    select
        a.*,
        (p.min_monthly_volume * a.months)::integer as min_volume,
        round(greatest(0, 1 - a.resolution_median_days / p.speed_reference_working_days), 4) as speed_score
    from aggregated as a
    cross join params as p

),

scored as (

    -- A component without data (no ratings, nothing resolved) drops out and the others are reweighted.
    select
        c.period_kind,
        c.period_start,
        c.agency_code,
        round(100 * sum(w.weight * v.value) / nullif(sum(w.weight) filter (where v.value is not null), 0), 1)
            as score
    from with_components as c
    cross join
        lateral (
            values
            ('timeliness', c.on_time_share),
            ('speed', c.speed_score),
            ('satisfaction', c.satisfaction_share),
            ('no_returns', 1 - c.return_share),
            ('completeness', c.completeness),
            ('substantive', c.substantive_share)
        ) as v (component, value)
    inner join weights as w using (component)
    where c.incoming >= c.min_volume
    group by 1, 2, 3

),

ranked as (

    select
        *,
        rank() over (partition by period_kind, period_start order by score desc) as score_rank,
        count(*) over (partition by period_kind, period_start) as bodies_rated
    from scored
    where score is not null

),

final as (

    select
        c.period_kind,
        c.period_start,
        {{ period_label('c.period_kind', 'c.period_start') }} as period,
        c.agency_code,
        ag.agency_name,
        ag.agency_short_name,
        ag.agency_kind,
        ag.sector_code as agency_sector_code,
        s.sector_name as agency_sector_name,
        c.incoming,
        c.answered,
        c.rated,
        c.resolution_median_days,
        c.speed_score,
        c.on_time_share,
        c.satisfaction_share,
        c.return_share,
        c.completeness,
        c.substantive_share,
        c.min_volume,
        r.score,
        r.score_rank::integer as score_rank,
        r.bodies_rated::integer as bodies_rated,
        case when r.score is not null then 'rated' else 'insufficient_data' end as rating_status,
        case when r.score is not null then 'оценен' else 'недостаточно данных' end as rating_status_name
    from with_components as c
    left join ranked as r using (period_kind, period_start, agency_code)
    left join agencies as ag using (agency_code)
    left join sectors as s on s.sector_code = ag.sector_code

)

select * from final
