-- Channels through which appeals arrive.
select
    channel_code,
    channel_name,
    system_name,
    sort_order
from {{ ref('channels') }}
