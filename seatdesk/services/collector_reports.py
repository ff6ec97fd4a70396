"""What the collectors did: the coverage of the grids (巡查覆盖) and the weekly and
monthly collector reports (采集员周报/月报) as Excel.

Definitions (one set-based statement each, over a period [start, end)):

- a grid's *visits* are the collectors' reports located in it (cases of source
  ``collector`` created within the period, whoever typed them in) plus the verify and
  check tasks on its cases answered within the period;
- its *required* visits are ``ceil(visits_per_day × days)`` of its type's patrol
  density (a grid of no type is ``general``); it is *covered* when visits ≥ required;
- the grids are those active on the period's last day, each with the collector
  responsible for it at the period's end;
- a collector's *reports* are the intake's reports naming them (``intake_items``),
  *valid* those registered (立案) by the period's end; *tasks* the verify/check tasks
  sent to them within the period, *on time* those answered by the period's end and no
  later than the stage deadline in force when sent (as the statistics count them,
  ``stats_seats.collectors_table``); *coverage* the share of the grids they hold at the
  period's end that were covered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.domain.glossary import IntakeKind, Source
from seatdesk.domain.statistics import Column, ColumnKind, Month, StatTable
from seatdesk.progress import Cancelled, NoProgress, Progress
from seatdesk.services import workbooks
from seatdesk.services.collectors import DEFAULT_GRID_TYPE
from seatdesk.services.monthly_report import centre_timezone

K = ColumnKind
_WEEK = re.compile(r"^\s*(\d{4})-W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """A week (``2026-W48``, ISO: Monday to Sunday) or a month (``2026-11``), centre days."""

    label: str
    first_day: date
    end_day: date  # the day after the last

    @property
    def days(self) -> int:
        return (self.end_day - self.first_day).days

    @classmethod
    def week(cls, text_: str) -> ReportPeriod:
        """``2026-W48`` → that ISO week; ValueError names what is wrong."""
        match = _WEEK.match(text_)
        if not match:
            raise ValueError(f"not a week in the form YYYY-Www: {text_!r}")
        year, week = int(match[1]), int(match[2])
        try:
            first = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(f"not a week in the form YYYY-Www: {text_!r}") from None
        return cls(f"{year}-W{week:02d}", first, first + timedelta(days=7))

    @classmethod
    def month(cls, text_: str) -> ReportPeriod:
        """``2026-11`` → that month; ValueError names what is wrong."""
        m = Month.parse(text_)
        return cls(str(m), m.first_day, m.next().first_day)


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One grid's patrol over the period."""

    grid_code: str
    grid_name: str
    grid_type: str
    grid_type_name: str
    visits_per_day: Decimal
    required: int
    visits: int
    collector_id: str | None
    collector_name: str | None

    @property
    def covered(self) -> bool:
        return self.visits >= self.required


_COVERAGE_SQL = """
WITH g AS (
    SELECT gr.code, gr.name, coalesce(pt.grid_type, :default_type) AS grid_type
    FROM grids gr LEFT JOIN grid_patrol_types pt ON pt.grid_code = gr.code
    WHERE gr.start_date <= :on AND (gr.end_date IS NULL OR gr.end_date > :on)
), reports AS (
    SELECT c.grid_code, count(*) AS n FROM cases c
    WHERE c.source = :collector_source AND c.grid_code IS NOT NULL
      AND c.created_at >= :p_start AND c.created_at < :p_end
    GROUP BY c.grid_code
), tasks AS (
    SELECT c.grid_code, count(*) AS n
    FROM collector_tasks t JOIN cases c ON c.id = t.case_id
    WHERE t.answered_at >= :p_start AND t.answered_at < :p_end AND c.grid_code IS NOT NULL
    GROUP BY c.grid_code
), holder AS (
    -- Responsible at the period's end: at most one period of a grid contains an instant.
    SELECT b.grid_code, b.collector_id, k.name
    FROM collector_grids b JOIN collectors k ON k.collector_id = b.collector_id
    WHERE b.valid_from < :p_end AND (b.valid_to IS NULL OR b.valid_to >= :p_end)
), cover AS (
    SELECT g.code, g.name, g.grid_type, ty.name AS type_name, ty.visits_per_day,
           ceil(ty.visits_per_day * :days)::integer AS required,
           (coalesce(r.n, 0) + coalesce(k.n, 0))::integer AS visits,
           h.collector_id, h.name AS collector_name
    FROM g JOIN grid_types ty ON ty.code = g.grid_type
    LEFT JOIN reports r ON r.grid_code = g.code
    LEFT JOIN tasks k ON k.grid_code = g.code
    LEFT JOIN holder h ON h.grid_code = g.code
)
"""


def _params(start: datetime, end: datetime, on: date) -> dict[str, Any]:
    days = Decimal((end - start).total_seconds()) / Decimal(86400)
    return {"p_start": start, "p_end": end, "on": on, "days": days,
            "default_type": DEFAULT_GRID_TYPE, "collector_source": Source.COLLECTOR.value}


def coverage_between(session: Session, start: datetime, end: datetime,
                     on: date | None = None) -> list[CoverageRow]:
    """Every grid active on ``on`` (default: the day before ``end``) with its visits
    over [start, end): the uncovered first, then by code."""
    on = on or (end - timedelta(microseconds=1)).date()
    rows = session.execute(
        text(_COVERAGE_SQL + """
            SELECT code, name, grid_type, type_name, visits_per_day, required, visits,
                   collector_id, collector_name
            FROM cover ORDER BY visits >= required, code"""),
        _params(start, end, on),
    ).all()
    return [CoverageRow(r[0], r[1], r[2], r[3], Decimal(r[4]), int(r[5]), int(r[6]), r[7], r[8])
            for r in rows]


