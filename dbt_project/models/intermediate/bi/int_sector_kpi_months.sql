-- Every indicator but the per-resident rate by month of receipt × category × channel × municipality: what
-- mart_sector_kpi names. Kept per month: a build recomputes only the months whose appeals changed
-- (macros/incremental_kpis.sql), over all their appeals, so medians and percentiles stay exact.
{%- set stored = "select month, sum(incoming) from " ~ this ~ " group by month" %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=['{{ reset_if_clocks_move_back() }}',
              '{{ delete_kpi_months_to_refresh("select month, sum(incoming) from " ~ this ~ " group by month") }}'],
    post_hook='analyze {{ this }}',
    indexes=[{'columns': ['month']}, {'columns': ['_built_hwm']}],
) }}
with

appeals as (

    select * from {{ ref('fct_appeal_measures') }}
    {% if is_incremental() %}
        where received_month in ({{ kpi_months_to_refresh(stored) }})
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
