-- Each appeal's category in ЦУР terms: the source's own code, a configured mapping, the category's name,
-- the longest ТОТК prefix, or «прочие вопросы». Incremental: the appeals int_appeals__folded rewrote.
{{ config(**appeal_incremental_config()) }}
with

appeals as (

    select source, appeal_id, source_category_code, source_category_name, totk_code
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

by_totk as (

    select distinct on (a.source, a.appeal_id)
        a.source, a.appeal_id, c.category_code
    from appeals as a
    inner join categories as c
        on c.totk_code is not null
        and (a.totk_code = c.totk_code or a.totk_code like c.totk_code || '.%')
    order by a.source, a.appeal_id, length(c.totk_code) desc

),

final as (

    select
        a.source,
        a.appeal_id,
        coalesce(own.category_code, mapped.category_code, named.category_code, by_totk.category_code, 'other.misc')
            as category_code,
        case
            when own.category_code is not null then 'source_code'
            when mapped.category_code is not null then 'category_map'
            when named.category_code is not null then 'category_name'
            when by_totk.category_code is not null then 'totk_prefix'
            else 'fallback'
        end as category_resolution,
        {{ build_clocks() }}
    from appeals as a
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

)

select * from final
