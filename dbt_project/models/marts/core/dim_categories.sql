-- Problem categories with their sector block and ТОТК code.
with

categories as (

    select * from {{ ref('categories') }}

),

sectors as (

    select * from {{ ref('sectors') }}

),

final as (

    select
        c.category_code,
        c.category_name,
        c.sector_code,
        s.sector_name,
        c.totk_code,
        c.is_other_bucket
    from categories as c
    inner join sectors as s using (sector_code)

)

select * from final
