"""The shape every statistic has, whoever computes it and whoever shows it.

A statistic is a ``StatTable``: named columns of known kinds and rows of plain values,
computed by one SQL aggregate in the database for a ``StatsFilter`` (a period and
optional filters). The inspector's dashboard, the Excel exports and the monthly report
read only this shape, so a new statistic is one function that returns a table and the
words for its title and headers (``seatdesk.messages``: ``stats.table.<key>`` and
``stats.col.<column key>``). Nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class ColumnKind(StrEnum):
    """How a column's values read and are formatted (an Excel number format each)."""

    TEXT = "text"  # a name
    CODE = "code"  # a code kept as text (grid, department, category)
    COUNT = "count"  # int
    RATE = "rate"  # float in 0..1, None when its denominator is 0 (shown as %)
    HOURS = "hours"  # float, working hours; None when nothing was measured
    SCORE = "score"  # float, a score or an index
    DATE = "date"  # datetime.date


@dataclass(frozen=True, slots=True)
class Column:
    """One column: ``key`` names its header (``stats.col.<key>``) and its meaning."""

    key: str
    kind: ColumnKind


@dataclass(frozen=True, slots=True)
class StatTable:
    """One statistic: its ``key`` names its title (``stats.table.<key>``).

    ``as_of`` is when the figures were true: None for a live query (they are true now),
    the time a summary table was last brought up to date otherwise (shown as its age).
    """

    key: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    as_of: datetime | None = None

    def index(self, column_key: str) -> int:
        """The position of a column (KeyError when the table has none of that name)."""
        for i, column in enumerate(self.columns):
            if column.key == column_key:
                return i
        raise KeyError(column_key)

    def values(self, column_key: str) -> list[Any]:
        """One column's values, in row order."""
        i = self.index(column_key)
        return [row[i] for row in self.rows]

    def as_dicts(self) -> Iterator[dict[str, Any]]:
        """Each row as {column key: value} (tests and the dashboard read it so)."""
        keys = [c.key for c in self.columns]
        for row in self.rows:
            yield dict(zip(keys, row, strict=True))


@dataclass(frozen=True, slots=True)
class StatsFilter:
    """Which cases a statistic counts: a period [start, end) and optional filters.

    The period is half-open, in the centre's time zone as given (aware datetimes).
    ``street`` is a 9-digit street code (county + street), ``community`` a 12-digit
    community code, as in the grid codes (GB/T 30428.1).
    """

    start: datetime
    end: datetime
    department: str | None = None
    category_id: int | None = None
    grid: str | None = None
    street: str | None = None
    community: str | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a statistics period needs aware datetimes")
        if self.end <= self.start:
            raise ValueError("a statistics period must end after it starts")

    def filters(self) -> Mapping[str, Any]:
        """The filters that are set, by name (for a workbook's description line)."""
        names = ("department", "category_id", "grid", "street", "community", "source")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}


@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month, as the monthly report names it (``2026-11``)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 2100:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2026-11`` → Month(2026, 11); ValueError names what is wrong."""
        try:
            year, month = (int(part) for part in text.strip().split("-"))
        except ValueError:
            raise ValueError(f"not a month in the form YYYY-MM: {text!r}") from None
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"



@dataclass(frozen=True, slots=True)
class StatsSettings:
    """How the centre counts, kept as one JSON object (centre setting ``statistics``).

    Every field has the default most cities use; a key missing from the stored object
    takes its default. Weights and coefficients are plain numbers.
    """

    #: Leave postponed (缓办) cases out of the rates' denominators, as some cities do.
    exclude_postponed: bool = False
    # The department score: 处置率×30 + 按期处置率×20 + (1−返工率)×20
    # + (1−超期待处置率)×20 + (1−延期率)×10.
    score_handling_rate: float = 30.0
    score_on_time_rate: float = 20.0
    score_rework: float = 20.0
    score_overdue_open: float = 20.0
    score_extension: float = 10.0
    # 运行指数 S = 有效结案率 × 覆盖系数 × 校核系数 × 激励系数 (the bid document).
    index_coverage: float = 1.0
    index_check: float = 1.0
    index_incentive: float = 1.0
    # 效能指数 N = 0.6 × 结果指标 + 0.4 × 过程指标 (运行指数); the result indicator
    # weighs complaints and the change of the backlog (存量变化率).
    index_result_weight: float = 0.6
    index_process_weight: float = 0.4
    index_complaint_weight: float = 0.5
    index_backlog_weight: float = 0.5
    #: 随机回访抽查: the share of closed complaints drawn for a callback check.
    callback_sample_share: float = 0.1

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | None) -> StatsSettings:
        """The settings from the stored object; unknown keys are ignored (a newer
        version may have written them), missing ones take their defaults."""
        if not value:
            return cls()
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in value.items() if k in known})

    def to_json(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}
