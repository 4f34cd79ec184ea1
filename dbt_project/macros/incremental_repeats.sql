{#- Repeat chains kept per subject (int_repeat_clusters). A chain belongs to one author or one address, so a
    change to an appeal can only change the chains of its subjects: the ones it has now (fct_appeals) and the
    ones it had at the last build (its rows here, when its author or address has changed since). All chains of
    those subjects are deleted and recomputed, categories included (the category may have changed too).
    The set is kept in a temporary table by the pre-hook, before the delete removes the rows it reads. -#}
{% macro repeat_subjects_to_refresh() -%}
    with rebuilt as (
        select appeal_key, author_key, address_key
        from {{ ref('fct_appeals') }} as f
        where {{ unseen_by_last_build('f._built_hwm', 'f._built_as_of') }}
    )
    select 'author' as cluster_kind, author_key as subject_key from rebuilt where author_key is not null
    union
    select 'address', address_key from rebuilt where address_key is not null
    union
    select c.cluster_kind, c.subject_key from {{ this }} as c inner join rebuilt as r using (appeal_key)
{%- endmacro %}

{#- Pre-hook: the subjects to recompute, then their chains go (the model reads the same temporary table; the
    hooks and the model run in one transaction, which drops it at commit). -#}
{% macro delete_repeat_subjects_to_refresh() -%}
    {%- if is_incremental() -%}
        create temporary table repeat_subjects_to_refresh on commit drop as {{ repeat_subjects_to_refresh() }};
        analyze repeat_subjects_to_refresh;
        delete from {{ this }} as t
        using repeat_subjects_to_refresh as s
        where t.cluster_kind = s.cluster_kind and t.subject_key = s.subject_key
    {%- endif -%}
{%- endmacro %}
