"""The bid document's evaluation indices as pure formulas (no database).

运行指数 (operation index)   S = J × K × B1 × B2
    J  有效结案率: of the cases registered within the period, the share closed by its end
       (the denominator keeps open and overdue cases; postponed ones leave it when the
       centre says so);
    K  覆盖系数, B1 校核系数, B2 激励系数: coefficients the centre sets
       (``StatsSettings.index_coverage``, ``index_check``, ``index_incentive``; 1.0 each
       by default).

效能指数 (efficiency index)  N = w_r × R + w_p × S        (w_r = 0.6, w_p = 0.4)
    R  结果指标 = w_c × C + w_b × B                         (w_c = w_b = 0.5)
    C  投诉部分 = 1 − min(1, complaints received / cases reported), both within the
       period: 1.0 when nobody complained, 0 when there were as many complaints as
       reports;
    B  存量部分 = min(1, max(0, 1 − Δ)), Δ 存量变化率 = (backlog at the end − backlog at
       the start) / backlog at the start, the backlog being the registered cases not yet
       ended at that instant: a shrinking backlog scores 1, one that doubled scores 0;
       with no backlog at the start Δ is 0 if there is none at the end either, 1
       otherwise.

Every input that has no denominator makes the index None (nothing to judge), never 0
or 1. The 校核模型's rates are plain ratios (``ratio``); which inputs they read is in
``seatdesk.services.stats_indices``.
"""

from __future__ import annotations

from dataclasses import dataclass

from seatdesk.domain.statistics import StatsSettings


def ratio(part: int, whole: int) -> float | None:
    """part / whole, None when there is nothing to divide by."""
    if whole < 0 or part < 0:
        raise ValueError("counts are never negative")
    return part / whole if whole else None


def operation_index(effective_closure_rate: float | None, s: StatsSettings) -> float | None:
    """运行指数 S = 有效结案率 × 覆盖系数 × 校核系数 × 激励系数."""
    if effective_closure_rate is None:
        return None
    return effective_closure_rate * s.index_coverage * s.index_check * s.index_incentive


def backlog_change_rate(at_start: int, at_end: int) -> float:
    """存量变化率 Δ = (end − start) / start; from an empty backlog, 0 if it stayed empty,
    1 (it grew by all of itself) otherwise."""
    if at_start < 0 or at_end < 0:
        raise ValueError("a backlog is never negative")
    if at_start == 0:
        return 0.0 if at_end == 0 else 1.0
    return (at_end - at_start) / at_start


def complaint_part(complaints: int, reported: int) -> float | None:
    """投诉部分 C = 1 − min(1, complaints / reports); None with no report."""
    share = ratio(complaints, reported)
    return None if share is None else 1.0 - min(1.0, share)


def backlog_part(change_rate: float) -> float:
    """存量部分 B = min(1, max(0, 1 − Δ))."""
    return min(1.0, max(0.0, 1.0 - change_rate))


def result_indicator(
    complaints_part: float | None, backlog: float, s: StatsSettings
) -> float | None:
    """结果指标 R = w_c × C + w_b × B."""
    if complaints_part is None:
        return None
    return s.index_complaint_weight * complaints_part + s.index_backlog_weight * backlog


def efficiency_index(
    result: float | None, operation: float | None, s: StatsSettings
) -> float | None:
    """效能指数 N = w_r × 结果指标 + w_p × 过程指标 (the 运行指数)."""
    if result is None or operation is None:
        return None
    return s.index_result_weight * result + s.index_process_weight * operation


@dataclass(frozen=True, slots=True)
class IndexInputs:
    """The counts the indices are computed from, all for one period and filter."""

    registered: int  # 应结案数: registered within the period (less postponed if so set)
    closed_of_registered: int  # of those, closed by the period's end
    reported: int  # cases created within the period
    complaints: int  # complaints received within the period
    backlog_start: int  # registered cases not ended at the period's start
    backlog_end: int  # … at its end
    registered_all: int  # 漏报率's denominator: every case registered within the period
    registered_not_by_collectors: int  # of those, reported by anyone but a collector
    grids: int  # grids in force during the period
    grids_reported: int  # of those, grids with a collector's report within the period
    tasks_due: int  # verify and check tasks sent to collectors within the period
    tasks_on_time: int  # of those, answered no later than their deadline
    collector_decided: int  # collectors' reports the acceptor decided within the period
    collector_rejected: int  # of those, rejected (不予立案)


@dataclass(frozen=True, slots=True)
class Indices:
    """Every index of one period; None where its inputs have no denominator."""

    effective_closure_rate: float | None
    operation_index: float | None
    complaint_part: float | None
    backlog_change_rate: float
    result_indicator: float | None
    efficiency_index: float | None
    missed_report_rate: float | None
    coverage_rate: float | None
    timely_response_rate: float | None
    error_rate: float | None


def compute(i: IndexInputs, s: StatsSettings) -> Indices:
    """All the indices from their inputs (the formulas of this module)."""
    j = ratio(i.closed_of_registered, i.registered)
    op = operation_index(j, s)
    c = complaint_part(i.complaints, i.reported)
    delta = backlog_change_rate(i.backlog_start, i.backlog_end)
    r = result_indicator(c, backlog_part(delta), s)
    return Indices(
        effective_closure_rate=j,
        operation_index=op,
        complaint_part=c,
        backlog_change_rate=delta,
        result_indicator=r,
        efficiency_index=efficiency_index(r, op, s),
        missed_report_rate=ratio(i.registered_not_by_collectors, i.registered_all),
        coverage_rate=ratio(i.grids_reported, i.grids),
        timely_response_rate=ratio(i.tasks_on_time, i.tasks_due),
        error_rate=ratio(i.collector_rejected, i.collector_decided),
    )
