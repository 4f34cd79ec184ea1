-- Residents of each municipality by month: population is a stock, not a flow, so the semantic layer takes
-- it at the period's last month (non-additive over time) and sums it across municipalities only.
with

municipalities as (

    select * from {{ ref('dim_municipalities') }}

),

months as (

    select distinct month_start from {{ ref('dim_dates') }}

),

final as (

    select
        m.month_start,
        mu.municipality_oktmo,
        mu.parent_oktmo,
        mu.population
    from months as m
    cross join municipalities as mu

)

select * from final
