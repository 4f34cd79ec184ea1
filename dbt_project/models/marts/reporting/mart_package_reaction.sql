-- The package's sheet «Реакция»: the reaction to social-network incidents by municipality and by body, as
-- ЦУРs are rated; slices without incidents are left out.
{%- set indicators = ['reaction_judged', 'reacted_within_8h', 'reaction_8h_share', 'reaction_median_minutes'] %}
with

kpis as (

    select * from {{ ref('mart_kpi_values') }}
    where slice_kind in ('municipality', 'agency')

),

pivoted as (

    select
        period_kind,
        period_start,
        slice_kind,
        slice_code,
        slice_name,
    {%- for code in indicators %}
        max(value) filter (where indicator = '{{ code }}') as {{ code }}{{ ',' if not loop.last }}
    {%- endfor %}
    from kpis
    group by 1, 2, 3, 4, 5

),

final as (

    select * from pivoted
    where reaction_judged > 0 or reaction_median_minutes is not null

)

select * from final