def coverage(session: Session, *, days: int, until: datetime | None = None) -> list[CoverageRow]:
    """The coverage of the last ``days`` days up to ``until`` (default: now)."""
    if not 1 <= days <= 366:
        from seatdesk.errors import ValidationError

        raise ValidationError("days", "out_of_range", value=days)
    end = until or session.execute(text("SELECT clock_timestamp()")).scalar_one()
    return coverage_between(session, end - timedelta(days=days), end)


def _bounds(session: Session, period: ReportPeriod) -> tuple[datetime, datetime]:
    tz = centre_timezone(session)
    return (datetime.combine(period.first_day, datetime.min.time(), tz),
            datetime.combine(period.end_day, datetime.min.time(), tz))


def collector_table(session: Session, period: ReportPeriod) -> StatTable:
    """"collector_report": one row per collector — registered, or named by a report or
    a task of the period — with reports, valid reports, tasks, tasks on time, the grids
    they hold at the period's end, those covered, and the coverage share."""
    start, end = _bounds(session, period)
    params = _params(start, end, period.end_day - timedelta(days=1))
    params["report"] = IntakeKind.REPORT.value
    sql = _COVERAGE_SQL + """
    , rep AS (
        SELECT i.collector, count(*) AS reports,
               count(*) FILTER (WHERE m.registered_at < :p_end) AS valid_reports
        FROM intake_items i LEFT JOIN case_milestones m ON m.case_id = i.case_id
        WHERE i.kind = :report AND i.at >= :p_start AND i.at < :p_end
          AND i.collector IS NOT NULL
        GROUP BY i.collector
    ), tsk AS (
        SELECT collector, count(*) AS tasks,
               count(*) FILTER (WHERE answered_at < :p_end
                                AND (deadline IS NULL OR answered_at <= deadline)) AS on_time
        FROM collector_tasks
        WHERE sent_at >= :p_start AND sent_at < :p_end AND collector IS NOT NULL
        GROUP BY collector
    ), cov AS (
        SELECT collector_id, count(*) AS grids,
               count(*) FILTER (WHERE visits >= required) AS covered
        FROM cover WHERE collector_id IS NOT NULL GROUP BY collector_id
    ), ids AS (
        SELECT collector_id AS id FROM collectors
        UNION SELECT collector FROM rep UNION SELECT collector FROM tsk
    )
    SELECT ids.id, k.name, coalesce(rep.reports, 0), coalesce(rep.valid_reports, 0),
           coalesce(tsk.tasks, 0), coalesce(tsk.on_time, 0), coalesce(cov.grids, 0),
           coalesce(cov.covered, 0),
           CASE WHEN cov.grids > 0 THEN cov.covered::float8 / cov.grids END
    FROM ids LEFT JOIN collectors k ON k.collector_id = ids.id
    LEFT JOIN rep ON rep.collector = ids.id
    LEFT JOIN tsk ON tsk.collector = ids.id
    LEFT JOIN cov ON cov.collector_id = ids.id
    ORDER BY ids.id
    """
    rows = session.execute(text(sql), params).all()
    columns = (
        Column("collector", K.TEXT), Column("collector_name", K.TEXT),
        Column("reports", K.COUNT), Column("valid_reports", K.COUNT),
        Column("collector_tasks", K.COUNT), Column("collector_tasks_on_time", K.COUNT),
        Column("collector_grids", K.COUNT), Column("collector_grids_covered", K.COUNT),
        Column("collector_coverage", K.RATE),
    )
    return StatTable("collector_report", columns, tuple(tuple(r) for r in rows))


def coverage_table(session: Session, period: ReportPeriod) -> StatTable:
    """"grid_coverage": each grid's required and actual visits over the period."""
    start, end = _bounds(session, period)
    rows = coverage_between(session, start, end, period.end_day - timedelta(days=1))
    columns = (
        Column("grid", K.CODE), Column("grid_name", K.TEXT), Column("grid_type", K.TEXT),
        Column("visits_required", K.COUNT), Column("visits", K.COUNT),
        Column("covered", K.TEXT), Column("collector", K.TEXT),
    )
    yes, no = messages.t("collectors.yes"), messages.t("collectors.no")
    return StatTable("grid_coverage", columns, tuple(
        (r.grid_code, r.grid_name, r.grid_type_name, r.required, r.visits,
         yes if r.covered else no, r.collector_id or "")
        for r in rows
    ))


def write_collector_report(
    session: Session, period: ReportPeriod, path: Path, progress: Progress | None = None
) -> Path:
    """The collectors' report of a week or a month as one workbook: the collectors'
    sheet and the grids' coverage sheet. Written whole or not at all."""
    progress = progress or NoProgress()
    progress.start(3)
    kind = "week" if "W" in period.label else "month"
    title = messages.t(f"collectors.report_title.{kind}", period=period.label)
    last = period.end_day - timedelta(days=1)
    description = messages.t("workbook.period", start=period.first_day.isoformat(),
                             end=last.isoformat())
    workbook = workbooks.new_workbook(title)
    progress.status(messages.t("collectors.progress.collectors"))
    workbooks.add_table_sheet(workbook, collector_table(session, period),
                              description=description, charts=())
    progress.advance()
    if progress.cancelled():
        raise Cancelled
    progress.status(messages.t("collectors.progress.coverage"))
    workbooks.add_table_sheet(workbook, coverage_table(session, period),
                              description=description, charts=())
    progress.advance()
    if progress.cancelled():
        raise Cancelled
    workbooks.save_workbook(workbook, path)
    progress.advance()
    return Path(path)
