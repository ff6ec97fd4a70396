"""投诉不满意重办: the shift leader sends a closed case back to its department because
its complainant was called back dissatisfied. One note (required), Ctrl+Enter to
confirm; the database checks the role, the callback and both versions, and audits it."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.glossary import CaseEventAction
from seatdesk.services import complaints
from seatdesk.services.complaints import Complaint
from seatdesk.services.queues import CaseDetail
from ui.desk import Desk
from ui.dialogs.parts import install_confirm_shortcut, message_label, reject_unless_kept
from ui.labels import label
from ui.tasks import MutationOp, service_changes


class ReopenDialog(QDialog):
    """Reopen ``case`` for ``complaint`` with a note."""

    sig_done = Signal(object)
    """The case was reopened: carries the ``ChangeSet``."""

    def __init__(
        self, desk: Desk, case: CaseDetail, complaint: Complaint, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self.case = case
        self.complaint = complaint
        self._sending = False
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.setObjectName("reopen_dialog")
        action = label(CaseEventAction.REOPEN_FOR_COMPLAINT)
        self.setWindowTitle(self.tr("{action} — case {number}").format(
            action=action, number=self.case.number))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        summary = QLabel(self.tr(
            "Case {case} ({state}) goes back to its department to rework: complaint "
            "{complaint} was called back {satisfaction}."
        ).format(case=self.case.number, state=label(self.case.state),
                 complaint=self.complaint.number,
                 satisfaction=label(self.complaint.callback_satisfaction)))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        form = QFormLayout()
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("note")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(90)
        self.note_edit.setPlaceholderText(self.tr("What the complainant is dissatisfied with"))
        form.addRow(self.tr("Note (required):"), self.note_edit)
        layout.addLayout(form)
        self.message_label = message_label()
        layout.addWidget(self.message_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(action)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        install_confirm_shortcut(self, self.accept)

    # ---- Public API

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # ---- Qt overrides

    def accept(self) -> None:
        if self._sending:
            return
        note = self.note()
        if not note:
            self.show_message(self.tr("Please write a note: a reopen needs one."))
            return
        self.show_message("")
        self._sending = True
        self.ok_button.setEnabled(False)
        complaint_id, complaint_version = self.complaint.id, self.complaint.version
        case_version = self.case.version
        MutationOp(
            self._desk.tasks,
            self,
            op=lambda s: complaints.reopen_for_complaint(
                s, complaint_id=complaint_id, complaint_version=complaint_version,
                case_version=case_version, note=note,
            ),
            success=self._on_sent,
            failure=self._on_failed,
        ).run()

    def reject(self) -> None:
        reject_unless_kept(self, bool(self.note()), super().reject)

    # ---- Private slots

    @Slot(object)
    def _on_sent(self, result: object) -> None:
        self._sending = False
        self.sig_done.emit(service_changes(result))
        super().accept()

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        # A stale case or complaint, a callback changed meanwhile: one sentence; the
        # note stays, the detail reloads with the change notices.
        self._sending = False
        self.ok_button.setEnabled(True)
        self.show_message(str(error))
