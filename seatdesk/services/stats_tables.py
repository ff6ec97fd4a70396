"""Every statistic, listed once: what the inspector's dashboard, the statistics export
and the monthly report read, in the order they show it.

Each entry is one SQL aggregate for a ``StatsFilter`` (the modules ``stats_*``); this
module only chooses and orders them, so a new statistic is one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.domain.statistics import StatsFilter, StatTable
from seatdesk.progress import Cancelled, NoProgress, Progress
from seatdesk.services import (
    stats_breakdowns,
    stats_departments,
    stats_indices,
    stats_seats,
    workbooks,
)
from seatdesk.services.statistics import read_settings
from seatdesk.services.stats_filters import AreaLevel

#: A statistic: one SQL aggregate for a filter.
TableFunction = Callable[[Session, StatsFilter], StatTable]
#: Periods up to this long are drawn per day; longer ones per month.
TREND_BY_DAY_UP_TO = timedelta(days=62)


def trend(session: Session, f: StatsFilter) -> StatTable:
    """Reports, registrations and closures per day, or per month over a long period
    (the table ``trend_monthly`` then, so that a chart knows its categories)."""
    if f.end - f.start <= TREND_BY_DAY_UP_TO:
        return stats_breakdowns.trend_table(session, f, by="day")
    return replace(stats_breakdowns.trend_table(session, f, by="month"), key="trend_monthly")


def departments(session: Session, f: StatsFilter) -> StatTable:
    return stats_departments.department_table(session, f, read_settings(session))


def indices(session: Session, f: StatsFilter) -> StatTable:
    return stats_indices.indices_table(session, f, read_settings(session))


def hot_grids(session: Session, f: StatsFilter) -> StatTable:
    return stats_breakdowns.hot_grids(session, f)


def _area(level: AreaLevel) -> TableFunction:
    def table(session: Session, f: StatsFilter) -> StatTable:
        return stats_breakdowns.area_table(session, f, level)

    return table


def daily_trend(session: Session, f: StatsFilter) -> StatTable:
    """Reports, registrations and closures per day, however long the period (the
    dashboard draws days)."""
    return stats_breakdowns.trend_table(session, f, by="day")


#: What the dashboard shows, in the order it reads them.
DASHBOARD: tuple[TableFunction, ...] = (daily_trend, departments, hot_grids, indices)

#: Every statistic, in the order of an export's sheets and the report's detail sheets.
ALL: tuple[TableFunction, ...] = (
    departments,
    trend,
    stats_breakdowns.category_table,
    _area(AreaLevel.STREET),
    _area(AreaLevel.COMMUNITY),
    _area(AreaLevel.GRID),
    hot_grids,
    stats_breakdowns.source_table,
    stats_seats.acceptors_table,
    stats_seats.shift_leaders_table,
    stats_seats.dispatchers_table,
    stats_seats.users_table,
    stats_seats.collectors_table,
    indices,
)

#: The monthly report's detail sheets: every statistic but the indices, which its
#: summary sheet shows beside last month's.
REPORT: tuple[TableFunction, ...] = tuple(fn for fn in ALL if fn is not indices)


def dashboard_tables(session: Session, f: StatsFilter) -> list[StatTable]:
    """The dashboard's tables for a period and its filters."""
    return [fn(session, f) for fn in DASHBOARD]


def all_tables(
    session: Session, f: StatsFilter, progress: Progress | None = None
) -> list[StatTable]:
    """Every statistic for a period and its filters, one SQL aggregate each; Cancelled
    between two when ``progress`` asks."""
    progress = progress or NoProgress()
    tables = []
    for fn in ALL:
        if progress.cancelled():
            raise Cancelled
        tables.append(fn(session, f))
    return tables


def export_statistics(
    session: Session, f: StatsFilter, path: Path, progress: Progress | None = None
) -> Path:
    """Every statistic of the period as one workbook with its charts (the inspector's
    导出统计 and ``seatdesk stats export``)."""
    progress = progress or NoProgress()
    progress.status(messages.t("stats.reading"))
    tables = all_tables(session, f, progress)
    return workbooks.write_statistics(
        path, tables, title=messages.t("workbook.title"),
        description=workbooks.describe_filter(f), progress=progress,
    )
