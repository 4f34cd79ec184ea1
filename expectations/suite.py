"""Suites as data: what a table must satisfy, written without importing Great Expectations.

A suite module says which relation it checks, which Dagster asset the check belongs to and whether a
failure blocks what is downstream, then lists its expectations with the helpers below. The runner
(expectations/runner.py) turns each `Expect` into the GX 1.x expectation of the same name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Now:
    """A moment relative to the validation time, resolved when the suite runs (dates «not in the future»)."""

    ahead: timedelta = timedelta(days=2)  # resolved to a date: at least one whole day ahead


@dataclass(frozen=True)
class Expect:
    """One GX expectation: its snake_case type (as in GX docs) and keyword arguments."""

    type: str
    kwargs: dict[str, Any]
    note: str | None = None  # what it means, for people reading a failure


@dataclass(frozen=True)
class FactTotals:
    """A mart's measures must add up to the same figures computed from a fact table, slice by slice.

    SQL texts may name other relations as {schema.table}: they are resolved to the same build's schemas.
    """

    fact: str  # relation, e.g. marts.fct_appeals
    slice: dict[str, str]  # mart column -> fact expression
    measures: dict[str, str]  # measure -> aggregate over the fact
    where: str = "true"  # which fact rows the mart counts
    mart_measures: dict[str, str] | None = None  # measure -> aggregate over the mart; default sum(<measure>)
    mart_where: str = "true"  # which mart rows hold the slice (e.g. one period kind of several)
    label: str = ""  # names this comparison when a suite has several

    def mart_measure(self, measure: str) -> str | None:
        return (self.mart_measures or {}).get(measure)


@dataclass(frozen=True)
class Suite:
    """What one relation must satisfy. `model` (a dbt model) or `asset` names the Dagster asset checked."""

    name: str
    relation: str  # schema.table as built without a schema suffix
    expectations: tuple[Expect, ...]
    model: str | None = None
    asset: tuple[str, ...] | None = None
    blocking: bool = False  # a failure stops downstream assets in the same run (exports)
    restricted: bool = False  # personal data: keep counts only, never sample values
    totals: FactTotals | tuple[FactTotals, ...] | None = None
    description: str = ""
    deps: tuple[str, ...] = field(default=())  # other dbt models the checks read
    where: str | None = None  # validate only these rows (a table several assets write: each checks its own)

    def __post_init__(self):
        if (self.model is None) == (self.asset is None):
            raise ValueError(f"suite {self.name}: give exactly one of model= or asset=")

    @property
    def rules(self) -> tuple[Expect, ...]:
        """What the suite checks: the rules the dbt model's YAML declares (stated there once), then its own."""
        return (*declared(self.model), *self.expectations) if self.model else self.expectations

    @property
    def totals_list(self) -> tuple[FactTotals, ...]:
        if self.totals is None:
            return ()
        return self.totals if isinstance(self.totals, tuple) else (self.totals,)

    @property
    def schema(self) -> str:
        return self.relation.split(".", 1)[0]

    @property
    def table(self) -> str:
        return self.relation.split(".", 1)[1]


def expect(gx_type: str, note: str | None = None, **kwargs: Any) -> Expect:
    return Expect(gx_type, kwargs, note)


def columns(types: dict[str, str]) -> list[Expect]:
    """Required columns, each of its PostgreSQL type (as GX reports it: TEXT, INTEGER, TIMESTAMP WITH TIME ZONE)."""
    found = [
        expect(
            "expect_table_columns_to_match_set",
            "обязательные столбцы на месте",
            column_set=list(types),
            exact_match=False,
        )
    ]
    return found + [
        expect("expect_column_values_to_be_of_type", f"тип {kind}", column=name, type_=kind.upper())
        for name, kind in types.items()
    ]


@cache
def declared(model: str) -> tuple[Expect, ...]:
    """The model's not_null, unique, unique_combination and accepted_values dbt tests as GX expectations: a rule
    a model's YAML states is checked by both dbt and GX, and written in one place."""
    from expectations.reference import declared_tests

    found: list[Expect] = []
    for test, names, values in declared_tests(model):
        if test == "not_null":
            found += not_null(*names)
        elif test == "unique":
            found.append(unique(*names))
        else:
            found.append(in_set(names[0], values, "значение из перечня модели"))
    return tuple(found)


