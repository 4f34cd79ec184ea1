"""The simulated year of НАО appeals: every appeal with its whole lifecycle kept as data.

Writers of each source format (appeal-event/1 here; ПОС and ИМ snapshots, Open311, СЭД elsewhere) read the
same world, so an appeal's state at any moment (`Appeal.state_at`) agrees across every format.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from sources.sample import people, rubrics, texts
from sources.sample.reference import (
    CHANNELS,
    Category,
    ChannelPlan,
    Municipality,
    Reference,
    WorkCalendar,
    load_reference,
)

MSK = ZoneInfo("Europe/Moscow")
DAY = timedelta(days=1)
APPEALS_PER_YEAR = 12_500
REPEAT_SHARE = 0.04  # same person, category and address within 30 days
BUCKET_SHARE = 0.12  # share of each sector in its «прочие по направлению» bucket
SECOND_PROBLEM_SHARE = 0.06  # messages that raise a second, unrelated problem
PERSONS_PER_YEAR = 23_000  # pool size that gives ≈ 9,000 distinct authors among 12,500 appeals
# Housing leads everywhere in regional feedback statistics; the other blocks share the rest.
SECTOR_WEIGHTS = {
    "health": 12,
    "education": 7,
    "social": 9,
    "housing": 28,
    "waste": 7,
    "roads": 12,
    "transport": 7,
    "energy": 6,
    "other": 12,
}
# Monthly factors, January first: what Arctic residents write about follows the season.
WINTER = (3.0, 3.0, 2.6, 1.6, 0.6, 0.25, 0.2, 0.2, 0.5, 1.4, 2.4, 3.0)
SPRING = (0.6, 0.6, 1.0, 2.4, 3.0, 1.8, 1.0, 0.9, 0.9, 0.8, 0.6, 0.6)
SUMMER = (0.4, 0.4, 0.5, 0.8, 1.6, 2.6, 3.0, 2.8, 1.8, 0.8, 0.5, 0.4)
NAVIGATION = (0.1, 0.1, 0.1, 0.1, 0.6, 2.6, 3.2, 3.2, 2.4, 1.0, 0.2, 0.1)
WINTER_ROADS = (3.0, 3.0, 3.0, 2.4, 0.4, 0.1, 0.1, 0.1, 0.1, 0.3, 1.2, 2.6)
SEASONS = {
    "housing.heating": WINTER,
    "roads.snow": WINTER,
    "energy.fuel": WINTER,
    "roads.maintenance": SPRING,
    "roads.sidewalks": SPRING,
    "waste.removal": SUMMER,
    "waste.dumps": SUMMER,
    "waste.container_sites": SUMMER,
    "other.landscaping": SUMMER,
    "transport.water": NAVIGATION,
    "transport.winter_roads": WINTER_ROADS,
}
VOLUME = (1.1, 1.05, 1.05, 1.0, 1.0, 0.9, 0.85, 0.85, 0.95, 1.0, 1.1, 1.15)
RESULTS = {"supported": 25, "measures_taken": 25, "explained": 35, "not_supported": 10, "answered": 5}
RATINGS = {5: 45, 4: 20, 3: 10, 2: 10, 1: 15}
STATUS_AFTER = {
    "received": "received",
    "registered": "registered",
    "assigned": "in_progress",
    "redirected": "in_progress",
    "interim_answer": "in_progress",
    "answered": "answered",
    "returned": "returned",
    "closed": "closed",
    "rejected": "rejected",
}


@dataclass
class SimEvent:
    event_type: str
    occurred_at: datetime  # aware, Europe/Moscow
    fields: dict[str, Any] = field(default_factory=dict)  # contract fields it carries; datetimes as datetimes


@dataclass(frozen=True)
class AppealState:
    status: str  # received, registered, in_progress, answered, returned, closed, rejected
    category_code: str
    agency_code: str | None
    due_at: datetime | None  # the deadline the source stated, if any
    result: str | None
    rating: int | None
    answered_at: datetime | None
    events: int


@dataclass
class Appeal:
    source: str
    channel: str
    legal_regime: str
    sector_code: str
    category_code: str  # as received; `categorized` events may correct it, the last one wins
    oktmo: str
    person: people.Person = field(repr=False)
    author: dict
    address: str | None
    location: tuple[float, float] | None
    text: str
    attrs: dict
    received_at: datetime
    theme: str | None = None
    repeat_of: Appeal | None = field(default=None, repr=False, compare=False)
    stated: str = "code"  # how the source states the category: code | rubric | none (sample/rubrics.py)
    rubric: tuple[str, str] | None = None  # (group, topic) of a foreign rubricator
    appeal_id: str = ""
    events: list[SimEvent] = field(default_factory=list)

    def state_at(self, moment: datetime) -> AppealState | None:
        """What a snapshot taken at `moment` shows; None before the appeal was received."""
        seen = [e for e in self.events if e.occurred_at <= moment]
        if not seen:
            return None
        status, category, agency, due, result, rating, answered = "received", self.category_code, *[None] * 5
        for e in seen:
            status = STATUS_AFTER.get(e.event_type, status)
            category = e.fields["category"].get("code", category) if "category" in e.fields else category
            agency = e.fields["agency"]["code"] if "agency" in e.fields else agency
            due = e.fields.get("due_at", due)
            result = e.fields.get("result", result)
            rating = e.fields.get("rating", rating)
            answered = e.occurred_at if e.event_type == "answered" else answered
        return AppealState(status, category, agency, due, result, rating, answered, len(seen))


@dataclass
class World:
    year: int
    seed: int
    scale: float
    data_end: datetime  # the extraction moment: nothing after it has happened yet
    reference: Reference = field(repr=False)
    appeals: list[Appeal] = field(repr=False)

    def by_source(self) -> dict[str, list[Appeal]]:
        out: dict[str, list[Appeal]] = {plan.source: [] for plan in CHANNELS.values()}
        for appeal in self.appeals:
            out[appeal.source].append(appeal)
        return out


class _Builder:
    """Draws the appeals and their lifecycles from one random stream, in a fixed order."""

    def __init__(self, ref: Reference, year: int, scale: float, rng: random.Random):
        self.ref, self.year, self.rng = ref, year, rng
        self.data_end = datetime(year + 1, 1, 16, tzinfo=MSK)
        self.calendar = WorkCalendar(year, year + 1)
        self.working = self.calendar.working
        self.days = [d for d in sorted(self.working | self.calendar.rest) if d.year == year]
        self.day_cum = list(accumulate(VOLUME[d.month - 1] * (1 if d in self.working else 0.4) for d in self.days))
        self.workdays = [d for d in self.days if d in self.working]
        self.places = ref.inhabited()
        self.place_cum = list(accumulate(m.population for m in self.places))
        total = self.place_cum[-1]
        self.pool = {m.oktmo: max(3, round(PERSONS_PER_YEAR * scale * m.population / total)) for m in self.places}
        self.persons: dict[tuple[str, int], people.Person] = {}
        self.sectors, self.sector_cum, self.category_cum = list(ref.sectors), {}, {}
        for month in range(12):
            sector_w = []
            for s in self.sectors:
                regular = [c for c in ref.sector_categories(s) if not c.is_other_bucket]
                factors = [SEASONS.get(c.code, (1.0,) * 12)[month] for c in regular]
                self.category_cum[s, month] = (regular, list(accumulate(factors)))
                sector_w.append(SECTOR_WEIGHTS.get(s, 5) * sum(factors) / max(1, len(factors)))
            self.sector_cum[month] = list(accumulate(sector_w))
        self.channels = [c for c in CHANNELS if c in ref.channels]
        self.channel_cum = list(accumulate(CHANNELS[c].share for c in self.channels))

    def after(self, t: datetime, lo: float, hi: float) -> datetime:
        return t + timedelta(seconds=self.rng.randint(int(lo), int(hi)))

    def work(self, t: datetime) -> datetime:
        """Staff act in office hours: a moment outside them moves to a working morning."""
        d = t.date()
        if d in self.working and 9 <= t.hour < 18:
            return t
        if not (d in self.working and t.hour < 9):
            d = self.calendar.next_working(d + DAY)
        morning = datetime(d.year, d.month, d.day, 9, tzinfo=MSK)
        return morning + timedelta(seconds=self.rng.randint(0, 4 * 3600))

    def received_at(self, channel: str, day: date | None = None) -> datetime:
        """Mostly office hours, also evenings and weekends; phone lines and reception keep office hours."""
        rng = self.rng
        if channel == "hotline" and rng.random() < 0.9:
            d = self.calendar.next_working(day) if day else rng.choice(self.workdays)
            hour = rng.uniform(9, 18)
        else:
            d = day or rng.choices(self.days, cum_weights=self.day_cum)[0]
            r = rng.random()
            hour = (
                rng.uniform(9, 23)
                if d not in self.working
                else rng.uniform(9, 18)
                if r < 0.72
                else rng.uniform(18, 23)
                if r < 0.92
                else rng.uniform(6, 9)
            )
        return datetime(d.year, d.month, d.day, tzinfo=MSK) + timedelta(seconds=int(hour * 3600))

    def category(self, month: int) -> Category:
        sector = self.rng.choices(self.sectors, cum_weights=self.sector_cum[month - 1])[0]
        bucket = [c for c in self.ref.sector_categories(sector) if c.is_other_bucket]
        regular, cum = self.category_cum[sector, month - 1]
        if bucket and (not regular or self.rng.random() < BUCKET_SHARE):
            return bucket[0]
        return self.rng.choices(regular, cum_weights=cum)[0]

    def person(self, muni: Municipality) -> people.Person:
        size = self.pool[muni.oktmo]
        # A few residents write again and again: 8 % of appeals come from the first 2 % of the pool.
        idx = self.rng.randrange(max(1, size // 50)) if self.rng.random() < 0.08 else self.rng.randrange(size)
        if (muni.oktmo, idx) not in self.persons:
            self.persons[muni.oktmo, idx] = people.make_person(self.rng, len(self.persons) + 1, muni)
        return self.persons[muni.oktmo, idx]

    def appeal(
        self,
        channel: str,
        category: Category,
        received: datetime,
        person: people.Person,
        muni: Municipality,
        repeat_of: Appeal | None = None,
        forced: bool = False,
    ) -> Appeal:
        rng, plan = self.rng, CHANNELS[channel]
        regime = "fz59" if rng.random() < plan.fz59_share else "message"
        if repeat_of is not None:  # the same problem at the same place, told again
            address, location, theme = repeat_of.address, repeat_of.location, repeat_of.theme
        else:
            topics = texts.topics_of(category.sector_code) or ["Прочее"]
            theme = rng.choice(topics).capitalize() if category.is_other_bucket else None
            own = rng.random() < 0.7  # mostly about one's own home, otherwise a place in the same settlement
            address = person.address if own else people.street_address(rng, muni, with_flat=False)
            location = person.location if own else people.near(rng, muni)
            address = None if channel == "incident" and rng.random() < 0.4 else address
        # Only map-based channels know coordinates: the portal nearly always, ПОС and social posts sometimes.
        geo = {"pos": 0.6, "portal": 0.95, "incident": 0.3}.get(channel, 0)
        location = location if rng.random() < geo else None
        author = people.author_object(rng, person, channel)
        second = None
        if rng.random() < SECOND_PROBLEM_SHARE:
            other = rng.choice(list(self.ref.categories.values()))
            second = (other.code, other.sector_code)
        text = texts.compose(
            rng,
            channel,
            category.code,
            category.sector_code,
            theme and theme.lower(),
            address or people.settlement_name(muni),
            repeat_of is not None,
            people.signature(rng, person, author.get("phone")),
            second,
        )
        attrs = people.channel_attrs(rng, channel, category, person, repeat_of is not None)
        if theme:
            attrs["theme"] = theme
        form, rubric = rubrics.choose(rng, channel, category.code, forced)
        ap = Appeal(
            plan.source,
            channel,
            regime,
            category.sector_code,
            category.code,
            muni.oktmo,
            person,
            author,
            address,
            location,
            text,
            attrs,
            received,
            theme,
            repeat_of,
            form,
            rubric,
        )
        self.lifecycle(ap)
        return ap

    def category_field(self, ap: Appeal) -> dict | None:
        """The received event's `category`: warehouse terms, a foreign rubric, or nothing."""
        if ap.stated == "code":
            return self.ref.category_object(ap.category_code)
        s = rubrics.stated(self.ref, ap.stated, ap.rubric, ap.category_code, ap.category_code)
        return {"name": s.name, "parent_name": s.parent} if s.name else None

    def lifecycle(self, ap: Appeal) -> None:
        rng, ref, plan, t0 = self.rng, self.ref, CHANNELS[ap.channel], ap.received_at
        # ПОС and the portal state their own deadline: 30 days, and about 10 working days.
        due = {"pos": t0 + 30 * DAY, "portal": self.calendar.add_working_days(t0, 10)}.get(ap.channel)
        fields = {
            "legal_regime": ap.legal_regime,
            "category": self.category_field(ap),
            "municipality": ref.municipality_object(ap.oktmo),
            "text": ap.text,
            "author": ap.author,
            "address": ap.address,
            "attrs": ap.attrs,
            "due_at": due,
            "location": ap.location and {"lat": ap.location[0], "lon": ap.location[1]},
        }
        events = [SimEvent("received", t0, {k: v for k, v in fields.items() if v is not None})]
        ap.events = events
        if rng.random() < 0.03:  # spam, moderation refusal, duplicate: nothing follows
            reason = rng.choice(("spam", "duplicate", "moderation"))
            moment = self.work(self.after(t0, 1800, 2 * 86400))
            events.append(SimEvent("rejected", moment, {"attrs": {"reason": reason}}))
            return
        fz59, t = ap.legal_regime == "fz59", t0
        if fz59:  # 59-ФЗ: registration within three days
            t = self.work(self.after(t0, 600, 3 * 86400))
            events.append(SimEvent("registered", t, {"legal_regime": "fz59"}))
        elif ap.channel not in ("incident", "portal") or rng.random() >= 0.4:
            t = self.after(t0, 180, 5400)
            events.append(SimEvent("registered", t))
        # The deadline the answer is measured against: 30 days from registration under 59-ФЗ, 30 days for a
        # ПОС message, the portal's own date, else about 10 working days (14 calendar days).
        deadline = t + 30 * DAY if fz59 else t0 + 30 * DAY if ap.channel == "pos" else due or t0 + 14 * DAY
        t = self.work(self.after(t, 600, (2 * 86400) if fz59 else 20 * 3600))
        pairs = ref.agency_weights(ap.sector_code, ap.category_code, ap.oktmo)
        agency = rng.choices([c for c, _ in pairs], [w for _, w in pairs])[0]
        events.append(SimEvent("assigned", t, {"agency": ref.agency_object(agency)}))
        steps: list[SimEvent] = []
        category = ref.categories[ap.category_code]
        if rng.random() < 0.10:
            others = [c for c in ref.sector_categories(ap.sector_code) if c.code != ap.category_code]
            if others:
                category = rng.choice(others)
                fix = {"category": ref.category_object(category.code)}
                steps.append(SimEvent("categorized", self.work(self.after(t, 3600, 2 * 86400)), fix))
        if rng.random() < 0.08:  # by competence, within the 7 days of 59-ФЗ
            others = [c for c, _ in pairs if c != agency] or [
                a.code for a in ref.agencies.values() if a.kind == "regional_body" and a.code != agency
            ]
            moved = {"agency": ref.agency_object(rng.choice(others))}
            if rng.random() < 0.2:
                deadline += rng.randint(5, 20) * DAY
                moved["due_at"] = deadline
            first = self.work(self.after(t, 7200, 5 * 86400))
            steps.append(SimEvent("redirected", first, moved))
            if rng.random() < 0.15:  # and back: the first agency was right after all
                back = self.work(self.after(first, 86400, 4 * 86400))
                steps.append(SimEvent("redirected", back, {"agency": ref.agency_object(agency)}))
        steps.sort(key=lambda e: e.occurred_at)
        last = t
        for e in steps:  # strictly after one another, however the office hours moved them
            e.occurred_at = max(e.occurred_at, last + timedelta(minutes=5))
            last = e.occurred_at
        if fz59 and rng.random() < 0.04:
            notice = self.work(deadline - timedelta(seconds=rng.randint(86400, 6 * 86400)))
            last = max(notice, last + timedelta(minutes=10))
            deadline += 30 * DAY
            steps.append(SimEvent("deadline_extended", last, {"due_at": deadline}))
        outcome = rng.random()  # below 0.01: never answered at all
        if 0.01 <= outcome < 0.06:  # withdrawn by the author, or an informational post that needs no answer
            informational = ap.attrs.get("incident_type") == "Информационный"
            steps.append(
                SimEvent(
                    "closed",
                    self.after(last, 86400, 10 * 86400),
                    {"attrs": {"reason": "informational" if informational else "withdrawn"}},
                )
            )
        elif outcome >= 0.06:
            self.answer(ap, plan, category, steps, last, deadline)
        events.extend(steps)
        ap.events = [e for e in events if e.occurred_at <= self.data_end]  # the extraction sees no future

    def answer(
        self,
        ap: Appeal,
        plan: ChannelPlan,
        category: Category,
        steps: list[SimEvent],
        last: datetime,
        deadline: datetime,
    ) -> None:
        rng = self.rng
        if rng.random() < 0.09:  # late; office hours and redirects push a few more past the deadline
            t_ans = self.after(deadline, 7200, 12 * 86400)
        else:
            lo, hi = (0.05, 0.35) if ap.attrs.get("fast_track") else (0.15, 0.85)
            t_ans = last + timedelta(seconds=int((deadline - last).total_seconds() * rng.uniform(lo, hi)))
        t_ans = max(self.work(t_ans), last + timedelta(minutes=30))
        if rng.random() < 0.24 and t_ans - last > timedelta(hours=4):
            t_int = self.work(last + (t_ans - last) * rng.uniform(0.3, 0.7)).replace(microsecond=0)
            if last < t_int < t_ans:
                text = "Ваше обращение находится на рассмотрении, запрошена информация у исполнителя."
                steps.append(SimEvent("interim_answer", t_int, {"answer_text": text}))
        steps.append(self.answered(t_ans, category))
        final, returned = t_ans, rng.random() < 0.05
        if returned:  # the citizen sends the answer back; a second answer follows
            t_ret = self.after(t_ans, 3600, 10 * 86400)
            steps.append(SimEvent("returned", t_ret, {"text": "Ответ не устраивает, проблема не решена."}))
            final = self.work(self.after(t_ret, 2 * 86400, 20 * 86400))
            steps.append(self.answered(final, category))
        if rng.random() < plan.rated_share:
            rating = (
                rng.choice((1, 1, 2))
                if returned and rng.random() < 0.8
                else rng.choices(tuple(RATINGS), tuple(RATINGS.values()))[0]
            )
            final = self.after(final, 600, 5 * 86400)
            steps.append(SimEvent("rated", final, {"rating": rating}))
        if rng.random() < plan.closed_share:
            steps.append(SimEvent("closed", self.after(final, 3600, 7 * 86400)))

    def answered(self, moment: datetime, category: Category) -> SimEvent:
        result = self.rng.choices(tuple(RESULTS), tuple(RESULTS.values()))[0]
        return SimEvent(
            "answered", moment, {"result": result, "answer_text": people.answer_text(self.rng, result, category)}
        )


