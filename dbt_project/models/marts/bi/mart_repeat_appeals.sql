-- Repeat appeals as clusters (п. 15.6 Положения): the same author or address, the same category, each appeal
-- within the window of the previous one — the root causes to remove.
with

members as (

    select * from {{ ref('int_repeat_clusters') }}

),

appeals as (

    select * from {{ ref('fct_appeal_measures') }}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

agencies as (

    select * from {{ ref('dim_agencies') }}

),

municipalities as (

    select * from {{ ref('dim_municipalities') }}

),

repeat_window as (

    select window_days from {{ ref('repeat_window') }}

),

clusters as (

    select
        mb.cluster_id,
        mb.cluster_kind,
        mb.subject_key,
        mb.category_code,
        min(mb.received_at) as first_received_at,
        max(mb.received_at) as last_received_at,
        count(*) as appeal_count,
        count(*) filter (where a.is_open) as open_count,
        count(*) filter (where a.has_answer) as answered_count,
        count(distinct a.agency_code) as agency_count,
        string_agg(distinct coalesce(ag.agency_short_name, a.agency_name), '; ') as agency_names,
        string_agg(distinct a.agency_code, ', ') as agency_codes,
        string_agg(distinct a.channel, ', ') as channel_codes,
        (array_agg(a.municipality_oktmo order by mb.position))[1] as municipality_oktmo,
        (array_agg(mb.appeal_key order by mb.position))[1] as first_appeal_key,
        (array_agg(mb.appeal_key order by mb.position desc))[1] as last_appeal_key
    from members as mb
    inner join appeals as a using (appeal_key)
    left join agencies as ag on ag.agency_code = a.agency_code
    group by 1, 2, 3, 4

),

final as (

    select
        cl.cluster_id,
        cl.cluster_kind,
        case cl.cluster_kind when 'author' then 'один заявитель' else 'один адрес' end as cluster_kind_name,
        cl.subject_key,
        c.sector_code,
        c.sector_name,
        cl.category_code,
        c.category_name,
        cl.municipality_oktmo,
        m.municipality_name,
        cl.first_received_at,
        cl.last_received_at,
        {{ local_date('cl.first_received_at') }} as first_date,
        {{ local_date('cl.last_received_at') }} as last_date,
        date_trunc('month', {{ local_date('cl.first_received_at') }})::date as first_month,
        ({{ local_date('cl.last_received_at') }} - {{ local_date('cl.first_received_at') }})::integer as span_days,
        cl.appeal_count::integer as appeal_count,
        cl.open_count::integer as open_count,
        cl.answered_count::integer as answered_count,
        cl.agency_count::integer as agency_count,
        cl.agency_names,
        cl.agency_codes,
        cl.channel_codes,
        cl.first_appeal_key,
        cl.last_appeal_key,
        w.window_days
    from clusters as cl
    inner join categories as c using (category_code)
    left join municipalities as m using (municipality_oktmo)
    cross join repeat_window as w

)

select * from final
