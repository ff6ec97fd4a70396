"""The base of the small dialog each action opens, and the dialog of actions that need
only what the requirement table asks: a note, the collector a case is sent to, the
collector's reply, photos.

The fields come from ``workflow.NEEDS`` (the table the services and the database
read too) and the call from ``seatdesk.services.actions`` (an explicit map from action
to service call). A dialog validates before it sends, sends through
``ui.tasks.MutationOp``, and stays open with everything typed when the send fails: a
``StaleCase`` says who changed the case and when, the case is read again (its new
version and state), and the person decides whether to confirm again. Nothing typed is
lost, whatever the error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, ActionField, IntakeKind
from seatdesk.errors import StaleCase, ValidationError
from seatdesk.services import actions, collectors, intake, queues
from seatdesk.services.actions import ActionInput
from seatdesk.services.queues import CaseDetail
from ui.desk import Desk
from ui.dialogs.parts import install_confirm_shortcut, message_label, reject_unless_kept
from ui.labels import format_time, label
from ui.tasks import MutationOp, QueryOp, service_changes
from ui.widgets.photo_picker import PhotoPicker


class ActionDialog(QDialog):
    """Confirm one action on one case, with a note."""

    sig_done = Signal(object)
    """The action was committed: carries its ``ChangeSet``."""

    def __init__(
        self, desk: Desk, case: CaseDetail, action: Action, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self.case = case
        self.action = action
        self._version = case.version
        self._sending = False
        self.needs = workflow.needs(action)
        # Until the centre's setting is read, a photo the table asks for is required.
        self._photo_required = self.needs.photo
        self.photo_picker: PhotoPicker | None = None
        self.collector_edit: QLineEdit | None = None
        self.reply_edit: QPlainTextEdit | None = None
        self._build_ui()
        self._connect()
        if self.needs.photo_setting is not None:
            QueryOp(
                desk.tasks,
                self,
                op=lambda s: actions.photo_required(s, action),
                success=self._on_photo_rule,
            ).run()
        if ActionField.COLLECTOR in self.needs.fields:
            # Addressed by default to the collector responsible for the case's grid
            # (migration 0031); the seat may name another.
            grid_case = case.id
            QueryOp(
                desk.tasks,
                self,
                op=lambda s: collectors.default_collector(s, grid_case),
                success=self._on_default_collector,
            ).run()
        if ActionField.REPLY in self.needs.fields:
            # The collector's answer the intake took in (seatdesk intake), if one came:
            # its reply pre-filled, its photos already the evidence.
            case_id = case.id
            QueryOp(
                desk.tasks,
                self,
                op=lambda s: intake.latest_answer(s, case_id),
                success=self._on_collector_answer,
            ).run()

    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("{action} — case {number}").format(
            action=label(self.action), number=self.case.number
        ))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        summary = QLabel(
            f"<b>{self.case.number}</b> · {label(self.case.state)} · "
            f"{self.case.category_code} {self.case.category_name}<br>{self.case.address}"
        )
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.form = QFormLayout()
        self._add_fields(self.form)
        self._add_evidence(self.form)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("note")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(90)
        required = self.needs.note
        self.note_edit.setPlaceholderText(
            self.tr("Required") if required else self.tr("Optional")
        )
        self.form.addRow(self.tr("Note:") if not required else self.tr("Note (required):"),
                         self.note_edit)
        layout.addLayout(self.form)
        self.message_label = message_label()
        layout.addWidget(self.message_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(label(self.action))
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        install_confirm_shortcut(self, self.accept)

    # ---- For subclasses

    def _add_fields(self, form: QFormLayout) -> None:
        """Add the action's own fields (none here)."""
        del form

    def _validate(self) -> str | None:
        """A sentence naming what is missing, or None when the form can be sent."""
        if self.collector_edit is not None and not self.collector_edit.text().strip():
            return self.tr("Name the field collector the case is sent to.")
        if self.reply_edit is not None and not self.reply_edit.toPlainText().strip():
            return self.tr("Write the collector's reply.")
        if self.needs.note and not self.note():
            return self.tr("Please write a note: this action needs one.")
        if self.photo_picker is not None:
            if self._photo_required and not self.photo_picker.count():
                return self.tr("Add at least one photo: this action needs one.")
            return self.photo_picker.problem()
        return None

    def _arguments(self) -> ActionInput:
        """What the action's call carries, read from the widgets (GUI thread)."""
        return ActionInput(
            note=self.note() or None,
            photos=tuple(self.photo_picker.photos()) if self.photo_picker else (),
            collector=self.collector_edit.text().strip() if self.collector_edit else None,
            reply=self.reply_edit.toPlainText().strip() if self.reply_edit else None,
        )

    def _add_evidence(self, form: QFormLayout) -> None:
        """The fields of the requirement table that every dialog shows the same way."""
        if ActionField.COLLECTOR in self.needs.fields:
            self.collector_edit = QLineEdit()
            self.collector_edit.setObjectName("collector")
            self.collector_edit.setMaxLength(100)
            self.collector_edit.setPlaceholderText(self.tr("Name of the field collector"))
            form.addRow(self.tr("Collector (required):"), self.collector_edit)
        if ActionField.REPLY in self.needs.fields:
            self.reply_edit = QPlainTextEdit()
            self.reply_edit.setObjectName("reply")
            self.reply_edit.setTabChangesFocus(True)
            self.reply_edit.setMaximumHeight(90)
            self.reply_edit.setPlaceholderText(self.tr("What the collector found"))
            form.addRow(self.tr("Collector's reply (required):"), self.reply_edit)
        if self.needs.photo:  # photos from the field or of the result
            self.photo_picker = PhotoPicker()
            self.photo_picker.setObjectName("photos")
            self.photos_label = QLabel()
            self._show_photo_rule()
            form.addRow(self.photos_label, self.photo_picker)

    def _show_photo_rule(self) -> None:
        self.photos_label.setText(
            self.tr("Photos (required):") if self._photo_required else self.tr("Photos:")
        )

    # ---- Public API

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def send(self, op: Callable[[Session], Any]) -> None:
        """Send a mutation; on success close, on failure keep the form as it is."""
        self._sending = True
        self.ok_button.setEnabled(False)
        MutationOp(
            self._desk.tasks, self, op=op, success=self._on_sent, failure=self._on_failed
        ).run()

    # ---- Qt overrides

    def reject(self) -> None:
        reject_unless_kept(self, bool(self.note()), super().reject)

    def accept(self) -> None:
        if self._sending:
            return
        problem = self._validate()
        if problem:
            self.show_message(problem)
            return
        self.show_message("")
        self._send_action()

    def _send_action(self) -> None:
        """Send the action's wired service call with what the form holds."""
        action, given = self.action, self._arguments()
        case_id, version = self.case.id, self._version
        self.send(
            lambda s: actions.perform(
                s, action, case_id=case_id, expected_version=version, given=given
            )
        )

    # ---- Private slots

    def _on_default_collector(self, collector: str | None) -> None:
        if collector and self.collector_edit is not None and not self.collector_edit.text():
            self.collector_edit.setText(collector)

    def _on_collector_answer(self, answer: intake.CollectorAnswer | None) -> None:
        if answer is None or self.reply_edit is None:
            return
        if not self.reply_edit.toPlainText().strip():
            self.reply_edit.setPlainText(answer.reply)
        self._photo_required = False
        if self.photo_picker is not None:
            self._show_photo_rule()
        verdict = {
            (True, True): self.tr("confirmed"),
            (True, False): self.tr("not confirmed"),
            (False, True): self.tr("resolved"),
            (False, False): self.tr("not resolved"),
        }[(answer.kind is IntakeKind.VERIFY_ANSWER, answer.verdict)]
        self.show_message(
            self.tr("{collector} answered at {when}: {verdict}. The reply and the photos "
                    "came with the answer.").format(
                collector=answer.collector, when=format_time(answer.at), verdict=verdict)
        )

    def _on_photo_rule(self, required: bool) -> None:
        self._photo_required = required
        if self.photo_picker is not None:
            self._show_photo_rule()

    @Slot(object)
    def _on_sent(self, result: object) -> None:
        self._sending = False
        self.sig_done.emit(service_changes(result))
        super().accept()

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        self._sending = False
        self.ok_button.setEnabled(True)
        if isinstance(error, StaleCase):
            self.show_message(
                self.tr(
                    "{who} changed case {number} at {when}. It has been reloaded: "
                    "check it, then confirm again."
                ).format(
                    who=error.who,
                    number=error.number,
                    when=format_time(error.changed_at),
                )
            )
            case_id = self.case.id
            QueryOp(
                self._desk.tasks,
                self,
                op=lambda s: queues.get_case(s, case_id),
                success=self._on_reloaded,
            ).run()
            return
        if isinstance(error, ValidationError):
            self.show_message(str(error))
            return
        self.show_message(str(error))

    def _on_reloaded(self, case: CaseDetail) -> None:
        self.case = case
        self._version = case.version
        if self.action not in workflow.allowed_actions(case.state, self._desk.actor.roles):
            self.ok_button.setEnabled(False)
            self.show_message(
                self.message_label.text()
                + " "
                + self.tr("The case is now {state}; this action no longer applies.").format(
                    state=label(case.state)
                )
            )
