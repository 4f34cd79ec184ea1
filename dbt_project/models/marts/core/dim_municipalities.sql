-- Municipalities by ОКТМО; a district's population is the sum of its settlements.
with

municipalities as (

    select * from {{ ref('municipalities') }}

),

district_population as (

    select
        parent_oktmo as oktmo,
        sum(population)::integer as population
    from municipalities
    where parent_oktmo is not null
    group by parent_oktmo

),

final as (

    select
        m.oktmo as municipality_oktmo,
        m.municipality_name,
        m.parent_oktmo,
        m.municipality_kind,
        m.settlement_name,
        coalesce(m.population, d.population) as population
    from municipalities as m
    left join district_population as d using (oktmo)

)

select * from final
