{#- Custom schemas are used as named (staging, intermediate, reference), except the marts: the current build
    writes them to the private schema marts_build, and `tsur` publishes them as `marts` (one schema swap)
    only after the blocking checks passed there (orchestration/publish.py), so BI tools never read a
    build that failed. A build for a past moment (var schema_suffix, e.g. asof_2025_10) goes to its own
    schemas (marts__asof_2025_10), so the current marts are never replaced by a past picture. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set base = custom_schema_name if custom_schema_name else target.schema -%}
    {%- set suffix = var('schema_suffix', '') -%}
    {%- if suffix -%}
        {{ base ~ '__' ~ suffix }}
    {%- elif base == 'marts' -%}
        {{ 'marts_build' }}
    {%- else -%}
        {{ base }}
    {%- endif -%}
{%- endmacro %}
