"""Work the desk does on its own: the scheduled jobs and the calendar warning.

The jobs are the core's (``seatdesk.scheduler``) on APScheduler's ``QtScheduler``: its
timers live in the Qt event loop and the jobs themselves run on APScheduler's thread
pool, so a sweep never blocks the window. Every workstation runs the sweep (the
database skips the rows another sweep holds) and the monthly report job (the database
lets exactly one workstation write each month's report, into its ``report_folder``).
The sweep's flags come back to the queues through NOTIFY like any other seat's change.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.qt import QtScheduler
from PySide6.QtCore import QObject, Signal
from sqlalchemy import Engine

from seatdesk import messages, terms
from seatdesk import scheduler as jobs
from seatdesk.config import load_settings
from seatdesk.db.engine import connect, session_factory
from seatdesk.db.reporting import ReportingRouter, Workload
from seatdesk.services import deadlines
from ui.desk import Desk
from ui.tasks import CallOp, QueryOp

log = logging.getLogger(__name__)


class BackgroundJobs(QObject):
    """Starts the scheduler for one logged-in window and checks the calendar."""

    sig_calendar_warning = Signal(str)
    """One sentence: the years the working calendar does not know yet."""

    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._scheduler: QtScheduler | None = None
        self._engine: Engine | None = None
        self._reporting: ReportingRouter | None = None

    # ---- Public API

    def start(self) -> None:
        """Connect the scheduler's own engine off the GUI thread, then start it; and
        ask whether the calendar knows this year and the next."""
        CallOp(
            tasks=self._desk.tasks,
            parent=self,
            # The nightly backup needs the embedded server's owner (None on a shared one).
            fn=lambda: (connect(self._desk.address, pool_size=1),
                        jobs.nightly_backup(load_settings(), self._desk.address)),
            success=self._on_engine_ready,
            failure=lambda error: log.warning("scheduler not started: %s", error),
        ).run()
        QueryOp(
            tasks=self._desk.tasks,
            parent=self,
            op=deadlines.missing_calendar_years,
            success=self._on_missing_years,
        ).run()

    def shutdown(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._reporting is not None:
            self._reporting.dispose()
        if self._engine is not None:
            self._engine.dispose()

    # ---- Private slots

    def _on_engine_ready(self, ready: tuple[Engine, jobs.NightlyBackup | None]) -> None:
        engine, nightly = ready
        self._engine = engine
        tz = self._desk.address.timezone
        self._scheduler = QtScheduler(timezone=tz)
        settings = load_settings()
        # The report's claim and outcome go to the primary; the report itself reads the
        # replica while it is healthy (seatdesk.db.reporting decides, per run).
        reporting = (
            ReportingRouter.from_settings(settings, engine, self._desk.address)
            if settings.reporting_url and not self._desk.address.embedded
            else None
        )
        self._reporting = reporting
        report_sessions = (
            (lambda: reporting.sessions(Workload.MONTHLY_REPORT)) if reporting else None
        )
        jobs.add_jobs(self._scheduler, session_factory(engine), tz, settings.report_folder,
                      nightly=nightly, report_sessions=report_sessions)
        self._scheduler.start()

    def _on_missing_years(self, years: list[int]) -> None:
        if years:
            sentence = messages.t("calendar_missing", years=terms.join(map(str, years)))
            log.warning("%s", sentence)
            self.sig_calendar_warning.emit(sentence)
