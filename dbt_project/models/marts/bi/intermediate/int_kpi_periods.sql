-- Every indicator but the per-resident rate, by period of receipt (month, quarter, year) and slice (region,
-- sector, category, municipality, body), one row per period and slice: what mart_kpi_values unpivots.
-- Kept per period: a build recomputes only the months whose appeals changed, and their quarters and years,
-- over all the appeals of those periods, so medians and percentiles stay exact (macros/incremental_kpis.sql).
{{ config(**group_incremental_config('{{ delete_kpi_periods_to_refresh() }}',
                                     indexes=[['period_kind', 'period_start']])) }}
with

{% if is_incremental() %}
    periods_to_refresh as (

        {{ kpi_periods_to_refresh() }}

    ),
{% endif %}

appeals as (

    select * from {{ ref('fct_appeal_measures') }}
    {% if is_incremental() %}
        -- A touched month touches its year: every appeal of those years is read, only their periods kept.
        where received_year in (
            select period_start from periods_to_refresh
            where period_kind = 'year'
        )
    {% endif %}

),

by_period as (

    select
        a.*,
        p.period_kind,
        p.period_start
    from appeals as a
    cross join
        lateral (
            values ('month', a.received_month), ('quarter', a.received_quarter), ('year', a.received_year)
        ) as p (period_kind, period_start)
    {% if is_incremental() %}
        where (p.period_kind, p.period_start) in (
            select
                period_kind,
                period_start
            from periods_to_refresh
        )
    {% endif %}

),

final as (

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
        {{ kpi_columns() }},
        {{ build_clocks() }}
    from by_period
    -- Appeals without a municipality or a body form a slice of their own, so each kind adds up to the okrug.
    group by grouping sets (
        (period_kind, period_start),
        (period_kind, period_start, sector_code),
        (period_kind, period_start, sector_code, category_code),
        (period_kind, period_start, municipality_oktmo),
        (period_kind, period_start, agency_code)
    )

)

select * from final
