"""The scheduled jobs: the deadline sweep every minute, last month's report on the
first of each month.

The jobs are plain functions of a session factory; ``add_jobs`` puts them on any
APScheduler scheduler, so the desktop app uses APScheduler's ``QtScheduler`` (jobs run
beside the Qt event loop, the work itself on APScheduler's thread pool) and
``seatdesk scheduler`` a ``BlockingScheduler`` on a headless server — without the core
importing Qt. Every workstation may run the sweep: the database skips the rows another
sweep (or any transaction) is changing at that moment, and flags are idempotent.

The monthly report is written exactly once, whichever workstations run: each hour every
scheduler asks the database to claim last month's report (``services.report_runs``,
migration 0025); one caller gets it, runs the hooks into the configured folder and
records the file, or the failure's sentence, which the next hour's scheduler (on any
workstation) retries. A claim left by a workstation that died is taken over after two
hours. Hourly rather than once at 01:00 on the first: a centre where no desk ran that
night still gets its report, from the first desk that starts.

The nightly backup of the embedded database (``backup_job``) is written once a day in
the same way (``services.backup_runs``, migration 0033): at the configured hour every
scheduler asks the database to claim the day's backup, and the one that gets it dumps
the database into the backup folder, keeps the newest ``keep`` files and records the
file or the failure's sentence. It runs where the database's owner can be reached to
dump it: the embedded server (its owner's secret is in the data directory).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from seatdesk.config import Settings
from seatdesk.db import backup as backups
from seatdesk.db import embedded
from seatdesk.db.engine import ServerAddress, make_engine, session_factory
from seatdesk.domain.statistics import Month
from seatdesk.errors import SeatdeskError
from seatdesk.services import backup_runs, deadlines, monthly_report, report_runs

log = logging.getLogger(__name__)

SWEEP_JOB = "seatdesk.sweep"
MONTHLY_REPORT_JOB = "seatdesk.monthly_report"
BACKUP_JOB = "seatdesk.backup"
#: The nightly backup's file name: the day, so that names sort by age.
BACKUP_NAME = "seatdesk-{day:%Y-%m-%d}.dump"
BACKUP_PATTERN = "seatdesk-????-??-??.dump"

#: Called with (session, last month, the configured report folder) once per month by the
#: one scheduler that claimed it; returns the file it wrote (or None). The monthly report
#: registers itself; others may listen too. A hook may run again for the same month
#: after a failure (its own or a later hook's), so it overwrites what it wrote before.
MonthlyHook = Callable[[Session, Month, Path], Path | None]
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


def _reason(exc: BaseException) -> str:
    """A failure in one sentence for the record: a seatdesk error's own sentence, else
    the exception's kind and the first line of its message."""
    if isinstance(exc, SeatdeskError):
        return str(exc)
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        first = str(exc.orig).strip().splitlines()
    else:
        first = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__


