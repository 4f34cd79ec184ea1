"""The simulated year of НАО appeals: every appeal with its whole lifecycle kept as data.

Writers of each source format (appeal-event/1 here; ПОС and ИМ snapshots, Open311, СЭД elsewhere) read the
same world, so an appeal's state at any moment (`Appeal.state_at`, appeal.py) agrees across every format.
The appeals are drawn here; what happens to each after receipt is drawn in lifecycle.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from sources.sample import people, places, rubrics, texts
from sources.sample.appeal import DAY, MSK, Appeal
from sources.sample.figures import (
    APPEALS_PER_YEAR,
    BUCKET_SHARE,
    PERSONS_PER_YEAR,
    REPEAT_SHARE,
    SEASONS,
    SECOND_PROBLEM_SHARE,
    SECTOR_WEIGHTS,
    VOLUME,
)
from sources.sample.lifecycle import Lifecycle
from sources.sample.reference import CHANNELS, Category, Municipality, Reference, WorkCalendar, load_reference


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
        self.lifecycle = Lifecycle(ref, self.calendar, self.data_end, rng)
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
            address = person.address if own else places.street_address(rng, muni, with_flat=False)
            location = person.location if own else places.near(rng, muni)
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
            address or places.settlement_name(muni),
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
        self.lifecycle.draw(ap)
        return ap


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
