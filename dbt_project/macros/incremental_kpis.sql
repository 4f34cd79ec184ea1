{#- Indicators kept per period of receipt (int_kpi_periods, int_sector_kpi_months). A month is recomputed when
    fct_appeal_measures wrote a row of it since the model's last build (a new or changed appeal, a clock that moved),
    or when its number of appeals differs from the one stored (an appeal left it: rejected, or its receipt date
    moved).
    Those months' quarters and years are recomputed with them. The stored count is the `incoming` of the
    month (the region's row, or the sum of the month's rows), the row count of fct_appeal_measures by
    definition (kpi incoming = sum of 1).
    The same set comes out before and after the pre-hook deleted it: a deleted month has no stored count, so
    it still differs. -#}
{% macro kpi_periods_to_refresh() -%}
    with months as (
        {{ kpi_months_to_refresh("select period_start, incoming from " ~ this
                                 ~ " where period_kind = 'month' and slice_kind = 'region'") }}
    )
    select 'month' as period_kind, received_month as period_start from months
    union
    select 'quarter', date_trunc('quarter', received_month)::date from months
    union
    select 'year', date_trunc('year', received_month)::date from months
{%- endmacro %}

{#- The months of receipt to recompute in a model kept per month; `stored` selects (month, appeals) of the
    model's own rows (by default: the sum of `incoming` per `month`). -#}
{% macro kpi_months_to_refresh(stored=none) -%}
    {%- set measures = ref('fct_appeal_measures') -%}
    {%- set stored = stored or "select month, sum(incoming) from " ~ this ~ " group by month" -%}
    with fresh as (
        select distinct received_month
        from {{ measures }} as m
        where {{ unseen_by_last_build('m._built_hwm', 'm._built_as_of') }}
    ),
    counted as (
        select received_month, count(*) as appeals
        from {{ measures }}
        group by received_month
    ),
    stored (received_month, appeals) as (
        {{ stored }}
    )
    select received_month from fresh
    union
    select coalesce(c.received_month, s.received_month)
    from counted as c
    full join stored as s on s.received_month = c.received_month
    where c.appeals is distinct from s.appeals
{%- endmacro %}

{#- Pre-hook: the periods to recompute go first (a slice may have no appeals left in them). -#}
{% macro delete_kpi_periods_to_refresh() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as t
        using ({{ kpi_periods_to_refresh() }}) as p
        where t.period_kind = p.period_kind and t.period_start = p.period_start
    {%- endif -%}
{%- endmacro %}

{% macro delete_kpi_months_to_refresh() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where month in ({{ kpi_months_to_refresh() }})
    {%- endif -%}
{%- endmacro %}
