-- Every indicator by period (month, quarter, year of receipt) for the region, each sector and each category,
-- one row per value: what targets are checked against and what monthly reports record (reports.kpi_snapshots).
with

appeals as (

    select * from {{ ref('int_appeal_measures') }}

),

residents as (

    -- The okrug: the city district and the municipal district (itself the sum of its settlements).
    select sum(population) as population
    from {{ ref('dim_municipalities') }}
    where parent_oktmo is null

),

kpis as (

    select * from {{ ref('dim_kpis') }}

),

sectors as (

    select * from {{ ref('dim_sectors') }}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

by_period as (

    select a.*, p.period_kind, p.period_start
    from appeals as a
    cross join lateral (
        values ('month', a.received_month), ('quarter', a.received_quarter), ('year', a.received_year)
    ) as p (period_kind, period_start)

),

aggregated as (

    select
        period_kind,
        period_start,
        case
            when grouping(sector_code) = 1 then 'region'
            when grouping(category_code) = 1 then 'sector'
            else 'category'
        end as slice_kind,
        sector_code,
        category_code,
        {{ kpi_columns(population='max(r.population)') }}
    from by_period
    cross join residents as r
    group by grouping sets (
        (period_kind, period_start),
        (period_kind, period_start, sector_code),
        (period_kind, period_start, sector_code, category_code)
    )

),

unpivoted as (

    select a.period_kind, a.period_start, a.slice_kind, a.sector_code, a.category_code, v.indicator, v.value
    from aggregated as a
    cross join lateral (
        values
        {%- for spec in kpi_catalog() %}
            ('{{ spec.code }}', a.{{ spec.code }}::numeric){{ ',' if not loop.last }}
        {%- endfor %}
    ) as v (indicator, value)

),

final as (

    select
        u.period_kind,
        u.period_start,
        {{ period_label('u.period_kind', 'u.period_start') }} as period,
        u.slice_kind,
        case u.slice_kind when 'region' then 'nao' when 'sector' then u.sector_code else u.category_code end
            as slice_code,
        case u.slice_kind
            when 'region' then 'Ненецкий автономный округ'
            when 'sector' then s.sector_name
            else c.category_name
        end as slice_name,
        u.sector_code,
        u.indicator,
        k.indicator_name,
        k.is_headline,
        u.value
    from unpivoted as u
    inner join kpis as k using (indicator)
    left join sectors as s on s.sector_code = u.sector_code
    left join categories as c on c.category_code = u.category_code

)

select * from final
