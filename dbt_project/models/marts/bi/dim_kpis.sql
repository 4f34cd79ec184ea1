-- The indicators of ЦУР as BI tools list them: code, name, kind; generated from the catalogue (macros/kpis.sql).
with

catalog (indicator, indicator_name, indicator_kind, is_headline, sort_order) as (

    values
    {%- for spec in kpi_catalog() %}
        ('{{ spec.code }}', '{{ spec.name }}', '{{ spec.kind }}', {{ spec.headline }}, {{ loop.index }}){{ ',' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        indicator::text as indicator,
        indicator_name::text as indicator_name,
        indicator_kind::text as indicator_kind,
        case indicator_kind
            when 'count' then 'обращений'
            when 'share' then 'доля (0–1)'
            when 'quantile' then case
                when indicator like '%minutes' then 'минут'
                when indicator like '%hours' then 'рабочих часов'
                else 'рабочих дней'
            end
            when 'rate' then 'на 1 000 жителей'
        end as unit,
        -- Which way is better, for targets and charts; empty for plain volumes.
        case
            when indicator in ('on_time_share', 'interim_share', 'satisfaction_share', 'rating_coverage',
                'completeness', 'substantive_share', 'reaction_8h_share') then true
            when indicator in ('overdue_open', 'return_share', 'repeat_share', 'redirect_share',
                'first_reaction_median_hours', 'first_reaction_p90_hours', 'resolution_median_days',
                'resolution_p90_days', 'reaction_median_minutes') then false
        end as higher_is_better,
        is_headline::boolean as is_headline,
        sort_order::integer as sort_order
    from catalog

)

select * from final
