-- The package's sheet «Отрасли»: the sector indicators by period, one column per indicator of mart_kpi_values.
{%- set indicators = ['incoming', 'answered', 'answered_on_time', 'on_time_share', 'overdue_open', 'returned',
                      'rated', 'satisfied', 'satisfaction_share', 'resolution_median_days', 'appeals_per_1000'] %}
with

kpis as (

    select * from {{ ref('mart_kpi_values') }}
    where slice_kind = 'sector'

),

final as (

    select
        period_kind,
        period_start,
        slice_code as sector_code,
        slice_name as sector_name,
    {%- for code in indicators %}
        max(value) filter (where indicator = '{{ code }}') as {{ code }}{{ ',' if not loop.last }}
    {%- endfor %}
    from kpis
    group by 1, 2, 3, 4

)

select * from final