def not_null(*names: str) -> list[Expect]:
    return [expect("expect_column_values_to_not_be_null", "обязательное значение", column=n) for n in names]


def unique(*names: str) -> Expect:
    """A key: one column unique, or a combination of columns unique."""
    if len(names) == 1:
        return expect("expect_column_values_to_be_unique", "ключ уникален", column=names[0])
    return expect("expect_compound_columns_to_be_unique", "ключ уникален", column_list=list(names))


def shares(*names: str) -> list[Expect]:
    """Shares (доли) lie within [0, 1]."""
    return [
        expect("expect_column_values_to_be_between", "доля в пределах [0, 1]", column=n, min_value=0, max_value=1)
        for n in names
    ]


def non_negative(*names: str) -> list[Expect]:
    return [expect("expect_column_values_to_be_between", "не отрицательно", column=n, min_value=0) for n in names]


def between(name: str, low: Any = None, high: Any = None, note: str | None = None) -> Expect:
    return expect("expect_column_values_to_be_between", note, column=name, min_value=low, max_value=high)


def dates(*names: str, ahead: timedelta = timedelta(days=2)) -> list[Expect]:
    """Moments that already happened are not in the future (validation time plus `ahead`). No lower bound:
    historical feeds are legitimate; how far back is plausible is a plausibility rule (expectations/plausibility.py),
    which flags instead of blocking."""
    return [
        expect("expect_column_values_to_be_between", "дата не в будущем", column=n, max_value=Now(ahead)) for n in names
    ]


def in_set(name: str, values: list[str] | tuple[str, ...], note: str | None = None) -> Expect:
    return expect(
        "expect_column_values_to_be_in_set", note or "значение из справочника", column=name, value_set=sorted(values)
    )


def at_most(smaller: str, larger: str) -> Expect:
    """A part never exceeds its whole (answered <= incoming); rows with a missing value are skipped."""
    return expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        f"{smaller} <= {larger}",
        column_A=larger,
        column_B=smaller,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    )


def no_rows(select: str, where: str, note: str) -> Expect:
    """Rows that must not exist, as SQL over the checked table ({batch}); `select` names what to show."""
    return expect(
        "unexpected_rows_expectation",
        note,
        unexpected_rows_query=f"select {select} from {{batch}} where {where}",
        description=note,
    )


def row_count(low: int = 1) -> Expect:
    return expect("expect_table_row_count_to_be_between", "таблица не пуста", min_value=low)


def sql_list(values: list[str] | tuple[str, ...]) -> str:
    """A SQL list of text literals for no_rows conditions: ('a', 'b')."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


# GX puts the checked rows in place of {batch} as "(select …) as subselect", unless the query says JOIN (then
# without an alias). Write BATCH with an alias of your own and join by commas: one form for every query.
BATCH = "(select * from {batch})"


def violations(query: str, note: str) -> Expect:
    """A whole query over BATCH (may join it to itself or group it) that must return no rows."""
    if re.search(r"\bjoin\b", query, re.IGNORECASE):
        raise ValueError(f"{note}: join with commas, not JOIN (GX would drop the alias of {{batch}})")
    return expect("unexpected_rows_expectation", note, unexpected_rows_query=query, description=note)


def same_as(column: str, formula: str, key: str, note: str) -> Expect:
    """A derived column equals its formula (null-safe): shares recomputed from counts, dates from moments."""
    return no_rows(f"{key}, {column}", f"{column} is distinct from ({formula})", note)


def pairs_in(columns_: tuple[str, str], pairs: list[tuple[str, str]], note: str) -> Expect:
    """Combinations of two columns come from a reference list (a category belongs to its sector)."""
    values = ", ".join("(" + ", ".join("'" + v.replace("'", "''") + "'" for v in pair) + ")" for pair in pairs)
    a, b = columns_
    return no_rows(f"{a}, {b}", f"{a} is not null and ({a}, {b}) not in ({values})", note)
