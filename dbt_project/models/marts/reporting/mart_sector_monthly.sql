-- Sector × month of receipt × channel: the headline indicators of the catalogue (macros/kpis.sql, from the
-- semantic layer), computed exactly as mart_kpi_values computes them for a sector and a month.
with

appeals as (

    select * from {{ ref('fct_appeal_measures') }}

),

sectors as (

    select * from {{ ref('dim_sectors') }}

),

channels as (

    select * from {{ ref('dim_channels') }}

),

aggregated as (

    select
        received_month as month,
        sector_code,
        channel as channel_code,
        {%- for code in ['incoming', 'answered', 'answered_on_time', 'on_time_share', 'overdue_open',
                         'resolution_median_days', 'rated', 'satisfied', 'satisfaction_share'] %}
        {{ kpi(code) }} as {{ code }}{{ ',' if not loop.last }}
    {%- endfor %}
    from appeals
    group by 1, 2, 3

),

final as (

    select
        a.month,
        a.sector_code,
        s.sector_name,
        a.channel_code,
        c.channel_name,
        a.incoming,
        a.answered,
        a.answered_on_time,
        a.on_time_share,
        a.overdue_open,
        a.resolution_median_days,
        a.rated,
        a.satisfied,
        a.satisfaction_share
    from aggregated as a
    inner join sectors as s using (sector_code)
    inner join channels as c on c.channel_code = a.channel_code

)

select * from final
