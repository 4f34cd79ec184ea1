-- The two clocks of this build, kept so that reconciliations compare raw with staging under the same horizon.
with

final as (

    select
        {{ as_of() }} as as_of,
        ({{ batch_hwm() }})::bigint as batch_hwm,
        '{{ var("schema_suffix") }}'::text as schema_suffix

)

select * from final
