"""The record of the scheduled monthly report: which workstation writes last month's
report, so that it is written exactly once however many schedulers fire.

The database decides (migration 0025): ``claim`` is true for exactly one caller of a
month — the first, or whoever finds it failed, or finds a claim older than
``CLAIM_TIMEOUT`` that a dead workstation left — and ``finish`` records the file or the
failure's sentence. Only the seats that see every case may claim (a department seat's
report would hold its own department only), and the owner's side (the headless
``seatdesk scheduler``). The inspector's own runs (the panel, ``seatdesk report``) write a
file where the person asks and claim nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

from seatdesk.db.calls import call
from seatdesk.domain.statistics import Month

#: A claim older than this is another workstation's to take over (the SQL's own
#: constant, migration 0025).
CLAIM_TIMEOUT = timedelta(hours=2)
#: The refused steps' name (``PermissionDenied.action``).
ACTION = "monthly_report"


class ReportRunState(StrEnum):
    CLAIMED = "claimed"  # a workstation is writing it
    DONE = "done"  # written: ``file_name``
    FAILED = "failed"  # ``error`` says why; the next try may retry


@dataclass(frozen=True, slots=True)
class ReportRun:
    """One month's scheduled report, as the table holds it."""

    month: Month
    state: ReportRunState
    claimed_by: str
    claimed_at: datetime
    finished_at: datetime | None
    file_name: str | None
    error: str | None
    attempts: int


@dataclass(frozen=True, slots=True)
class ReportRunEvent:
    """One step of a month's trail: claim, take_over, retry, done or failed."""

    month: Month
    action: str
    actor: str
    at: datetime
    detail: str | None


def may_claim(session: Session) -> bool:
    """May this login's scheduler write the monthly report at all? (Asked first, so that
    a department seat's desk skips the job without a refusal.)"""
    return bool(
        session.execute(
            text("SELECT has_function_privilege("
                 "'seatdesk_claim_monthly_report(date)', 'EXECUTE')")
        ).scalar_one()
    )


def claim(session: Session, month: Month) -> bool:
    """Take ``month``'s report: True for exactly one caller (commit before writing)."""
    result = call(session, "SELECT seatdesk_claim_monthly_report(:m)",
                  {"m": month.first_day}, action=ACTION)
    return bool(result.scalar_one())


def finish(
    session: Session, month: Month, *, file_name: str | None = None, error: str | None = None
) -> None:
    """Record the outcome of this caller's claim: the file written, or the failure's one
    sentence (which lets the next try retry)."""
    call(session, "SELECT seatdesk_finish_monthly_report(:m, :f, :e)",
         {"m": month.first_day, "f": file_name, "e": error}, action=ACTION)


_COLUMNS = "month, state, claimed_by, claimed_at, finished_at, file_name, error, attempts"


def _run(row: Row[Any]) -> ReportRun:
    return ReportRun(
        month=Month.of(row.month),
        state=ReportRunState(row.state),
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        finished_at=row.finished_at,
        file_name=row.file_name,
        error=row.error,
        attempts=int(row.attempts),
    )


def run_of(session: Session, month: Month) -> ReportRun | None:
    """``month``'s record, None when no scheduler claimed it yet."""
    row = session.execute(
        text(f"SELECT {_COLUMNS} FROM monthly_reports WHERE month = :m"),
        {"m": month.first_day},
    ).one_or_none()
    return None if row is None else _run(row)


def runs(session: Session, *, limit: int = 24) -> list[ReportRun]:
    """The latest months' records, newest first."""
    rows = session.execute(
        text(f"SELECT {_COLUMNS} FROM monthly_reports ORDER BY month DESC LIMIT :n"),
        {"n": limit},
    ).all()
    return [_run(row) for row in rows]


def events(session: Session, month: Month) -> list[ReportRunEvent]:
    """``month``'s trail, oldest first: who claimed, took over, retried, finished."""
    rows = session.execute(
        text("SELECT month, action, actor, at, detail FROM monthly_report_events "
             "WHERE month = :m ORDER BY id"),
        {"m": month.first_day},
    ).all()
    return [ReportRunEvent(Month.of(m), a, actor, at, d) for m, a, actor, at, d in rows]
