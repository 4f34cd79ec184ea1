"""What happens to an appeal after it is received: registration, assignment, redirects, answers, ratings."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sources.sample import people, rubrics
from sources.sample.appeal import DAY, MSK, Appeal, SimEvent
from sources.sample.figures import RATINGS, RESULTS
from sources.sample.reference import CHANNELS, Category, ChannelPlan, Reference, WorkCalendar


class Lifecycle:
    """Draws each appeal's events from the world builder's random stream, in a fixed order."""

    def __init__(self, ref: Reference, calendar: WorkCalendar, data_end: datetime, rng: random.Random):
        self.ref, self.calendar, self.data_end, self.rng = ref, calendar, data_end, rng
        self.working = calendar.working

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

    def category_field(self, ap: Appeal) -> dict | None:
        """The received event's `category`: warehouse terms, a foreign rubric, or nothing."""
        if ap.stated == "code":
            return self.ref.category_object(ap.category_code)
        s = rubrics.stated(self.ref, ap.stated, ap.rubric, ap.category_code, ap.category_code)
        return {"name": s.name, "parent_name": s.parent} if s.name else None

    def draw(self, ap: Appeal) -> None:
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
