"""An independent reading of the BI marts from the event files, in plain Python.

It starts from tests/oracle.py (the files parsed, each appeal's deadline) and adds what the marts count:
working time from `holidays` (09:00–17:00 on working days), the author and address identities as the
contract describes them, repeat chains, conflict situations. Nothing here reads the warehouse.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from tests.oracle import MSK, SEEDS, read_appeals, sector_map, working, working_days_between

DAY_START, DAY_END = time(9), time(17)
SUBSTANTIVE = {"supported", "measures_taken", "explained"}
WINDOW = timedelta(days=30)  # seed repeat_window
NEGATIVE = 2  # var negative_rating_max
REACTION_TARGET = Decimal(8)  # var reaction_target_working_hours: a public reaction within 8 working hours


def rounded(value, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def share(num: int, den: int) -> Decimal | None:
    return rounded(Decimal(num) / Decimal(den), 4) if den else None


def percentile(values, p: float):
    """PostgreSQL percentile_cont: linear interpolation between the sorted values."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    pos = p * (len(values) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return float(values[lo]) + (float(values[hi]) - float(values[lo])) * (pos - lo)


def working_seconds(start: datetime, end: datetime) -> float:
    """Seconds of working hours from start to end (both aware), by the production calendar."""
    a, b = start.astimezone(MSK), end.astimezone(MSK)
    total, day = 0.0, a.date()
    while day <= b.date():
        if working(day):
            lo = max(datetime.combine(day, DAY_START, MSK), a)
            hi = min(datetime.combine(day, DAY_END, MSK), b)
            total += max(0.0, (hi - lo).total_seconds())
        day += timedelta(days=1)
    return total


def normalized(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"[^0-9a-zа-я]+", " ", text.lower().replace("ё", "е")).strip()
    return text or None


def author_identity(author: dict | None) -> str | None:
    """Phone first (8XXXXXXXXXX read as 7XXXXXXXXXX), then e-mail, the source's id, the name."""
    if not author:
        return None
    digits = re.sub(r"\D", "", author.get("phone") or "")
    if re.fullmatch(r"8\d{10}", digits):
        digits = "7" + digits[1:]
    email = (author.get("email") or "").strip().lower()
    ident = (author.get("id") or "").strip()
    name = normalized(author.get("name"))
    for kind, value in (("phone", digits), ("email", email), ("id", ident), ("name", name)):
        if value:
            return f"{kind}:{value}"
    return None


def local_date(moment: datetime) -> date:
    return moment.astimezone(MSK).date()


def signed_working_days(start: date, end: date) -> int:
    return working_days_between(start, end) if end >= start else -working_days_between(end, start)


def fold(appeal, as_of: datetime, sectors: dict, decided: dict | None = None) -> dict:
    """One appeal as the marts see it (rejected ones are dropped by the caller)."""
    ev = appeal.ordered()
    base = appeal.fold(as_of, sectors, decided)
    by = defaultdict(list)
    for e in ev:
        by[e["event_type"]].append(e)
    last = lambda field: next((e[field] for e in reversed(ev) if e.get(field)), None)  # noqa: E731
    agency = last("agency")
    municipality = last("municipality")
    answers = [e["at"] for e in by["answered"]]
    interims = [e["at"] for e in by["interim_answer"]]
    reaction = min(answers[:1] + interims[:1]) if answers or interims else None
    results = [e.get("result") for e in by["answered"] if e.get("result")]
    closed = [e["at"] for e in by["closed"]]
    returns = [e["at"] for e in by["returned"]]
    closed_valid = bool(closed) and (not returns or max(closed) > max(returns))
    received = base["received"]
    is_open = not base["rejected"] and not base["is_answered"] and not closed_valid
    hours = rounded(Decimal(working_seconds(received, reaction)) / 3600, 2) if reaction else None
    timed = reaction is not None and reaction >= received
    # Without a reaction it is judged once the target hours have passed by the build's moment.
    waited = None if reaction else rounded(Decimal(working_seconds(received, as_of)) / 3600, 2)
    return {
        **base,
        "agency": agency["code"] if agency else None,
        "oktmo": municipality["oktmo"] if municipality else None,
        # The first event that names the author (or the address) decides, as the fold does.
        "author": next((i for i in (author_identity(e.get("author")) for e in ev) if i), None),
        "address": next((i for i in (normalized(e.get("address")) for e in ev) if i), None),
        "first_reaction_hours": hours,
        "reaction_minutes": rounded(Decimal((reaction - received).total_seconds()) / 60, 2) if timed else None,
        "reaction_judged": timed or (reaction is None and waited > REACTION_TARGET),
        "reacted_8h": timed and hours <= REACTION_TARGET,
        "resolution_days": working_days_between(local_date(received), local_date(max(answers)))
        if base["is_answered"]
        else None,
        "interim": bool(interims),
        "redirected": bool(by["redirected"]),
        "returned": bool(returns),
        "rated": base["rating"] is not None,
        "substantive": bool(answers) and bool(results) and results[-1] in SUBSTANTIVE,
        "open": is_open,
        "open_overdue": is_open and as_of > base["due"],
        "late": base["first_answer"] is not None and base["first_answer"] > base["due"],
        "repeat": False,
        "events": ev,
    }


