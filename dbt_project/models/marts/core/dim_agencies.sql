-- Bodies and organisations: the reference list plus every other name the sources used.
with

listed as (

    select * from {{ ref('agencies') }}

),

seen as (

    select distinct agency_name
    from {{ ref('int_appeals__folded') }}
    where agency_name is not null

),

unlisted as (

    select
        'unlisted:' || left(md5(lower(seen.agency_name)), 12) as agency_code,
        seen.agency_name,
        seen.agency_name as agency_short_name,
        'unlisted' as agency_kind,
        cast(null as text) as sector_code,
        cast(null as text) as oktmo
    from seen
    left join listed on lower(listed.agency_name) = lower(seen.agency_name)
    where listed.agency_code is null

),

final as (

    select
        agency_code,
        agency_name,
        agency_short_name,
        agency_kind,
        sector_code,
        oktmo,
        true as is_listed
    from listed
    union all
    select
        agency_code,
        agency_name,
        agency_short_name,
        agency_kind,
        sector_code,
        oktmo,
        false
    from unlisted

)

select * from final
