-- Every indicator by period (month, quarter, year of receipt) for the region, each sector, each category, each
-- municipality and each body, one row per value: what targets are checked against, what monthly reports record
-- (reports.kpi_snapshots: region and sectors) and what ЦУРs are rated on by territory and body.
-- Computed per period in int_kpi_periods (kept incrementally); here unpivoted, named and given the rate.
with

aggregated as (

    select * from {{ ref('int_kpi_periods') }}

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

unpivoted as (

    select
        a.period_kind,
        a.period_start,
        a.slice_kind,
        a.sector_code,
        a.category_code,
        a.municipality_oktmo,
        a.agency_code,
        v.indicator,
        v.value
    from aggregated as a
    cross join residents as r
    -- Residents of the municipality itself (a district: the sum of its settlements); none for a body.
    left join municipalities as m on a.slice_kind = 'municipality' and m.municipality_oktmo = a.municipality_oktmo
    cross join lateral (
        values
        {%- for spec in kpi_catalog() %}
            {%- if spec.kind == 'rate' %}
                ('{{ spec.code }}', {{ kpi(spec.code, incoming='a.incoming', population="case a.slice_kind"
                ~ " when 'municipality' then m.population when 'agency' then null else r.population end") }}
                ){{ ',' if not loop.last }}
            {%- else %}
                ('{{ spec.code }}', a.{{ spec.code }}::numeric){{ ',' if not loop.last }}
            {%- endif %}
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
            when 'municipality'
                then
                    coalesce(
                        m.municipality_name,
                        case
                            when u.municipality_oktmo is null then 'не указано' else 'ОКТМО ' || u.municipality_oktmo
                        end
                    )
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