def read(landing, damaged, as_of: datetime, decided: dict | None = None) -> dict[str, dict]:
    """Every appeal received and not rejected, keyed source/appeal_id, with its repeat flag; `decided`: the
    classifier's categories of the appeals no source code categorised (tests/oracle.classifier_decisions)."""
    sectors = sector_map()
    appeals = {
        a.source + "/" + a.appeal_id: fold(a, as_of, sectors, decided) for a in read_appeals(landing, damaged).values()
    }
    appeals = {k: a for k, a in appeals.items() if not a["rejected"]}
    for chain in repeat_chains(appeals):
        for key in chain["members"][1:]:
            appeals[key]["repeat"] = True
    return appeals


def repeat_chains(appeals: dict[str, dict]) -> list[dict]:
    groups = defaultdict(list)
    for key, a in appeals.items():
        for kind in ("author", "address"):
            if a[kind]:
                groups[(kind, a[kind], a["category"])].append((a["received"], key))
    chains = []
    for (kind, _, category), members in groups.items():
        members.sort()
        current = [members[0]]
        for item in members[1:]:
            if item[0] - current[-1][0] > WINDOW:
                chains.append((kind, category, current))
                current = []
            current.append(item)
        chains.append((kind, category, current))
    return [
        {"kind": kind, "category": category, "members": [k for _, k in chain]}
        for kind, category, chain in chains
        if len(chain) >= 2
    ]


def population() -> dict[str, int]:
    with open(SEEDS / "municipalities.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    own = {r["oktmo"]: int(r["population"]) for r in rows if r["population"]}
    for r in rows:
        if not r["population"]:
            own[r["oktmo"]] = sum(int(c["population"] or 0) for c in rows if c["parent_oktmo"] == r["oktmo"])
    return own


def cell_figures(members: list[dict], residents: int | None) -> dict:
    """Every indicator of mart_sector_kpi for one group of appeals, by the formulas in words (_kpis.md)."""
    n = len(members)
    count = lambda flag: sum(1 for a in members if a[flag])  # noqa: E731
    answered, on_time, rated = count("first_answer"), count("on_time"), count("rated")
    satisfied = sum(1 for a in members if a["satisfied"])
    return {
        "incoming": n,
        "answered": answered,
        "answered_on_time": on_time,
        "on_time_share": share(on_time, answered),
        "overdue_open": count("open_overdue"),
        "with_interim": count("interim"),
        "redirected": count("redirected"),
        "returned": count("returned"),
        "rated": rated,
        "satisfied": satisfied,
        "repeated": count("repeat"),
        "substantive": count("substantive"),
        "interim_share": share(count("interim"), n),
        "redirect_share": share(count("redirected"), n),
        "return_share": share(count("returned"), answered),
        "satisfaction_share": share(satisfied, rated),
        "rating_coverage": share(rated, answered),
        "repeat_share": share(count("repeat"), n),
        "completeness": share(answered, n),
        "substantive_share": share(count("substantive"), answered),
        "first_reaction_median_hours": percentile([a["first_reaction_hours"] for a in members], 0.5),
        "first_reaction_p90_hours": percentile([a["first_reaction_hours"] for a in members], 0.9),
        "resolution_median_days": percentile([a["resolution_days"] for a in members], 0.5),
        "resolution_p90_days": percentile([a["resolution_days"] for a in members], 0.9),
        "appeals_per_1000": rounded(Decimal(n * 1000) / Decimal(residents), 3) if residents else None,
        **reaction_figures(members),
    }


def reaction_figures(members: list[dict]) -> dict:
    """The reaction indicators: social-network incidents only (channel incident), by _kpis.md."""
    incidents = [a for a in members if a["channel"] == "incident"]
    judged = sum(1 for a in incidents if a["reaction_judged"])
    within = sum(1 for a in incidents if a["reacted_8h"])
    return {
        "reaction_judged": judged,
        "reacted_within_8h": within,
        "reaction_8h_share": share(within, judged),
        "reaction_median_minutes": percentile([a["reaction_minutes"] for a in incidents], 0.5),
    }


def conflicts(appeals: dict[str, dict]) -> Counter:
    """Conflict situations by reason code, counted from the events."""
    found: Counter = Counter()
    for a in appeals.values():
        returns = 0
        steps: list[str] = []
        for e in a["events"]:
            kind = e["event_type"]
            if kind == "rated" and e.get("rating") is not None and e["rating"] <= NEGATIVE:
                found["negative_rating"] += 1
                found["late_negative"] += a["late"]
            elif kind == "returned":
                returns += 1
                found["returned"] += 1
                found["repeated_return"] += returns > 1
            if kind in ("received", "assigned", "redirected") and (e.get("agency") or {}).get("name"):
                agency = e["agency"]["name"].lower()
                if kind == "redirected" and steps and agency != steps[-1] and agency in steps:
                    found["redirect_back"] += 1
                steps.append(agency)
    for chain in repeat_chains(appeals):
        if chain["kind"] != "author":
            continue
        for before, after in zip(chain["members"], chain["members"][1:]):
            answered = appeals[before]["first_answer"]
            found["repeat_after_answer"] += answered is not None and answered < appeals[after]["received"]
    return found
