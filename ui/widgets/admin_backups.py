"""备份记录: the nightly backups as the database recorded them (migration 0033).

The nightly backup is the scheduler's (``seatdesk.scheduler.backup_job``), claimed once
a day across workstations; this list lets the admin see, without a shell, that it ran:
each day's state, file, the workstation login that wrote it and the failure's sentence,
and below, the chosen day's trail (claim, take-over, retry, done, failed). Restoring
stays on the command line (``seatdesk restore``), where the server can be stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from seatdesk.services import backup_runs
from seatdesk.services.backup_runs import BackupRun, BackupRunEvent, BackupRunState
from ui.desk import Desk
from ui.labels import format_time
from ui.widgets.admin_list import AdminListView

# The days listed: a month and a half covers any keep setting worth reading here.
DAYS_LISTED = 45


class AdminBackupsView(AdminListView[BackupRun]):
    """The nightly backups of the last days, newest first, with each day's trail."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh_backups",
                                              self.reload)
        self.button_bar.addStretch(1)

    # ---- AdminListView

    def headers(self) -> list[str]:
        return [self.tr("Day"), self.tr("State"), self.tr("File"), self.tr("Written by"),
                self.tr("Finished"), self.tr("Attempts"), self.tr("Error")]

    def load(self, session: Session) -> list[BackupRun]:
        return backup_runs.runs(session, limit=DAYS_LISTED)

    def key(self, row: BackupRun) -> str:
        return row.day.isoformat()

    def cells(self, row: BackupRun) -> list[str]:
        return [row.day.isoformat(), self._state_text(row.state), row.file_name or "",
                row.claimed_by, format_time(row.finished_at) if row.finished_at else "",
                str(row.attempts), row.error or ""]

    def audit_headers(self) -> list[str]:
        return [self.tr("When"), self.tr("By"), self.tr("What"), self.tr("Details")]

    def load_audit(self, key: str | None) -> Callable[[Session], Sequence[Any]]:
        if key is None:
            return lambda _s: []
        day = date.fromisoformat(key)
        return lambda s: backup_runs.events(s, day)

    def audit_cells(self, event: BackupRunEvent) -> list[str]:
        return [format_time(event.at), event.actor, self._action_text(event.action),
                event.detail or ""]

    # ---- Private

    def _state_text(self, state: BackupRunState) -> str:
        return {
            BackupRunState.CLAIMED: self.tr("Being written"),
            BackupRunState.DONE: self.tr("Written"),
            BackupRunState.FAILED: self.tr("Failed"),
        }[state]

    def _action_text(self, action: str) -> str:
        words = {
            "claim": self.tr("Claimed"),
            "take_over": self.tr("Taken over"),
            "retry": self.tr("Retried"),
            "done": self.tr("Written"),
            "failed": self.tr("Failed"),
        }
        return words.get(action, action)
