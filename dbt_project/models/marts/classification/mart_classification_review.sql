-- Appeals awaiting an operator's decision on their category: the classifier was below its sector's threshold
-- (or had nothing to read). The three best guesses with their confidence; the text stays in the restricted
-- layer (`tsur review export` puts it beside these rows for operators).
with

categories as (

    select * from {{ ref('int_appeal_categories') }}
    where needs_review

),

appeals as (

    select * from {{ ref('fct_appeals') }}

),

final as (

    select
        a.appeal_key,
        a.source,
        a.appeal_id,
        a.channel,
        a.received_at,
        a.received_month,
        a.municipality_oktmo,
        a.agency_code,
        a.status,
        a.sector_code,
        a.category_code,
        a.category_method,
        a.category_confidence,
        c.classifier_guesses -> 0 ->> 'category_code' as guess_1_code,
        (c.classifier_guesses -> 0 ->> 'confidence')::numeric as guess_1_confidence,
        c.classifier_guesses -> 1 ->> 'category_code' as guess_2_code,
        (c.classifier_guesses -> 1 ->> 'confidence')::numeric as guess_2_confidence,
        c.classifier_guesses -> 2 ->> 'category_code' as guess_3_code,
        (c.classifier_guesses -> 2 ->> 'confidence')::numeric as guess_3_confidence,
        c.model_version
    from categories as c
    inner join appeals as a using (source, appeal_id)

)

select * from final
