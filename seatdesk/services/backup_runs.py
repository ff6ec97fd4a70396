"""The record of the nightly backup: which scheduler writes the night's backup, so that
it is written exactly once however many schedulers fire (migration 0033, the shape of
``report_runs``).

``claim`` is true for exactly one caller of a day — the first, or whoever finds it
failed, or finds a claim older than ``CLAIM_TIMEOUT`` that a dead scheduler left — and
``finish`` records the file or the failure's sentence. The seats that run the monthly
report may claim, and the owner's side (the headless ``seatdesk scheduler``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

from seatdesk.db.calls import call

#: A claim older than this is another workstation's to take over (the SQL's own
#: constant, migration 0033).
CLAIM_TIMEOUT = timedelta(hours=2)
#: The refused steps' name (``PermissionDenied.action``).
ACTION = "backup"


class BackupRunState(StrEnum):
    CLAIMED = "claimed"  # a scheduler is writing it
    DONE = "done"  # written: ``file_name``
    FAILED = "failed"  # ``error`` says why; the next try may retry


@dataclass(frozen=True, slots=True)
class BackupRun:
    """One day's nightly backup, as the table holds it."""

    day: date
    state: BackupRunState
    claimed_by: str
    claimed_at: datetime
    finished_at: datetime | None
    file_name: str | None
    error: str | None
    attempts: int


@dataclass(frozen=True, slots=True)
class BackupRunEvent:
    """One step of a day's trail: claim, take_over, retry, done or failed."""

    day: date
    action: str
    actor: str
    at: datetime
    detail: str | None


def may_claim(session: Session) -> bool:
    """May this login's scheduler run the nightly backup at all? (Asked first, so that
    a department seat's desk skips the job without a refusal.)"""
    return bool(
        session.execute(
            text("SELECT has_function_privilege("
                 "'seatdesk_claim_backup(date)', 'EXECUTE')")
        ).scalar_one()
    )


def claim(session: Session, day: date) -> bool:
    """Take ``day``'s backup: True for exactly one caller (commit before writing)."""
    result = call(session, "SELECT seatdesk_claim_backup(:m)", {"m": day}, action=ACTION)
    return bool(result.scalar_one())


def finish(
    session: Session, day: date, *, file_name: str | None = None, error: str | None = None
) -> None:
    """Record the outcome of this caller's claim: the file written, or the failure's one
    sentence (which lets the next try retry)."""
    call(session, "SELECT seatdesk_finish_backup(:m, :f, :e)",
         {"m": day, "f": file_name, "e": error}, action=ACTION)


def finish_written(owner_session: Session, day: date, *, login: str, file_name: str) -> None:
    """Record ``day``'s backup written, on the owner's side (the login that dumped it,
    a superuser of the embedded server), in the name of the seat ``login`` that claimed
    it: a seat login alone may not say a backup was written (migration 0035)."""
    owner_session.execute(text("SELECT set_config('seatdesk.act_as', :l, true)"), {"l": login})
    finish(owner_session, day, file_name=file_name)


def login_of(session: Session) -> str:
    """The login of a session (whose name a claim is in)."""
    return str(session.execute(text("SELECT session_user")).scalar_one())


_COLUMNS = "day, state, claimed_by, claimed_at, finished_at, file_name, error, attempts"


def _run(row: Row[Any]) -> BackupRun:
    return BackupRun(
        day=row.day,
        state=BackupRunState(row.state),
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        finished_at=row.finished_at,
        file_name=row.file_name,
        error=row.error,
        attempts=int(row.attempts),
    )


def run_of(session: Session, day: date) -> BackupRun | None:
    """``day``'s record, None when no scheduler claimed it yet."""
    row = session.execute(
        text(f"SELECT {_COLUMNS} FROM backup_runs WHERE day = :m"),
        {"m": day},
    ).one_or_none()
    return None if row is None else _run(row)


def runs(session: Session, *, limit: int = 31) -> list[BackupRun]:
    """The latest days' records, newest first."""
    rows = session.execute(
        text(f"SELECT {_COLUMNS} FROM backup_runs ORDER BY day DESC LIMIT :n"),
        {"n": limit},
    ).all()
    return [_run(row) for row in rows]


def events(session: Session, day: date) -> list[BackupRunEvent]:
    """``day``'s trail, oldest first: who claimed, took over, retried, finished."""
    rows = session.execute(
        text("SELECT day, action, actor, at, detail FROM backup_run_events "
             "WHERE day = :m ORDER BY id"),
        {"m": day},
    ).all()
    return [BackupRunEvent(m, a, actor, at, d) for m, a, actor, at, d in rows]
