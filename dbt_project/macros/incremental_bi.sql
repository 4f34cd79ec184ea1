{#- The BI layer kept incrementally per appeal (int_appeal_measures, mart_deadline_control, mart_conflicts).

    What a row of these models says about an appeal depends on the appeal (fct_appeals) and on the other
    appeals of the same author or address (repeat chains, repeats after an answer). So a build refreshes the
    appeals fct_appeals rewrote since the model's last build, and every appeal sharing an author or an address
    with one of them. The rows of those appeals are deleted first (an appeal may have left the model: rejected,
    or answered in time), then whatever the model now says about them is inserted. -#}

{#- Marts list their indexes in YAML (appeal_key and the two clocks among them): with_indexes=false. -#}
{% macro bi_incremental_config(refresh_hook, with_indexes=true) -%}
    {%- set config = {
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'appeal_key',
        'on_schema_change': 'fail',
        'pre_hook': ['{{ reset_if_clocks_move_back() }}', refresh_hook],
    } -%}
    {%- if with_indexes -%}
        {%- do config.update({'indexes': [{'columns': ['appeal_key']}, {'columns': ['_built_as_of']},
                                          {'columns': ['_built_hwm']}]}) -%}
    {%- endif -%}
    {{ return(config) }}
{%- endmacro %}

{% macro appeals_to_refresh() -%}
    {%- set facts = ref('fct_appeals') -%}
    select appeal_key from {{ facts }} as r
    where {{ unseen_by_last_build('r._built_hwm', 'r._built_as_of') }}
    union
    select f.appeal_key from {{ facts }} as f
    inner join {{ facts }} as r on r.author_key = f.author_key
    where {{ unseen_by_last_build('r._built_hwm', 'r._built_as_of') }}
    union
    select f.appeal_key from {{ facts }} as f
    inner join {{ facts }} as r on r.address_key = f.address_key
    where {{ unseen_by_last_build('r._built_hwm', 'r._built_as_of') }}
{%- endmacro %}

{#- Pre-hook: the rows of the appeals to refresh go first; `also` names more rows to drop (a SQL condition). -#}
{% macro delete_appeals_to_refresh(also=none) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where appeal_key in ({{ appeals_to_refresh() }}){% if also %} or {{ also }}{% endif %}
    {%- endif -%}
{%- endmacro %}
