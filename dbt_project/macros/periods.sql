{#- A period as people and the reports name it: 2025-10 (month), 2025-Q4 (quarter), 2025 (year). -#}
{% macro period_label(kind, start) -%}
    case {{ kind }}
        when 'month' then to_char({{ start }}, 'YYYY-MM')
        when 'quarter' then to_char({{ start }}, 'YYYY') || '-Q' || extract(quarter from {{ start }})
        else to_char({{ start }}, 'YYYY')
    end
{%- endmacro %}
