{#- The BI layer kept incrementally per appeal (fct_appeal_measures, mart_deadline_control, mart_conflicts).

    What a row of these models says about an appeal depends on the appeal (fct_appeals) and on the appeals
    of the same author or address just before it (repeats, repeats after an answer). So a build refreshes
    the appeals fct_appeals rewrote since the model's last build, and the ones they can make repeats. The rows of those appeals are deleted first (an appeal may have left the model: rejected,
    or answered in time), then whatever the model now says about them is inserted. -#}

{#- Marts list their indexes in YAML (appeal_key and the two clocks among them): with_indexes=false. -#}
{% macro bi_incremental_config(refresh_hook, with_indexes=true) -%}
    {%- set config = {
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'appeal_key',
        'on_schema_change': 'fail',
        'pre_hook': ['{{ reset_if_clocks_move_back() }}', refresh_hook],
        'post_hook': 'analyze {{ this }}',
    } -%}
    {%- if with_indexes -%}
        {%- do config.update({'indexes': [{'columns': ['appeal_key']}, {'columns': ['_built_as_of']},
                                          {'columns': ['_built_hwm']}]}) -%}
    {%- endif -%}
    {{ return(config) }}
{%- endmacro %}

{#- An appeal is a repeat when an appeal of the same author or address and category came within the window
    before it, and a repeat after an answer looks at that one appeal: so a change to an appeal can only
    change the appeals of its author or address received within the window after it (any category, as
    the category itself may have changed). -#}
{% macro appeals_to_refresh() -%}
    {%- set facts = ref('fct_appeals') -%}
    with rebuilt as (
        select appeal_key, author_key, address_key, received_at
        from {{ facts }} as r
        where {{ unseen_by_last_build('r._built_hwm', 'r._built_as_of') }}
    ),
    repeat_window as (
        select make_interval(days => max(window_days)) as span from {{ ref('repeat_window') }}
    )
    select appeal_key from rebuilt
    union
    select f.appeal_key
    from rebuilt as r cross join repeat_window as w
    inner join {{ facts }} as f
        on f.author_key = r.author_key and f.received_at between r.received_at and r.received_at + w.span
    union
    select f.appeal_key
    from rebuilt as r cross join repeat_window as w
    inner join {{ facts }} as f
        on f.address_key = r.address_key and f.received_at between r.received_at and r.received_at + w.span
{%- endmacro %}

{#- Pre-hook: the rows of the appeals to refresh go first; `also` names more rows to drop (a SQL condition).
    Two statements, not one `in (…) or …`: an OR beside the subquery keeps the planner from hashing it, and
    every row would then be compared with the whole list. -#}
-- SQLFluff's indentation check (LT02) misreads a macro body holding two statements; this is text outside the
-- macro, which dbt ignores.
-- noqa: disable=LT02
{% macro delete_appeals_to_refresh(also=none) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where appeal_key in ({{ appeals_to_refresh() }})
        {%- if also %};
        delete from {{ this }} where {{ also }}
        {%- endif %}
    {%- endif -%}
{%- endmacro %}
-- noqa: enable=LT02
