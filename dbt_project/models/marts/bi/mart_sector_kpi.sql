-- Sector × category × channel × municipality × month of receipt: every indicator of ЦУР (п. 3, 15.9 Положения).
-- Counts add up across rows; shares, quantiles and rates are for the row itself (recompute shares from counts).
with

aggregated as (

    -- Computed per month in int_sector_kpi_months (kept incrementally); here named and given the rate.
    select * from {{ ref('int_sector_kpi_months') }}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

channels as (

    select * from {{ ref('dim_channels') }}

),

municipalities as (

    select * from {{ ref('dim_municipalities') }}

),

final as (

    select
        a.month,
        c.sector_code,
        c.sector_name,
        a.category_code,
        c.category_name,
        a.channel_code,
        ch.channel_name,
        a.municipality_oktmo,
        coalesce(m.municipality_name, case
            when a.municipality_oktmo is null then 'не указано'
            else 'ОКТМО ' || a.municipality_oktmo
        end) as municipality_name,
        m.population,
        a.incoming,
        a.answered,
        a.answered_on_time,
        a.on_time_share,
        a.overdue_open,
        a.first_reaction_median_hours,
        a.first_reaction_p90_hours,
        a.resolution_median_days,
        a.resolution_p90_days,
        a.with_interim,
        a.interim_share,
        a.redirected,
        a.redirect_share,
        a.returned,
        a.return_share,
        a.rated,
        a.satisfied,
        a.satisfaction_share,
        a.rating_coverage,
        a.repeated,
        a.repeat_share,
        a.substantive,
        a.substantive_share,
        a.completeness,
        {{ kpi('appeals_per_1000', population='m.population', incoming='a.incoming') }} as appeals_per_1000
    from aggregated as a
    inner join categories as c using (category_code)
    inner join channels as ch using (channel_code)
    left join municipalities as m using (municipality_oktmo)

)

select * from final
