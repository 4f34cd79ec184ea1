-- Every indicator by period (month, quarter, year of receipt) for the region, each sector, each category, each
-- municipality and each body, one row per value: what targets are checked against, what monthly reports record
-- (reports.kpi_snapshots: region and sectors) and what ЦУРs are rated on by territory and body.
with

appeals as (

    select * from {{ ref('fct_appeal_measures') }}

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

municipalities as (

    select * from {{ ref('dim_municipalities') }}

),

agencies as (

    select * from {{ ref('dim_agencies') }}

),

by_period as (

    select a.*, m.population as municipality_population, p.period_kind, p.period_start
    from appeals as a
    left join municipalities as m on m.municipality_oktmo = a.municipality_oktmo
    cross join lateral (
        values ('month', a.received_month), ('quarter', a.received_quarter), ('year', a.received_year)
    ) as p (period_kind, period_start)

),

aggregated as (

    select
        period_kind,
        period_start,
        -- A municipality or body set leaves sector_code out too: it is tested first.
        case
            when grouping(municipality_oktmo) = 0 then 'municipality'
            when grouping(agency_code) = 0 then 'agency'
            when grouping(sector_code) = 1 then 'region'
            when grouping(category_code) = 1 then 'sector'
            else 'category'
        end as slice_kind,
        sector_code,
        category_code,
        municipality_oktmo,
        agency_code,
        -- Residents of the municipality itself (a district: the sum of its settlements); none for a body.
        {{ kpi_columns(population='case when grouping(municipality_oktmo) = 0 then max(municipality_population)'
            ~ ' when grouping(agency_code) = 0 then null else max(r.population) end') }}
    from by_period
    cross join residents as r
    -- Appeals without a municipality or a body form a slice of their own, so each kind adds up to the okrug.
    group by grouping sets (
        (period_kind, period_start),
        (period_kind, period_start, sector_code),
        (period_kind, period_start, sector_code, category_code),
        (period_kind, period_start, municipality_oktmo),
        (period_kind, period_start, agency_code)
    )

),

unpivoted as (

    select
        a.period_kind, a.period_start, a.slice_kind, a.sector_code, a.category_code, a.municipality_oktmo,
        a.agency_code, v.indicator, v.value
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
        case u.slice_kind
            when 'region' then 'nao'
            when 'sector' then u.sector_code
            when 'category' then u.category_code
            when 'municipality' then coalesce(u.municipality_oktmo, 'none')
            else coalesce(u.agency_code, 'none')
        end as slice_code,
        case u.slice_kind
            when 'region' then 'Ненецкий автономный округ'
            when 'sector' then s.sector_name
            when 'category' then c.category_name
            when 'municipality' then coalesce(m.municipality_name,
                case when u.municipality_oktmo is null then 'не указано' else 'ОКТМО ' || u.municipality_oktmo end)
            else coalesce(ag.agency_name, u.agency_code, 'не назначен')
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
    left join municipalities as m on m.municipality_oktmo = u.municipality_oktmo
    left join agencies as ag on ag.agency_code = u.agency_code

)

select * from final
