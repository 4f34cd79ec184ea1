{#- Custom schemas are used as named (staging, intermediate, marts, reference). A build for a past
    moment (var schema_suffix, e.g. asof_2025_10) goes to its own schemas, so the current marts that BI
    tools read are never replaced by a past picture. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set base = custom_schema_name if custom_schema_name else target.schema -%}
    {%- set suffix = var('schema_suffix', '') -%}
    {{ base ~ ('__' ~ suffix if suffix else '') }}
{%- endmacro %}
