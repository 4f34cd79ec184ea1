"""The ten benchmark dashboards as SQL: each on the marts, and on the event fact table alone."""

from __future__ import annotations

from dataclasses import dataclass

from expectations.dbt_vars import LOCAL_TZ as TZ  # months and days are local
from expectations.dbt_vars import NEGATIVE_RATING_MAX


@dataclass(frozen=True)
class Dashboard:
    name: str  # snake_case id
    label: str  # for people
    mart_sql: str  # marts.mart_* and marts.dim_* only
    facts_sql: str  # marts.fct_appeal_events, plus marts.dim_* for names and the calendar


# One row per appeal received and not rejected, folded from its events as int_appeals__folded does:
# channel from the first event naming it, municipality and body from the last, a return reopens the appeal.
_APPEALS = f"""
with folded as (
    select
        appeal_key,
        min(category_code) as category_code,
        min(sector_code) as sector_code,
        (array_agg(channel order by event_order) filter (where channel is not null))[1] as channel,
        coalesce(min(occurred_at) filter (where event_type = 'received'), min(occurred_at)) as received_at,
        (array_agg(municipality_oktmo order by event_order desc)
            filter (where municipality_oktmo is not null))[1] as municipality_oktmo,
        (array_agg(agency_code order by event_order desc) filter (where agency_name is not null))[1]
            as agency_code,
        (array_agg(agency_name order by event_order desc) filter (where agency_name is not null))[1]
            as agency_name,
        bool_or(event_type = 'answered') as has_answer,
        max(occurred_at) filter (where event_type = 'answered') as last_answer_at,
        max(occurred_at) filter (where event_type = 'returned') as last_returned_at,
        max(occurred_at) filter (where event_type = 'closed') as last_closed_at,
        bool_or(event_type = 'interim_answer') as with_interim,
        count(*) filter (where event_type = 'redirected') as redirect_count,
        count(*) filter (where event_type = 'returned') as return_count,
        (array_agg(rating order by event_order desc)
            filter (where event_type = 'rated' and rating is not null))[1] as rating
    from marts.fct_appeal_events
    group by appeal_key
    having not bool_or(event_type = 'rejected')
),
appeals as (
    select
        f.*,
        date_trunc('month', (f.received_at at time zone '{TZ}')::date)::date as month,
        (f.received_at at time zone '{TZ}')::date as received_date,
        f.rating is not null as is_rated,
        coalesce(f.rating >= 4, false) as is_satisfied,
        not (f.last_answer_at is not null and f.last_answer_at > coalesce(f.last_returned_at, '-infinity'))
            and not coalesce(f.last_closed_at > coalesce(f.last_returned_at, '-infinity'), false) as is_open
    from folded as f
),
agency_appeals as (
    -- The body as fct_appeals resolves it: listed by code, listed by name, else a hash of the name.
    select a.*, coalesce(by_code.agency_code, by_name.agency_code,
        'unlisted:' || left(md5(lower(a.agency_name)), 12)) as resolved_agency
    from appeals as a
    left join marts.dim_agencies as by_code on by_code.is_listed and by_code.agency_code = a.agency_code
    left join marts.dim_agencies as by_name
        on by_name.is_listed and lower(by_name.agency_name) = lower(a.agency_name)
    where a.agency_name is not null
)
"""


def _within(column: str, param: str, span: str) -> str:
    """`column` falls in the period of length `span` that starts at the date parameter `param`."""
    return f"{column} >= %({param})s::date and {column} < (%({param})s::date + interval '{span}')::date"


def _pair(name, label, mart_sql, facts_body):
    return Dashboard(name, label, mart_sql.strip(), (_APPEALS + facts_body).strip())


