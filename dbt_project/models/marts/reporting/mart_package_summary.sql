-- The package's sheet «Сводка»: every indicator of the okrug by period, named and ordered by the catalogue.
with

kpis as (

    select * from {{ ref('mart_kpi_values') }}
    where slice_kind = 'region'

),

catalog as (

    select * from {{ ref('dim_kpis') }}

),

final as (

    select
        k.period_kind,
        k.period_start,
        k.indicator,
        c.indicator_name,
        c.unit,
        c.sort_order,
        k.value
    from kpis as k
    inner join catalog as c using (indicator)

)

select * from final
