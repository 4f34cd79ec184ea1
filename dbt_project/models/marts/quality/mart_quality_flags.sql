-- Odd rows the plausibility rules flagged (expectations/plausibility.py): they stay in every figure but
-- those the rule names, and never stop the reporting on their own. A view: always what the last checks saw.
{{ config(materialized='view') }}
with

flagged as (

    select * from {{ source('quality', 'flagged_rows') }}

),

final as (

    select
        rule,
        relation,
        row_key,
        value_seen,
        first_seen_at,
        first_batch,
        last_seen_at,
        resolved_at,
        resolved_at is null as is_open
    from flagged

)

select * from final
