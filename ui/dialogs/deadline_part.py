"""The deadline an action sets (dispatch, rework, extension), shown as the core computes it.

The services compute deadlines themselves from the filing condition's time-limit
standard on the working calendar; ``cases.preview_deadline(session, case_id, action)``
says, before the action is sent, what it would set. This part only shows it: the
person never types a deadline, so no deadline argument goes to the service.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from seatdesk.domain.glossary import Action
from seatdesk.services import cases
from seatdesk.services.queues import CaseDetail
from ui.desk import Desk
from ui.labels import format_time
from ui.tasks import QueryOp


class DeadlinePart(QWidget):
    """A read-only line: the deadline the action would set, and how it was found."""

    def __init__(
        self, desk: Desk, case: CaseDetail, action: Action, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._build_ui()
        case_id = case.id
        QueryOp(
            desk.tasks,
            self,
            op=lambda s: cases.preview_deadline(s, case_id, action),
            success=self._on_preview,
            failure=self._on_failed,
        ).run()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.shown = QLabel(self.tr("computing…"))
        self.shown.setObjectName("deadline")
        self.note = QLabel()
        self.note.setStyleSheet("color: gray;")
        layout.addWidget(self.shown)
        layout.addWidget(self.note, 1)

    # ---- Public API

    def deadline_text(self) -> str:
        return self.shown.text()

    # ---- Private slots

    def _on_preview(self, when: datetime | None) -> None:
        if when is None:
            self.shown.setText("—")
            self.note.setText(self.tr("this action sets no new deadline"))
            return
        self.shown.setText(format_time(when))
        self.note.setText(self.tr("computed from the time-limit standard"))

    def _on_failed(self, error: BaseException) -> None:
        # The dialog can still be sent: the service computes the deadline itself.
        self.shown.setText("—")
        self.note.setText(str(error))
