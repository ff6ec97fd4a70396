"""Stage clocks of cases: starting them, extending and pausing them, recomputing them
when the calendar changes, and the sweep that flags cases near or past their deadline.

The working-time arithmetic is pure (``seatdesk.domain.deadlines``), the reference and
the preview the dialogs show; the database holds the same arithmetic in SQL (migration
0006: ``seatdesk_add_working`` and friends over the materialised ``working_periods``)
and recomputes open deadlines itself when the calendar changes. The status rule itself
(normal / warning / overdue from ``warning_at`` and ``stage_deadline``) is one SQL
function, ``seatdesk_deadline_status``, used by the sweep and by every transition alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seatdesk.db.models import (
    CalendarDay,
    CalendarYear,
    CentreSetting,
    FilingCondition,
    TimeLimit,
)
from seatdesk.domain.calendar import OfficeHours, WorkCalendar
from seatdesk.domain.deadlines import StageClock, WarningPolicy
from seatdesk.domain.glossary import Stage, TimeUnit, Urgency
from seatdesk.errors import Problem
from seatdesk.progress import NoProgress, Progress
from seatdesk.services.common import CaseId, ChangeSet


@dataclass(frozen=True, slots=True)
class DeadlineRules:
    """Everything a clock needs from the database, read once per operation."""

    calendar: WorkCalendar
    policy: WarningPolicy
    max_extensions: int


def _settings(session: Session) -> dict[str, Any]:
    return dict(session.execute(select(CentreSetting.key, CentreSetting.value)).all())


#: The centre's time zone when the database names none (migration 0006 seeds it).
DEFAULT_TIMEZONE = "Asia/Shanghai"


def load_calendar(session: Session) -> WorkCalendar:
    """The calendar as the database holds it, in the centre's own time zone (the
    ``timezone`` setting, never the session's, so Python and SQL agree)."""
    settings = _settings(session)
    office = settings.get("office_hours")
    days = dict(session.execute(select(CalendarDay.day, CalendarDay.working)).all())
    years = frozenset(session.execute(select(CalendarYear.year)).scalars().all())
    return WorkCalendar(
        tz=ZoneInfo(str(settings.get("timezone") or DEFAULT_TIMEZONE)),
        office_hours=OfficeHours.from_json(office) if office else OfficeHours(),
        days=days,
        entered_years=years,
    )


def load_rules(session: Session) -> DeadlineRules:
    settings = _settings(session)
    return DeadlineRules(
        calendar=load_calendar(session),
        policy=WarningPolicy(
            share=Decimal(str(settings.get("warning_share", "0.8"))),
            remainder_minutes=int(settings.get("warning_remainder_minutes", 0)),
        ),
        max_extensions=int(settings.get("max_extensions", 2)),
    )


def stage_limit(
    session: Session, stage: Stage, urgency: Urgency, filing_condition_id: int | None
) -> tuple[Decimal, TimeUnit]:
    """The limit of a stage: the filing condition's for handling, the centre's otherwise."""
    if stage is Stage.HANDLING:
        if filing_condition_id is None:
            raise Problem("no_handling_limit")
        condition = session.execute(
            select(FilingCondition.limit_amount, FilingCondition.limit_unit).where(
                FilingCondition.id == filing_condition_id
            )
        ).one()
        return Decimal(condition.limit_amount), TimeUnit(condition.limit_unit)
    row = session.execute(
        select(TimeLimit.amount, TimeLimit.unit).where(
            TimeLimit.stage == stage.value, TimeLimit.urgency == urgency.value
        )
    ).one_or_none()
    if row is None:
        raise Problem("no_stage_limit", stage=stage, urgency=urgency)
    return Decimal(row.amount), TimeUnit(row.unit)


def clock_columns(clock: StageClock | None, rules: DeadlineRules | None) -> dict[str, Any]:
    """The columns of ``cases`` that hold a clock (all NULL without one)."""
    if clock is None or rules is None:
        return {
            "stage_limit_unit": None,
            "stage_limit_minutes": None,
            "clock_start": None,
            "allowance_minutes": None,
            "stage_deadline": None,
            "warning_at": None,
            "deadline_status": "normal",
        }
    due = clock.due(rules.calendar)
    warning = clock.warning_at(rules.calendar, rules.policy)
    return {
        "stage_limit_unit": clock.unit.value,
        "stage_limit_minutes": clock.limit_minutes,
        "clock_start": clock.clock_start,
        "allowance_minutes": clock.allowance_minutes,
        "stage_deadline": due,
        "warning_at": warning,
        "deadline_status": func.seatdesk_deadline_status(func.now(), due, warning),
    }


def clock_of(row: Any) -> StageClock | None:
    """The clock stored on a case row (needs the clock columns and extension_count)."""
    if row.stage_limit_unit is None or row.clock_start is None:
        return None
    return StageClock(
        unit=TimeUnit(row.stage_limit_unit),
        limit_minutes=row.stage_limit_minutes,
        clock_start=row.clock_start,
        allowance_minutes=row.allowance_minutes,
        extensions=row.extension_count,
    )


def start_of_day(day: date, calendar: WorkCalendar) -> datetime:
    """Midnight of ``day`` in the centre's time zone (``seatdesk_start_of_day`` in SQL)."""
    return datetime.combine(day, time(0, 0), tzinfo=calendar.tz)


# ---- The sweep


def sweep(session: Session) -> int:
    """Flag every open case whose deadline status changed; -1 if another workstation is
    sweeping at this moment (it does the work, nothing is flagged twice)."""
    return int(session.execute(select(func.seatdesk_sweep_deadlines())).scalar_one())


def sweep_at(session: Session, now: datetime) -> int:
    """The sweep as of ``now`` (the owner's tool for tests and repairs)."""
    return int(session.execute(select(func.seatdesk_sweep_deadlines_at(now))).scalar_one())


# ---- Recomputing after a calendar change


def recompute_open_deadlines(
    session: Session, *, reason: str, progress: Progress | None = None
) -> ChangeSet:
    """Recompute the deadline of every open case with a working-time clock.

    One statement in the database (``seatdesk_recompute_open_deadlines``, admin only):
    the working time is SQL's, and each changed deadline is audited with the old and
    new value. The calendar functions call it themselves; this is for repairs.
    """
    progress = progress or NoProgress()
    progress.start(1)
    ids = session.execute(
        select(func.seatdesk_recompute_open_deadlines(reason))
    ).scalar_one()
    progress.advance()
    return changes_of(ids)


def changes_of(case_ids: list[int] | None) -> ChangeSet:
    """The ChangeSet of the case ids a recomputation returned."""
    return ChangeSet(case_ids=frozenset(CaseId(i) for i in case_ids or ()))


def missing_calendar_years(session: Session, today: date | None = None) -> list[int]:
    """This year and the next, where neither the package nor an administrator knows
    the holiday schedule: the app and the log warn about them."""
    calendar = load_calendar(session)
    today = today or session.execute(select(func.current_date())).scalar_one()
    return [y for y in (today.year, today.year + 1) if not calendar.knows(y)]
