{#- Incremental intermediate models rebuild only the appeals a build can see differently from the last one.

    Each row keeps the clocks of the build that wrote it (_built_hwm, _built_as_of). An appeal is rebuilt
    whole when a batch newer than the last build's hwm or a moment later than its as_of touches it. Both
    clocks only move forward in normal operation; when a build goes back (a smaller batch_hwm or an
    earlier as_of in the same schemas), the model empties itself first and so rebuilds from scratch. -#}

{% macro build_clocks() -%}
    ({{ batch_hwm() }})::bigint as _built_hwm,
    {{ as_of() }} as _built_as_of
{%- endmacro %}

{#- The last build's clocks; null when the model is empty, which makes every appeal "touched". -#}
{% macro last_build_clocks() -%}
    select max(_built_hwm) as hwm, max(_built_as_of) as as_of from {{ this }}
{%- endmacro %}

{#- True for a row the last build could not see: a newer batch, or later than its as_of. -#}
{% macro unseen_by_last_build(batch_column, time_column) -%}
    (last_build.hwm is null or {{ batch_column }} > last_build.hwm or {{ time_column }} > last_build.as_of)
{%- endmacro %}

{#- Pre-hook: going back in either clock invalidates what is there, so start from an empty table. -#}
{% macro reset_if_clocks_move_back() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where exists (
            select from {{ this }}
            where _built_hwm > ({{ batch_hwm() }}) or _built_as_of > {{ as_of() }}
        )
    {%- endif -%}
{%- endmacro %}
