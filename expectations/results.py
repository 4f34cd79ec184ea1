"""What a validation found, in one shape for GX suites, reconciliations and freshness; and how to say it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

SAMPLE = 5  # values shown per failure


@dataclass(frozen=True)
class Failure:
    """One failed expectation or rule: what was expected, what was seen, and a few offending values."""

    rule: str  # expectation type or reconciliation rule
    expected: str  # the expectation's arguments or the rule, readable
    observed: Any = None
    column: str | None = None
    unexpected_count: int | None = None
    sample: tuple = ()
    note: str | None = None

    def line(self) -> str:
        """rule(column) [note]: expected …; observed … — the failure in one line."""
        what = f"{self.rule}({self.column})" if self.column else self.rule
        what += f" [{self.note}]" if self.note else ""
        seen = f"observed {_short(self.observed)}" if self.observed is not None else "observed nothing"
        if self.unexpected_count is not None:
            seen = f"{self.unexpected_count} unexpected" + (f", e.g. {_values(self.sample)}" if self.sample else "")
        return f"{what}: expected {self.expected}; {seen}"


@dataclass
class Outcome:
    """A finished validation of one relation (or one rule set) with its counts."""

    name: str
    kind: str  # expectations | reconciliation | freshness
    relation: str | None
    evaluated: int
    failures: list[Failure]
    started_at: datetime
    finished_at: datetime
    stats: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # the validation itself could not run
    failed_count: int | None = None  # when `failures` keeps only the first of many

    @property
    def success(self) -> bool:
        return not self.failures and self.error is None

    @property
    def failed(self) -> int:
        return len(self.failures) if self.failed_count is None else self.failed_count

    def message(self, limit: int = 3) -> str:
        """One paragraph for people: the check, its verdict and the first failures with observed values."""
        where = f" on {self.relation}" if self.relation else ""
        if self.error:
            return f"{self.name}{where}: could not validate: {self.error}"
        if self.success:
            return f"{self.name}{where}: all {self.evaluated} passed"
        head = f"{self.name}{where}: {self.failed} of {self.evaluated} failed"
        shown = self.failures[:limit]
        lines = [f.line() for f in shown]
        more = f"; and {self.failed - len(shown)} more" if self.failed > len(shown) else ""
        return f"{head}: " + "; ".join(lines) + more

    def markdown(self, limit: int = 30) -> str:
        """The failures as a table for the Dagster UI."""
        if self.error:
            return f"**Проверка не выполнена:** {_md(self.error)}"
        if self.success:
            return f"Все проверки пройдены ({self.evaluated})."
        rows = ["| правило | столбец | ожидалось | наблюдалось | примеры |", "|---|---|---|---|---|"]
        for f in self.failures[:limit]:
            seen = f"{f.unexpected_count} строк" if f.unexpected_count is not None else _short(f.observed)
            rule = f.rule + (f" — {f.note}" if f.note else "")
            rows.append(
                f"| {_md(rule)} | {_md(f.column or '')} | {_md(f.expected)} | {_md(seen)} | {_md(_values(f.sample))} |"
            )
        if self.failed > min(limit, len(self.failures)):
            rows.append(f"\n… и еще {self.failed - min(limit, len(self.failures))}")
        return "\n".join(rows)

    def failures_json(self) -> list[dict]:
        return [jsonable(asdict(f)) for f in self.failures]


def jsonable(value: Any) -> Any:
    """Values as JSON can hold them: dates as ISO text, decimals as numbers, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _short(value: Any, width: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(jsonable(value), ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _values(sample: tuple | list) -> str:
    return ", ".join(_short(v, 80) for v in list(sample)[:SAMPLE])


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