def build_world(year: int = 2025, seed: int = 20251, scale: float = 1.0, rng: random.Random | None = None) -> World:
    """The same (year, seed, scale) always gives the same world; pass `rng` to continue one stream."""
    rng = rng or random.Random(seed)
    ref = load_reference()
    b = _Builder(ref, year, scale, rng)
    forced = list(ref.categories.values())  # the first appeals cover every category and channel at any scale
    total = max(round(APPEALS_PER_YEAR * scale), len(forced) + len(b.channels))
    repeats = round(total * REPEAT_SHARE)
    base: list[Appeal] = []
    for i in range(total - repeats):
        channel = (
            b.channels[i % len(b.channels)]
            if i < len(forced)
            else rng.choices(b.channels, cum_weights=b.channel_cum)[0]
        )
        received = b.received_at(channel)
        category = forced[i] if i < len(forced) else b.category(received.month)
        muni = rng.choices(b.places, cum_weights=b.place_cum)[0]
        base.append(b.appeal(channel, category, received, b.person(muni), muni, forced=i < len(forced)))
    extra: list[Appeal] = []
    for _ in range(50 * repeats):  # bounded: a draw that falls into the next year is drawn again
        if len(extra) == repeats:
            break
        first = rng.choice(base)
        same = rng.random() < 0.7
        channel = first.channel if same else rng.choices(b.channels, cum_weights=b.channel_cum)[0]
        received = b.received_at(channel, first.received_at.date() + rng.randint(1, 25) * DAY)
        if received.year != year:
            continue
        extra.append(
            b.appeal(
                channel,
                ref.categories[first.category_code],
                received,
                first.person,
                ref.municipalities[first.oktmo],
                repeat_of=first,
            )
        )
    appeals = sorted(base + extra, key=lambda a: a.received_at)
    counters: dict[str, int] = {}
    for ap in appeals:  # ids follow receipt order within each source
        counters[ap.source] = counters.get(ap.source, 0) + 1
        ap.appeal_id = f"{CHANNELS[ap.channel].id_prefix}-{year}-{counters[ap.source]:06d}"
    return World(year, seed, scale, b.data_end, ref, appeals)
