-- Sector blocks of ЦУР with their responsible bodies.
select
    sector_code,
    sector_name,
    responsible_body,
    sort_order
from {{ ref('sectors') }}