DASHBOARDS: tuple[Dashboard, ...] = (
    _pair(
        "sector_kpi_month",
        "Показатели отраслей за месяц",
        """
select sector_code, sector_name, sum(incoming), sum(answered), sum(with_interim), sum(redirected),
    sum(returned)
from marts.mart_sector_kpi where month = %(month)s group by 1, 2""",
        """
select a.sector_code, s.sector_name, count(*), count(*) filter (where has_answer),
    count(*) filter (where with_interim), count(*) filter (where redirect_count > 0),
    count(*) filter (where return_count > 0)
from appeals as a inner join marts.dim_sectors as s using (sector_code)
where a.month = %(month)s group by 1, 2""",
    ),
    _pair(
        "agency_rating_quarter",
        "Рейтинг органов за квартал: объем и ответы",
        """
select agency_code, agency_name, incoming, answered, rated, completeness
from marts.mart_agency_rating where period_kind = 'quarter' and period_start = %(quarter)s""",
        f"""
select a.resolved_agency, ag.agency_name, count(*), count(*) filter (where has_answer),
    count(*) filter (where is_rated),
    round((count(*) filter (where has_answer))::numeric / count(*), 4)
from agency_appeals as a left join marts.dim_agencies as ag on ag.agency_code = a.resolved_agency
where {_within("a.month", "quarter", "3 months")} group by 1, 2""",
    ),
    _pair(
        "agency_open_appeals",
        "Обращения в работе у органа",
        """
select appeal_key, received_at, sector_code, redirect_count, return_count
from marts.mart_deadline_control
where agency_code = %(agency)s and control_status in ('open', 'open_overdue')""",
        """
select appeal_key, received_at, sector_code, redirect_count, return_count
from agency_appeals where resolved_agency = %(agency)s and is_open""",
    ),
    _pair(
        "sector_problems_month",
        "Проблемы отрасли за месяц",
        """
select category_code, category_name, incoming, incoming_previous, volume_rank
from marts.mart_regional_problems
where period_kind = 'month' and period_start = %(month)s and row_kind = 'category'
    and sector_code = %(sector)s""",
        """,
counts as (
    select category_code, count(*) filter (where month = %(month)s) as incoming,
        count(*) filter (where month = (%(month)s::date - interval '1 month')::date) as incoming_previous
    from appeals group by 1
)
-- The first month of data has no previous month to compare with.
select c.category_code, c.category_name, coalesce(n.incoming, 0),
    case when %(month)s::date > (select min(month) from appeals) then coalesce(n.incoming_previous, 0) end,
    rank() over (order by coalesce(n.incoming, 0) desc)
from marts.dim_categories as c left join counts as n using (category_code)
where c.sector_code = %(sector)s""",
    ),
    _pair(
        "channel_mix_month",
        "Каналы поступления за месяц",
        """
select channel_code, channel_name, sum(incoming), sum(answered), sum(rated), sum(satisfied),
    round(sum(incoming)::numeric / sum(sum(incoming)) over (), 4)
from marts.mart_sector_monthly where month = %(month)s group by 1, 2""",
        """
select a.channel, ch.channel_name, count(*), count(*) filter (where has_answer),
    count(*) filter (where is_rated), count(*) filter (where is_satisfied),
    round(count(*) / sum(count(*)) over (), 4)
from appeals as a inner join marts.dim_channels as ch on ch.channel_code = a.channel
where a.month = %(month)s group by 1, 2""",
    ),
    _pair(
        "municipality_year",
        "Обращения по муниципальным образованиям за год",
        f"""
select municipality_oktmo, municipality_name, sum(incoming),
    round(sum(incoming) * 1000.0 / nullif(max(population), 0), 3)
from marts.mart_sector_kpi where {_within("month", "year", "1 year")} group by 1, 2""",
        f"""
select a.municipality_oktmo, coalesce(m.municipality_name, case when a.municipality_oktmo is null
        then 'не указано' else 'ОКТМО ' || a.municipality_oktmo end),
    count(*), round(count(*) * 1000.0 / nullif(max(m.population), 0), 3)
from appeals as a left join marts.dim_municipalities as m using (municipality_oktmo)
where {_within("a.month", "year", "1 year")} group by 1, 2""",
    ),
    _pair(
        "satisfaction_quarter",
        "Удовлетворенность по отраслям за квартал",
        f"""
select sector_code, sector_name, sum(rated), sum(satisfied),
    round(sum(satisfied)::numeric / nullif(sum(rated), 0), 4)
from marts.mart_sector_kpi where {_within("month", "quarter", "3 months")} group by 1, 2""",
        f"""
select a.sector_code, s.sector_name, count(*) filter (where is_rated), count(*) filter (where is_satisfied),
    round((count(*) filter (where is_satisfied))::numeric / nullif(count(*) filter (where is_rated), 0), 4)
from appeals as a inner join marts.dim_sectors as s using (sector_code)
where {_within("a.month", "quarter", "3 months")} group by 1, 2""",
    ),
    _pair(
        "monthly_trend_year",
        "Динамика обращений по месяцам за год",
        f"""
select period_start, max(value) filter (where indicator = 'incoming')::integer,
    max(value) filter (where indicator = 'answered')::integer,
    max(value) filter (where indicator = 'rated')::integer,
    max(value) filter (where indicator = 'satisfied')::integer
from marts.mart_kpi_values
where period_kind = 'month' and slice_kind = 'region'
    and indicator in ('incoming', 'answered', 'rated', 'satisfied')
    and {_within("period_start", "year", "1 year")}
group by 1""",
        f"""
select month, count(*)::integer, (count(*) filter (where has_answer))::integer,
    (count(*) filter (where is_rated))::integer, (count(*) filter (where is_satisfied))::integer
from appeals where {_within("month", "year", "1 year")} group by 1""",
    ),
    _pair(
        "negative_ratings_month",
        "Негативные оценки за месяц",
        """
select appeal_key, occurred_at, rating, sector_code, channel_code
from marts.mart_conflicts where reason_code = 'negative_rating' and month = %(conflict_month)s""",
        f"""
-- Every negative rating (<= dbt var negative_rating_max) counts, not only the appeal's last one.
select e.appeal_key, e.occurred_at, e.rating, a.sector_code, a.channel
from marts.fct_appeal_events as e inner join appeals as a using (appeal_key)
where e.event_type = 'rated' and e.rating <= {NEGATIVE_RATING_MAX}
    and date_trunc('month', (e.occurred_at at time zone '{TZ}')::date)::date = %(conflict_month)s""",
    ),
    _pair(
        "sector_weekly_quarter",
        "Поступление по отраслям по неделям квартала",
        f"""
select period_start, sector_code, incoming from marts.mart_workload
where period_kind = 'week' and incoming > 0 and {_within("period_start", "quarter", "3 months")}""",
        f""",
work_days as (
    -- An appeal received on a day off is worked on the next working day (mart_workload's work_items).
    select a.sector_code, date_trunc('week', w.calendar_date)::date as week
    from appeals as a
    inner join marts.dim_dates as r on r.calendar_date = a.received_date
    inner join marts.dim_dates as w on w.working_day_index = r.working_days_before + 1
)
select week, sector_code, count(*)::integer from work_days
where {_within("week", "quarter", "3 months")}
group by 1, 2""",
    ),
)
