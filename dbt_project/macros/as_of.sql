{#- Two clocks (bitemporal):
    as_of     — world time: only events that occurred by then count; "overdue" is judged at that moment.
                Default: the start of this dbt invocation.
    batch_hwm — knowledge time: the last load batch the build may read. Default: the last batch committed
                when the model runs; the orchestrator fixes it once per build. Loads are serialised, so batch
                ids follow commit order and one number gives every model the same, whole batches.
    Building with the as_of and batch_hwm of a past report reproduces it exactly. -#}
{% macro as_of() -%}
    {%- if var('as_of') -%} '{{ var("as_of") }}'::timestamptz
    {%- else -%} '{{ run_started_at.isoformat() }}'::timestamptz
    {%- endif -%}
{%- endmacro %}

{% macro batch_hwm() -%}
    {%- if var('batch_hwm') is not none -%} {{ var('batch_hwm') | int }}
    {%- else -%} (select coalesce(max(batch_id), 0) from {{ source('raw', 'load_batches') }})
    {%- endif -%}
{%- endmacro %}

{#- The filter every staging model applies to its raw rows. -#}
{% macro visible(batch_column='batch_id', time_column='occurred_at') -%}
    {{ batch_column }} <= {{ batch_hwm() }} and {{ time_column }} <= {{ as_of() }}
{%- endmacro %}

{% macro local_ts(column) -%}
    ({{ column }} at time zone '{{ var("local_timezone") }}')
{%- endmacro %}

{% macro local_date(column) -%}
    ({{ column }} at time zone '{{ var("local_timezone") }}')::date
{%- endmacro %}
