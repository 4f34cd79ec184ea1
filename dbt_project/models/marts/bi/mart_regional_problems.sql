-- Regional problems per sector (п. 7.1, 18–23 Положения): every category ranked by volume and by growth
-- against the previous period, the «прочие по направлению» buckets broken down into concrete problems, and
-- how many of each category's targets are met.
{#- п. 20: at least three categories per sector; the first three by volume are its priorities. #}
{%- set top_n = 3 %}
with

appeals as (

    select * from {{ ref('fct_appeal_measures') }}

),

categories as (

    select * from {{ ref('dim_categories') }}

),

targets as (

    select
        period_kind,
        period_start,
        category_code,
        count(*) as targets_total,
        count(*) filter (where is_met) as targets_met,
        count(*) filter (where not is_met) as targets_not_met
    from {{ ref('mart_category_targets') }}
    group by 1, 2, 3

),

periods as (

    -- Periods with appeals and the one after each (a drop to zero is growth too), up to the build's moment:
    -- a stray date decades back adds its own month, not a row per category for every month since.
    select
        period_kind,
        period_start,
        period_start = min(period_start) over (partition by period_kind) as is_first
    from (
        select distinct
            p.period_kind,
            p.period_start::date as period_start
        from appeals as a
        cross join
            lateral (
                values ('month', a.received_month), ('month', a.received_month + interval '1 month'),
                ('quarter', a.received_quarter), ('quarter', a.received_quarter + interval '3 months'))
                as p (period_kind, period_start)
        where p.period_start::date <= {{ local_date(as_of()) }}
    ) as active

),

bucket_appeals as (

    -- The finest thing the source says about a bucket appeal: its theme, a ТОТК question, its own category.
    select
        a.*,
        case
            when a.theme is not null then 'theme'
            when a.totk_code ~ '^\d{4}\.\d{4}\.\d{4}\.\d{4}' and (a.totk_code is distinct from c.totk_code)
                then 'totk_question'
            when a.source_category_name is not null and (a.source_category_code is distinct from a.category_code)
                then 'source_category'
            else 'unspecified'
        end as problem_basis
    from appeals as a
    inner join categories as c using (category_code)
    where c.is_other_bucket

),

bucket_problems as (

    select
        *,
        case problem_basis
            when 'theme' then 'theme:' || {{ normalized_text('theme') }}
            when 'totk_question' then 'totk:' || totk_code
            when 'source_category' then 'source:' || {{ normalized_text('source_category_name') }}
            else 'unspecified'
        end as problem_code,
        case problem_basis
            when 'theme' then theme
            when 'totk_question' then 'ТОТК ' || totk_code
            when 'source_category' then source_category_name
        end as spelled_as
    from bucket_appeals

),

problem_names as (

    select
        category_code,
        problem_code,
        problem_basis,
        coalesce(mode() within group (order by spelled_as), 'не уточнено') as problem_name
    from bucket_problems
    group by 1, 2, 3

),

category_counts as (

    select
        p.period_kind,
        p.period_start,
        a.category_code,
        count(*) as incoming
    from appeals as a
    cross join
        lateral (values ('month', a.received_month), ('quarter', a.received_quarter))
            as p (period_kind, period_start)
    group by 1, 2, 3

),

problem_counts as (

    select
        p.period_kind,
        p.period_start,
        a.category_code,
        a.problem_code,
        count(*) as incoming
    from bucket_problems as a
    cross join
        lateral (values ('month', a.received_month), ('quarter', a.received_quarter))
            as p (period_kind, period_start)
    group by 1, 2, 3, 4

),

category_rows as (

    select
        p.period_kind,
        p.period_start,
        c.sector_code,
        'category' as row_kind,
        c.category_code,
        null::text as problem_code,
        null::text as problem_name,
        null::text as problem_basis,
        coalesce(cur.incoming, 0) as incoming,
        case when not p.is_first then coalesce(prev.incoming, 0) end as incoming_previous
    from periods as p
    cross join categories as c
    left join category_counts as cur
        on
            cur.period_kind = p.period_kind and cur.period_start = p.period_start
            and cur.category_code = c.category_code
    left join category_counts as prev
        on
            prev.period_kind = p.period_kind
            and prev.period_start = (p.period_start - case p.period_kind
                when 'month' then interval '1 month'
                else interval '3 months'
            end)::date
            and prev.category_code = c.category_code

),

problem_rows as (

    select
        p.period_kind,
        p.period_start,
        c.sector_code,
        'problem' as row_kind,
        n.category_code,
        n.problem_code,
        n.problem_name,
        n.problem_basis,
        coalesce(cur.incoming, 0) as incoming,
        case when not p.is_first then coalesce(prev.incoming, 0) end as incoming_previous
    from periods as p
    cross join problem_names as n
    inner join categories as c using (category_code)
    left join problem_counts as cur
        on
            cur.period_kind = p.period_kind and cur.period_start = p.period_start
            and cur.category_code = n.category_code and cur.problem_code = n.problem_code
    left join problem_counts as prev
        on
            prev.period_kind = p.period_kind
            and prev.period_start = (p.period_start - case p.period_kind
                when 'month' then interval '1 month'
                else interval '3 months'
            end)::date
            and prev.category_code = n.category_code and prev.problem_code = n.problem_code
    where cur.incoming is not null or prev.incoming is not null

),

ranked as (

    select
        *,
        incoming - incoming_previous as growth,
        -- Categories compete within their sector, concrete problems within their bucket.
        rank() over (partition by
            period_kind, period_start, row_kind,
            case when row_kind = 'category' then sector_code else category_code end
        order by incoming desc) as volume_rank,
        rank() over (partition by
            period_kind, period_start, row_kind,
            case when row_kind = 'category' then sector_code else category_code end
        order by incoming - incoming_previous desc nulls last) as growth_rank
    from (
        select * from category_rows
        union all
        select * from problem_rows
    ) as r

),

final as (

    select
        r.period_kind,
        r.period_start,
        {{ period_label('r.period_kind', 'r.period_start') }} as period,
        r.sector_code,
        c.sector_name,
        r.row_kind,
        r.category_code,
        c.category_name,
        c.is_other_bucket,
        r.problem_code,
        r.problem_name,
        r.problem_basis,
        r.incoming::integer as incoming,
        r.incoming_previous::integer as incoming_previous,
        r.growth::integer as growth,
        round(r.growth::numeric / nullif(r.incoming_previous, 0), 4) as growth_share,
        r.volume_rank::integer as volume_rank,
        r.growth_rank::integer as growth_rank,
        r.volume_rank <= {{ top_n }} and r.incoming > 0 as is_priority,
        bucket.volume_rank <= {{ top_n }} and bucket.incoming > 0 as bucket_is_priority,
        coalesce(t.targets_total, 0)::integer as targets_total,
        coalesce(t.targets_met, 0)::integer as targets_met,
        coalesce(t.targets_not_met, 0)::integer as targets_not_met
    from ranked as r
    inner join categories as c using (category_code)
    left join ranked as bucket
        on
            r.row_kind = 'problem' and bucket.row_kind = 'category'
            and bucket.period_kind = r.period_kind and bucket.period_start = r.period_start
            and bucket.category_code = r.category_code
    left join targets as t
        on
            r.row_kind = 'category'
            and t.period_kind = r.period_kind and t.period_start = r.period_start and t.category_code = r.category_code

)

select * from final
