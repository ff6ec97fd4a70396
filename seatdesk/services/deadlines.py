"""Stage clocks of cases: starting them, extending and pausing them, recomputing them
when the calendar changes, and the sweep that flags cases near or past their deadline.

The working-time arithmetic is pure (``seatdesk.domain.deadlines``); this module reads
its inputs from the database (calendar, office hours, limits, policy) and writes its
results back. The status rule itself (normal / warning / overdue from ``warning_at``
and ``stage_deadline``) is one SQL function, ``seatdesk_deadline_status``, used by the
sweep and by every transition alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from seatdesk.db.models import (
    CalendarDay,
    CalendarYear,
    Case,
    CentreSetting,
    FilingCondition,
    TimeLimit,
)
from seatdesk.domain.calendar import OfficeHours, WorkCalendar
from seatdesk.domain.deadlines import StageClock, WarningPolicy
from seatdesk.domain.glossary import FINAL_STATES, RECOMPUTE_ACTION, Stage, TimeUnit, Urgency
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


def load_calendar(session: Session) -> WorkCalendar:
    tz = session.execute(text("SHOW timezone")).scalar_one()
    settings = _settings(session)
    office = settings.get("office_hours")
    days = dict(session.execute(select(CalendarDay.day, CalendarDay.working)).all())
    years = frozenset(session.execute(select(CalendarYear.year)).scalars().all())
    return WorkCalendar(
        tz=ZoneInfo(str(tz)),
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
        raise Problem("no_stage_limit", stage=stage.zh, urgency=urgency.value)
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

    The arithmetic is Python's (the calendar is not in SQL); the reads and writes are
    bulk statements, and each changed deadline is audited with the old and new value.
    """
    progress = progress or NoProgress()
    rules = load_rules(session)
    final = [s.value for s in FINAL_STATES]
    rows = session.execute(
        select(
            Case.id,
            Case.state,
            Case.stage_deadline,
            Case.stage_limit_unit,
            Case.stage_limit_minutes,
            Case.clock_start,
            Case.allowance_minutes,
            Case.extension_count,
        ).where(
            Case.state.not_in(final),
            Case.stage_limit_unit.in_([TimeUnit.WORKING_HOURS.value, TimeUnit.WORKING_DAYS.value]),
        )
    ).all()
    progress.start(len(rows) + 1)
    changes: list[dict[str, Any]] = []
    for row in rows:
        clock = clock_of(row)
        assert clock is not None
        due = clock.due(rules.calendar)
        if due != row.stage_deadline:
            changes.append(
                {
                    "id": row.id,
                    "state": row.state,
                    "due": due,
                    "warn": clock.warning_at(rules.calendar, rules.policy),
                    "data": json.dumps(
                        {"from": row.stage_deadline.isoformat(), "to": due.isoformat(),
                         "reason": reason}
                    ),
                }
            )
        progress.advance()
    if changes:
        session.execute(
            text("""
                UPDATE cases c SET stage_deadline = v.due, warning_at = v.warn,
                       deadline_status = seatdesk_deadline_status(now(), v.due, v.warn),
                       updated_at = now()
                FROM (SELECT unnest(CAST(:ids AS bigint[])) AS id,
                             unnest(CAST(:dues AS timestamptz[])) AS due,
                             unnest(CAST(:warns AS timestamptz[])) AS warn) v
                WHERE c.id = v.id
            """),
            {
                "ids": [c["id"] for c in changes],
                "dues": [c["due"] for c in changes],
                "warns": [c["warn"] for c in changes],
            },
        )
        session.execute(
            text("""
                INSERT INTO case_events (case_id, action, from_state, to_state, note, data)
                SELECT v.id, :action, v.state, v.state, :reason, v.data::jsonb
                FROM (SELECT unnest(CAST(:ids AS bigint[])) AS id,
                             unnest(CAST(:states AS text[])) AS state,
                             unnest(CAST(:data AS text[])) AS data) v
            """),
            {
                "action": RECOMPUTE_ACTION,
                "reason": reason,
                "ids": [c["id"] for c in changes],
                "states": [c["state"] for c in changes],
                "data": [c["data"] for c in changes],
            },
        )
        session.execute(
            text("SELECT pg_notify('seatdesk_cases', :payload)"),
            {"payload": json.dumps({"action": RECOMPUTE_ACTION, "count": len(changes)})},
        )
    progress.advance()
    return ChangeSet(case_ids=frozenset(CaseId(c["id"]) for c in changes))


def missing_calendar_years(session: Session, today: date | None = None) -> list[int]:
    """This year and the next, where neither the package nor an administrator knows
    the holiday schedule: the app and the log warn about them."""
    calendar = load_calendar(session)
    today = today or session.execute(select(func.current_date())).scalar_one()
    return [y for y in (today.year, today.year + 1) if not calendar.knows(y)]
