{#- The moment the build looks from: var as_of, else the start of this dbt invocation. -#}
{% macro as_of() -%}
    {%- if var('as_of') -%} '{{ var("as_of") }}'::timestamptz
    {%- else -%} '{{ run_started_at.isoformat() }}'::timestamptz
    {%- endif -%}
{%- endmacro %}

{#- The last load batch visible to this build. Loads are serialised, so batch ids follow commit
    order: filtering on one number gives every model the same, whole batches. -#}
{% macro batch_hwm() -%}
    {%- if var('batch_hwm') is not none -%} {{ var('batch_hwm') | int }}
    {%- else -%} (select coalesce(max(batch_id), 0) from {{ source('raw', 'load_batches') }}
        where finished_at <= {{ as_of() }})
    {%- endif -%}
{%- endmacro %}

{% macro local_ts(column) -%}
    ({{ column }} at time zone '{{ var("local_timezone") }}')
{%- endmacro %}

{% macro local_date(column) -%}
    ({{ column }} at time zone '{{ var("local_timezone") }}')::date
{%- endmacro %}
