-- Appeals by municipality × problem category per month: the finest territorial grain the federal package
-- publishes. Exact counts for ЦУР staff; the package suppresses small cells (exports/package/suppress.py).
with

appeals as (

    select * from {{ ref('fct_appeal_measures') }}

),

municipalities as (

    select * from {{ ref('dim_municipalities') }}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

counts as (

    select
        received_month as period_start,
        coalesce(municipality_oktmo, '') as municipality_oktmo,
        category_code,
        count(*)::integer as incoming
    from appeals
    group by 1, 2, 3

),

final as (

    select
        c.period_start,
        to_char(c.period_start, 'YYYY-MM') as period,
        c.municipality_oktmo,
        coalesce(m.municipality_name, 'не указано') as municipality_name,
        k.sector_code,
        c.category_code,
        k.category_name,
        c.incoming
    from counts as c
    left join municipalities as m on m.municipality_oktmo = c.municipality_oktmo
    left join categories as k using (category_code)

)

select * from final
