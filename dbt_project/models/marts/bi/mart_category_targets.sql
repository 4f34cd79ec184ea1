-- Target indicators per category of regional problems (п. 22 Положения) and the curator's additional ones
-- (п. 23): each target against the actual value of its period, met or not.
with

targets as (

    select * from {{ ref('kpi_targets') }}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

kpis as (

    select * from {{ ref('dim_kpis') }}

),

kpi_values as (

    select * from {{ ref('mart_kpi_values') }}

),

periods as (

    select distinct
        period_kind,
        period_start,
        period
    from kpi_values
    where slice_kind = 'region'

),

applicable as (

    -- A target for the category itself replaces the general one (*) with the same indicator and period.
    select distinct on (p.period_kind, p.period_start, c.category_code, t.indicator)
        p.period_kind,
        p.period_start,
        p.period,
        c.sector_code,
        c.sector_name,
        c.category_code,
        c.category_name,
        t.target_id,
        t.indicator,
        t.target,
        t.direction,
        t.set_by,
        t.basis
    from targets as t
    inner join categories as c on t.category_code in ('*', c.category_code)
    inner join periods as p
        on
            p.period_kind = t.period
            and p.period_start >= t.valid_from
            and (t.valid_to is null or p.period_start <= t.valid_to)
    order by p.period_kind, p.period_start, c.category_code, t.indicator, t.category_code = '*', t.target_id

),

final as (

    select
        a.period_kind,
        a.period_start,
        a.period,
        a.sector_code,
        a.sector_name,
        a.category_code,
        a.category_name,
        a.target_id,
        a.indicator,
        k.indicator_name,
        a.set_by,
        case a.set_by when 'federal' then 'обязательный' else 'дополнительный (куратор)' end as set_by_name,
        a.direction,
        case a.direction when 'at_least' then 'не менее' else 'не более' end as direction_name,
        a.target,
        v.value as actual,
        v.value - a.target as gap,
        case
            when v.value is null then null
            when a.direction = 'at_least' then v.value >= a.target
            else v.value <= a.target
        end as is_met,
        case
            when v.value is null then 'нет данных'
            when (a.direction = 'at_least' and v.value >= a.target) or (a.direction = 'at_most' and v.value <= a.target)
                then 'выполнен'
            else 'не выполнен'
        end as status_name,
        a.basis
    from applicable as a
    inner join kpis as k using (indicator)
    left join kpi_values as v
        on
            v.period_kind = a.period_kind
            and v.period_start = a.period_start
            and v.slice_kind = 'category'
            and v.slice_code = a.category_code
            and v.indicator = a.indicator

)

select * from final
