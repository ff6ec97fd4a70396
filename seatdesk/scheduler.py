"""The scheduled jobs: the deadline sweep every minute, last month's report on the
first of each month.

The jobs are plain functions of a session factory; ``add_jobs`` puts them on any
APScheduler scheduler, so the desktop app uses APScheduler's ``QtScheduler`` (jobs run
beside the Qt event loop, the work itself on APScheduler's thread pool) and
``seatdesk scheduler`` a ``BlockingScheduler`` on a headless server — without the core
importing Qt. Every workstation may run the sweep: the database skips the rows another
sweep (or any transaction) is changing at that moment, and flags are idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from seatdesk.errors import SeatdeskError
from seatdesk.services import deadlines

log = logging.getLogger(__name__)

SWEEP_JOB = "seatdesk.sweep"
MONTHLY_REPORT_JOB = "seatdesk.monthly_report"

#: Called with (session, first day of last month, last day of last month) on the first
#: of each month. The statistics module registers the report; others may listen too.
MonthlyHook = Callable[[Session, date, date], None]
_monthly_hooks: list[MonthlyHook] = []


def on_monthly_report(hook: MonthlyHook) -> MonthlyHook:
    """Register ``hook`` for the monthly report job (usable as a decorator)."""
    _monthly_hooks.append(hook)
    return hook


def sweep_job(sessions: sessionmaker[Session]) -> int:
    """One sweep in its own transaction: how many cases it flagged that this seat may
    see. A database that is down or restarting is a warning, and the next minute's
    sweep tries again."""
    try:
        with sessions.begin() as session:
            flagged = deadlines.sweep(session)
    except SeatdeskError as exc:
        log.warning("deadline sweep failed: %s", exc)
        return 0
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        log.warning("deadline sweep skipped, the database is not reachable: %s", reason)
        return 0
    if flagged > 0:
        log.info("deadline sweep flagged %d case(s)", flagged)
    return flagged


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def monthly_report_job(sessions: sessionmaker[Session], today: date | None = None) -> int:
    """Run every registered monthly hook for last month; returns how many ran."""
    first, last = last_month(today or date.today())
    ran = 0
    for hook in list(_monthly_hooks):
        with sessions.begin() as session:
            hook(session, first, last)
        ran += 1
    log.info("monthly report for %s: %d hook(s) ran", first.strftime("%Y-%m"), ran)
    return ran


def add_jobs(scheduler: BaseScheduler, sessions: sessionmaker[Session], timezone: Any) -> None:
    scheduler.add_job(
        sweep_job,
        IntervalTrigger(minutes=1, timezone=timezone),
        args=[sessions],
        id=SWEEP_JOB,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        monthly_report_job,
        CronTrigger(day=1, hour=1, minute=0, timezone=timezone),
        args=[sessions],
        id=MONTHLY_REPORT_JOB,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=6 * 3600,
    )
