{#- Incremental intermediate models rebuild only the appeals a build can see differently from the last one.

    Each row keeps the clocks of the build that wrote it (_built_hwm, _built_as_of). An appeal is rebuilt
    whole when a batch newer than the last build's hwm or a moment later than its as_of touches it. Both
    clocks only move forward in normal operation; when a build goes back (a smaller batch_hwm or an
    earlier as_of in the same schemas), the model empties itself first and so rebuilds from scratch. -#}

{% macro build_clocks() -%}
    ({{ batch_hwm() }})::bigint as _built_hwm,
    {{ as_of() }} as _built_as_of
{%- endmacro %}

{#- The last build's clocks, read when the model runs and written into the SQL as literals: the planner then
    estimates "rows newer than the last build" from the indexes instead of guessing, and finds them by index.
    (none, none) when the model is empty (or while parsing), which makes every row "unseen". -#}
{% macro last_build_clocks() -%}
    {%- if execute and is_incremental() -%}
        {#- Clocks that went back mean the pre-hook empties the table (it runs after this is rendered). -#}
        {%- set moved_back = "max(_built_hwm) > " ~ batch_hwm() ~ " or max(_built_as_of) > " ~ as_of()
                             ~ " or min(_built_hwm) < " ~ last_erasure_batch() -%}
        {%- set row = run_query("select case when " ~ moved_back ~ " then null else max(_built_hwm) end,"
                                ~ " case when " ~ moved_back ~ " then null else max(_built_as_of)::text end"
                                ~ " from " ~ this).rows[0] -%}
        {{ return((row[0], row[1])) }}
    {%- endif -%}
    {{ return((none, none)) }}
{%- endmacro %}

{#- True for a row the last build could not see: a newer batch, or later than its as_of. -#}
{% macro unseen_by_last_build(batch_column, time_column) -%}
    {%- set hwm, as_of = last_build_clocks() -%}
    {%- if hwm is none -%} true
    {%- else -%} ({{ batch_column }} > {{ hwm }} or {{ time_column }} > '{{ as_of }}'::timestamptz)
    {%- endif -%}
{%- endmacro %}

{#- The marker batch of the last erasure of personal data this build can see (sources/privacy): rows built
    before it may hold what was erased (a repeat found by the author), so the model rebuilds from scratch. -#}
{% macro last_erasure_batch() -%}
    (select coalesce(max(batch_id), 0) from privacy.erasure_requests
     where finished_at is not null and batch_id <= ({{ batch_hwm() }}))
{%- endmacro %}

{#- Pre-hook: going back in either clock invalidates what is there, so start from an empty table. -#}
{% macro reset_if_clocks_move_back() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where exists (
            select from {{ this }}
            where _built_hwm > ({{ batch_hwm() }}) or _built_as_of > {{ as_of() }}
                or _built_hwm < {{ last_erasure_batch() }}
        )
    {%- endif -%}
{%- endmacro %}

{#- Config of a model kept incrementally per appeal: the rows of the appeals rebuilt are deleted and written
    again. Indexes serve the delete (the key) and the search for rows newer than a downstream model's last
    build (the clocks). ANALYZE after each build: a new table has no statistics until autovacuum gets to
    it, and the next models' lookups would be planned blind. -#}
{% macro appeal_incremental_config(with_indexes=true) -%}
    {%- set config = {
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': ['source', 'appeal_id'],
        'on_schema_change': 'fail',
        'pre_hook': '{{ reset_if_clocks_move_back() }}',
        'post_hook': 'analyze {{ this }}',
    } -%}
    {#- Models with their own list of indexes in YAML (the facts) name these three there. -#}
    {%- if with_indexes -%}
        {%- do config.update({'indexes': [{'columns': ['source', 'appeal_id']}, {'columns': ['_built_as_of']},
                                          {'columns': ['_built_hwm']}]}) -%}
    {%- endif -%}
    {{ return(config) }}
{%- endmacro %}

{#- Config of a model kept per group (periods, repeat subjects): its pre-hook deletes the groups to recompute,
    the model selects only them, and the rows are appended. -#}
{% macro group_incremental_config(refresh_hook, indexes) -%}
    {%- set index_list = [{'columns': ['_built_hwm']}] -%}
    {%- for columns in indexes -%}
        {%- do index_list.append({'columns': columns}) -%}
    {%- endfor -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'pre_hook': ['{{ reset_if_clocks_move_back() }}', refresh_hook],
        'post_hook': 'analyze {{ this }}',
        'indexes': index_list,
    }) }}
{%- endmacro %}

{#- The appeals an upstream incremental model rewrote since this model's last build. -#}
{% macro rebuilt_appeals(relation) -%}
    select u.source, u.appeal_id
    from {{ relation }} as u
    where {{ unseen_by_last_build('u._built_hwm', 'u._built_as_of') }}
{%- endmacro %}
