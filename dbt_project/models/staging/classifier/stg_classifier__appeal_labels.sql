-- The classifier's labels the build may see: batches up to batch_hwm. A label is knowledge, not an event of
-- the appeal's life, so only the knowledge clock filters it: a past picture keeps the labels it had.
with

source as (

    select * from {{ source('classifier', 'appeal_labels') }}
    where batch_id <= {{ batch_hwm() }}

),

final as (

    select
        source,
        appeal_id,
        category_code,
        sector_code,
        confidence::numeric(5, 4) as confidence,
        method,
        needs_review,
        guesses,
        model_version,
        batch_id,
        loaded_at
    from source

)

select * from final
