-- The indicators of ЦУР as BI tools list them, generated from the semantic layer (models/marts/semantic):
-- name, unit, direction and formula are the metric's own label, meta and description.
with

catalog (indicator, indicator_name, indicator_kind, unit, higher_is_better, is_headline, sort_order, formula) as (

    values
    {%- for spec in kpi_catalog() %}
        (
            {{ sql_text(spec.code) }}, {{ sql_text(spec.name) }},
            {{ sql_text(spec.kind) }}, {{ sql_text(spec.unit) }},
            {{ 'null' if spec.higher_is_better is none else spec.higher_is_better }}::boolean,
            {{ spec.headline }}, {{ spec.order }}, {{ sql_text(spec.formula | trim) }}
        )
        {{- ',' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        indicator::text as indicator,
        indicator_name::text as indicator_name,
        indicator_kind::text as indicator_kind,
        unit::text as unit,
        higher_is_better::boolean as higher_is_better,
        is_headline::boolean as is_headline,
        sort_order::integer as sort_order,
        formula::text as formula
    from catalog

)

select * from final
