-- Every indicator but the per-resident rate by month of receipt × category × channel × municipality: what
-- mart_sector_kpi names. Kept per month: a build recomputes only the months whose appeals changed
-- (macros/incremental_kpis.sql), over all their appeals, so medians and percentiles stay exact.
{{ config(**group_incremental_config('{{ delete_kpi_months_to_refresh() }}', indexes=[['month']])) }}
with

appeals as (

    select * from {{ ref('fct_appeal_measures') }}
    {% if is_incremental() %}
        where received_month in ({{ kpi_months_to_refresh() }})
    {% endif %}

),

final as (

    select
        received_month as month,
        category_code,
        channel as channel_code,
        municipality_oktmo,
        {{ kpi_columns() }},
        {{ build_clocks() }}
    from appeals
    group by 1, 2, 3, 4

)

select * from final