def _unreachable(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__


def monthly_report_job(
    sessions: sessionmaker[Session],
    folder: Path,
    today: date | None = None,
    timezone: str | None = None,
    report_sessions: Callable[[], sessionmaker[Session]] | None = None,
) -> int:
    """Last month's report, if this scheduler is the one that claims it: how many hooks
    ran (0 when another workstation has it, or had it, or this seat may not write it).

    The claim commits on its own before any hook runs, each hook runs in its own
    transaction, and the outcome is recorded in a third: a workstation that dies midway
    leaves a claim that another takes over after ``report_runs.CLAIM_TIMEOUT``.

    The claim and the outcome are writes: ``sessions`` (the primary). The hooks only
    read, through ``report_sessions()`` when given (the reporting router's choice for
    the monthly report: the replica while it is healthy).
    """
    if today is None:
        today = datetime.now(ZoneInfo(timezone)).date() if timezone else date.today()
    month = Month.of(today).previous()
    hooks = list(_monthly_hooks)
    if not hooks:
        # Claiming with nothing to run would record the month done without a report.
        return 0
    try:
        with sessions.begin() as session:
            if not report_runs.may_claim(session):
                log.debug("monthly report for %s: this seat does not write it", month)
                return 0
            claimed = report_runs.claim(session, month)
    except SeatdeskError as exc:
        log.warning("monthly report for %s not claimed: %s", month, exc)
        return 0
    except DBAPIError as exc:
        log.warning("monthly report for %s skipped, the database is not reachable: %s",
                    month, _unreachable(exc))
        return 0
    if not claimed:
        log.debug("monthly report for %s: written, or being written, elsewhere", month)
        return 0
    ran = 0
    files: list[str] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        readers = report_sessions() if report_sessions is not None else sessions
        for hook in hooks:
            with readers.begin() as session:
                written = hook(session, month, folder)
            ran += 1
            if written is not None:
                files.append(str(written))
    except Exception as exc:
        reason = _reason(exc)
        log.error("monthly report for %s failed: %s", month, reason)
        _finish(sessions, month, error=reason)
        return ran
    _finish(sessions, month, file_name="; ".join(files) or str(folder))
    log.info("monthly report for %s: %d hook(s) ran, %s", month, ran,
             ", ".join(files) or "no file")
    return ran


def _finish(sessions: sessionmaker[Session], month: Month, *, file_name: str | None = None,
            error: str | None = None) -> None:
    try:
        with sessions.begin() as session:
            report_runs.finish(session, month, file_name=file_name, error=error)
    except SeatdeskError as exc:
        # Taken over meanwhile (this run outlived the timeout): the other one records.
        log.warning("monthly report for %s: outcome not recorded: %s", month, exc)
    except DBAPIError as exc:
        # The claim stays, and another workstation takes it over after the timeout.
        log.warning("monthly report for %s: outcome not recorded, the database is not "
                    "reachable: %s", month, _unreachable(exc))


@dataclass(frozen=True, slots=True)
class NightlyBackup:
    """Where and how the nightly backup runs: the owner's address to dump (the embedded
    server's), the folder, how many files to keep and the hour."""

    address: ServerAddress
    folder: Path
    keep: int = 14
    hour: int = 2


def nightly_backup(settings: Settings, address: ServerAddress) -> NightlyBackup | None:
    """The nightly backup for a scheduler connected at ``address``: the embedded
    database's, dumped with its owner's login (the secret in the data directory), or
    None for a shared server, which is backed up with its own tools
    (docs/operations.md, "Backups"), or for an embedded server of another data directory."""
    if not address.embedded:
        return None
    secret = settings.data_dir.expanduser() / embedded.SECRET_FILE
    try:
        password = secret.read_text().strip()
    except OSError:
        log.warning("no nightly backup: the owner's secret %s cannot be read", secret)
        return None
    return NightlyBackup(
        address=address.for_login(embedded.OWNER, password),
        folder=settings.backup_folder, keep=settings.backup_keep, hour=settings.backup_hour,
    )


def backup_job(
    sessions: sessionmaker[Session],
    nightly: NightlyBackup,
    today: date | None = None,
    timezone: str | None = None,
) -> Path | None:
    """Today's backup, if this scheduler is the one that claims it: the file written
    (None when another scheduler has it, or had it, or it failed).

    The claim commits before the dump; the dump writes a temporary file renamed into
    place when complete; the outcome is recorded in a transaction of its own, and only
    then are the oldest files beyond ``keep`` deleted.
    """
    if today is None:
        today = datetime.now(ZoneInfo(timezone)).date() if timezone else date.today()
    try:
        with sessions.begin() as session:
            if not backup_runs.may_claim(session):
                return None
            claimed = backup_runs.claim(session, today)
            login = backup_runs.login_of(session)
    except SeatdeskError as exc:
        log.warning("nightly backup of %s not claimed: %s", today, exc)
        return None
    except DBAPIError as exc:
        log.warning("nightly backup of %s skipped, the database is not reachable: %s",
                    today, _unreachable(exc))
        return None
    if not claimed:
        log.debug("nightly backup of %s: written, or being written, elsewhere", today)
        return None
    target = nightly.folder / BACKUP_NAME.format(day=today)
    try:
        nightly.folder.mkdir(parents=True, exist_ok=True)
        summary = backups.backup(nightly.address, target)
    except Exception as exc:
        reason = _reason(exc)
        log.error("nightly backup of %s failed: %s", today, reason)
        _finish_backup(sessions, today, error=reason)
        return None
    if _finish_written(nightly.address, today, login=login, file_name=str(target)):
        removed = prune(nightly.folder, nightly.keep)
        log.info("nightly backup of %s: %s (%d cases, %d events); %d old file(s) removed",
                 today, target, summary.cases, summary.events, len(removed))
    return target


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the nightly backups in ``folder`` beyond the newest ``keep`` (and their
    roles files); return what was deleted. Files of other names are never touched."""
    files = sorted(folder.glob(BACKUP_PATTERN), reverse=True)
    removed = files[max(keep, 1):]
    for old in removed:
        old.unlink(missing_ok=True)
        old.with_name(old.name + backups.ROLES_SUFFIX).unlink(missing_ok=True)
    return removed


def _finish_written(address: ServerAddress, day: date, *, login: str, file_name: str) -> bool:
    """Record the backup written through the owner's login that wrote it (0035: a seat
    login may not say so)."""
    engine = make_engine(address, pool_size=1)
    try:
        with session_factory(engine).begin() as session:
            backup_runs.finish_written(session, day, login=login, file_name=file_name)
    except SeatdeskError as exc:
        log.warning("nightly backup of %s: outcome not recorded: %s", day, exc)
        return False
    except DBAPIError as exc:
        log.warning("nightly backup of %s: outcome not recorded, the database is not "
                    "reachable: %s", day, _unreachable(exc))
        return False
    finally:
        engine.dispose()
    return True


def _finish_backup(sessions: sessionmaker[Session], day: date, *, file_name: str | None = None,
                   error: str | None = None) -> bool:
    try:
        with sessions.begin() as session:
            backup_runs.finish(session, day, file_name=file_name, error=error)
    except SeatdeskError as exc:
        log.warning("nightly backup of %s: outcome not recorded: %s", day, exc)
        return False
    except DBAPIError as exc:
        log.warning("nightly backup of %s: outcome not recorded, the database is not "
                    "reachable: %s", day, _unreachable(exc))
        return False
    return True


def add_jobs(
    scheduler: BaseScheduler,
    sessions: sessionmaker[Session],
    timezone: Any,
    report_folder: Path,
    *,
    nightly: NightlyBackup | None = None,
    report_sessions: Callable[[], sessionmaker[Session]] | None = None,
) -> None:
    # The monthly report is the job's own hook, wired here rather than by importing a
    # module for its side effect: a scheduler without it would claim nothing.
    if monthly_report.scheduled_report not in _monthly_hooks:
        on_monthly_report(monthly_report.scheduled_report)
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
        # Every hour: the claim answers "already done" in one round trip, and a month
        # whose report failed or that no desk was running for gets it within the hour.
        CronTrigger(minute=5, timezone=timezone),
        args=[sessions, report_folder],
        kwargs={"timezone": str(timezone), "report_sessions": report_sessions},
        id=MONTHLY_REPORT_JOB,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
    if nightly is not None:
        scheduler.add_job(
            backup_job,
            CronTrigger(hour=nightly.hour, minute=30, timezone=timezone),
            args=[sessions, nightly],
            kwargs={"timezone": str(timezone)},
            id=BACKUP_JOB,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            # A machine asleep at that hour backs up when it wakes, the same day.
            misfire_grace_time=12 * 3600,
        )
