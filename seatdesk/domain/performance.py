"""The department counters' rates and score, from counts (pure: no database).

The counts come from one SQL aggregate (``seatdesk.services.stats_departments``); this
module says what each rate divides by, once. The definitions (the README's "Statistics:
the department counters"):

- 应处置数 ``dispatched``: handlings dispatched to the department within the period
  (a case once however often reworked), less those whose return (回退) was approved
  by the end of the period;
- 处置数 ``handled``: of those, reported handled by the end of the period;
- 按期处置数 ``handled_on_time``: handled, and every handling no later than the
  deadline then in force; 超期处置数 = 处置数 − 按期处置数;
- 超期待处置数 ``overdue_open``: not handled by the end of the period and past the
  deadline then (a postponed case's clock is stopped: not overdue);
- 返工数, 延期数, 缓办数: rework actions, approved extensions, approved postponements;
- 按期处置率 = 按期处置数 / 应处置数, 处置率 = 处置数 / 应处置数, 返工率 = 返工数 / 处置数,
  延期率 = 延期数 / 应处置数, 超期待处置率 = 超期待处置数 / 应处置数;
- 结案率 = 结案数 / 立案数 and 按期结案率 = 按期结案数 / 立案数, over the cases registered
  within the period (按期结案: closed, and its handling on time).

Every rate is None when its denominator is 0. With ``exclude_postponed`` the postponed
cases (an approved 缓办) leave the denominators and, so that no rate passes 1, their own
contributions leave the numerators too.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from seatdesk.domain.statistics import StatsSettings


@dataclass(frozen=True, slots=True)
class DepartmentCounts:
    """One department's counts for a period. ``postponed_*`` count the same things among
    the postponed cases only (what ``exclude_postponed`` takes out)."""

    dispatched: int = 0  # 应处置数
    handled: int = 0  # 处置数
    handled_on_time: int = 0  # 按期处置数
    overdue_open: int = 0  # 超期待处置数
    returned: int = 0  # 回退数
    reworked: int = 0  # 返工数
    extensions: int = 0  # 延期数
    postponements: int = 0  # 缓办数
    registered: int = 0  # 立案数 (cases registered within the period)
    closed: int = 0  # 结案数
    closed_on_time: int = 0  # 按期结案数
    postponed_cases: int = 0
    postponed_handled: int = 0
    postponed_on_time: int = 0
    postponed_overdue_open: int = 0
    postponed_reworked: int = 0
    postponed_extensions: int = 0

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ValueError(f"{f.name} cannot be negative")

    @property
    def handled_late(self) -> int:
        """超期处置数 = 处置数 − 按期处置数."""
        return self.handled - self.handled_on_time

    def without_postponed(self) -> DepartmentCounts:
        """The counts with the postponed cases left out (``exclude_postponed``)."""
        return DepartmentCounts(
            dispatched=self.dispatched - self.postponed_cases,
            handled=self.handled - self.postponed_handled,
            handled_on_time=self.handled_on_time - self.postponed_on_time,
            overdue_open=self.overdue_open - self.postponed_overdue_open,
            returned=self.returned,
            reworked=self.reworked - self.postponed_reworked,
            extensions=self.extensions - self.postponed_extensions,
            postponements=self.postponements,
            registered=self.registered,
            closed=self.closed,
            closed_on_time=self.closed_on_time,
        )


@dataclass(frozen=True, slots=True)
class DepartmentRates:
    """The rates, each None when its denominator is 0."""

    handling_rate: float | None  # 处置率 = 处置数 / 应处置数
    on_time_rate: float | None  # 按期处置率 = 按期处置数 / 应处置数
    rework_rate: float | None  # 返工率 = 返工数 / 处置数
    extension_rate: float | None  # 延期率 = 延期数 / 应处置数
    overdue_open_rate: float | None  # 超期待处置率 = 超期待处置数 / 应处置数
    closure_rate: float | None  # 结案率 = 结案数 / 立案数
    on_time_closure_rate: float | None  # 按期结案率 = 按期结案数 / 立案数


def ratio(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator``, None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def rates(counts: DepartmentCounts, settings: StatsSettings | None = None) -> DepartmentRates:
    """The rates of ``counts`` (postponed cases left out when the settings say so)."""
    settings = settings or StatsSettings()
    c = counts.without_postponed() if settings.exclude_postponed else counts
    return DepartmentRates(
        handling_rate=ratio(c.handled, c.dispatched),
        on_time_rate=ratio(c.handled_on_time, c.dispatched),
        rework_rate=ratio(c.reworked, c.handled),
        extension_rate=ratio(c.extensions, c.dispatched),
        overdue_open_rate=ratio(c.overdue_open, c.dispatched),
        closure_rate=ratio(c.closed, c.registered),
        on_time_closure_rate=ratio(c.closed_on_time, c.registered),
    )


def score(r: DepartmentRates, settings: StatsSettings | None = None) -> float | None:
    """The department score: 处置率×w1 + 按期处置率×w2 + (1−返工率)×w3
    + (1−超期待处置率)×w4 + (1−延期率)×w5 (default weights 30, 20, 20, 20, 10, so 100 at
    best). None when the department had nothing to handle; a rework rate of a department
    that handled nothing counts as 0 (nothing was sent back)."""
    s = settings or StatsSettings()
    if r.handling_rate is None or r.on_time_rate is None:
        return None
    overdue = r.overdue_open_rate or 0.0
    extension = r.extension_rate or 0.0
    rework = min(1.0, r.rework_rate or 0.0)
    return (
        r.handling_rate * s.score_handling_rate
        + r.on_time_rate * s.score_on_time_rate
        + (1 - rework) * s.score_rework
        + (1 - overdue) * s.score_overdue_open
        + (1 - min(1.0, extension)) * s.score_extension
    )
