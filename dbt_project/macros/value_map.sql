{#- A source's text in the warehouse vocabulary via the value_map seed; the channel's own row wins over *. -#}
{% macro mapped_value(domain, channel_expression, text_expression) -%}
    (select m.value from {{ ref('value_map') }} as m
     where m.domain = '{{ domain }}' and m.channel in ({{ channel_expression }}, '*')
       and {{ normalized_text('m.source_text') }} = {{ normalized_text(text_expression) }}
     order by m.channel = '*' limit 1)
{%- endmacro %}
