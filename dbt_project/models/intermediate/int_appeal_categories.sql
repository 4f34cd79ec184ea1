-- Each appeal's category in ЦУР terms, and how it was decided, in this order:
--   source_code   the source's own warehouse code, or its ТОТК code (the longest matching prefix);
--   operator      a ЦУР operator's decision (`tsur review import`): it overrides the source's code too;
--   category_map  the source's category through seed category_map, or its name equal to a warehouse category;
--   the classifier's label (raw.appeal_labels): a known rubricator (category_map), the source's rubric words
--                 (rubric_name) or the text (text_model), below the sector's threshold its «прочие»;
--   fallback      nothing to go on: «Прочие вопросы».
-- Incremental: the appeals int_appeals__folded rewrote (a new label rewrites the appeal there too).
{{ config(**appeal_incremental_config()) }}
with

appeals as (

    select
        source,
        appeal_id,
        source_category_code,
        source_category_name,
        totk_code,
        operator_category_code
    from {{ ref('int_appeals__folded') }}
    {% if is_incremental() %}
        where (source, appeal_id) in ({{ rebuilt_appeals(ref('int_appeals__folded')) }})
    {% endif %}

),

categories as (

    select * from {{ ref('categories') }}

),

category_map as (

    select * from {{ ref('category_map') }}

),

labels as (

    select distinct on (source, appeal_id) *
    from {{ ref('stg_classifier__appeal_labels') }}
    where (source, appeal_id) in (
        select
            source,
            appeal_id
        from appeals
    )
    order by source asc, appeal_id asc, batch_id desc

),

by_totk as (

    select distinct on (a.source, a.appeal_id)
        a.source,
        a.appeal_id,
        c.category_code
    from appeals as a
    inner join categories as c
        on
            c.totk_code is not null
            and (c.totk_code = a.totk_code or a.totk_code like c.totk_code || '.%')
    order by a.source, a.appeal_id, length(c.totk_code) desc

),

decided as (

    select
        a.source,
        a.appeal_id,
        case
            when operator.category_code is not null then array[operator.category_code, 'operator']
            when own.category_code is not null then array[own.category_code, 'source_code']
            when by_totk.category_code is not null then array[by_totk.category_code, 'source_code']
            when mapped.category_code is not null then array[mapped.category_code, 'category_map']
            when named.category_code is not null then array[named.category_code, 'category_map']
            when label.category_code is not null then array[label.category_code, label.method]
            else array['other.misc', 'fallback']
        end as decision,
        label.confidence as label_confidence,
        label.needs_review as label_needs_review,
        label.guesses as label_guesses,
        label.model_version as label_model_version
    from appeals as a
    left join categories as operator
        on operator.category_code = a.operator_category_code
    left join categories as own
        on own.category_code = a.source_category_code
    left join lateral (
        select m.category_code from category_map as m
        where m.source = a.source and m.source_category in (a.source_category_code, a.source_category_name)
        order by (m.source_category = a.source_category_code) desc
        limit 1
    ) as mapped on true
    left join categories as named
        on {{ normalized_text('named.category_name') }} = {{ normalized_text('a.source_category_name') }}
    left join by_totk
        on by_totk.source = a.source and by_totk.appeal_id = a.appeal_id
    left join labels as label
        on label.source = a.source and label.appeal_id = a.appeal_id

),

final as (

    select
        source,
        appeal_id,
        decision[1] as category_code,
        decision[2] as category_method,
        case decision[2]
            when 'rubric_name' then label_confidence
            when 'text_model' then label_confidence
            when 'fallback' then 0.0
            else 1.0  -- stated, decided or configured
        end::numeric(5, 4) as category_confidence,
        decision[2] in ('rubric_name', 'text_model', 'fallback') and coalesce(label_needs_review, true) as needs_review,
        case when decision[2] in ('rubric_name', 'text_model', 'fallback') then label_guesses end
            as classifier_guesses,
        label_model_version as model_version,
        {{ build_clocks() }}
    from decided

)

select * from final
