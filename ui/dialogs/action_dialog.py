"""The base of the small dialog each action opens, and the dialog of actions that need
only a note (and, for replies from the field, photos).

A dialog validates before it sends, sends through ``ui.tasks.MutationOp``, and stays
open with everything typed when the send fails: a ``StaleCase`` says who changed the
case and when, the case is read again (its new version and state), and the person
decides whether to confirm again. Nothing typed is lost, whatever the error.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

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
from sqlalchemy.orm import Session

from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action
from seatdesk.errors import StaleCase, ValidationError
from seatdesk.services import cases, queues
from seatdesk.services.common import ChangeSet
from seatdesk.services.queues import CaseDetail
from ui.desk import Desk
from ui.dialogs.parts import message_label
from ui.labels import format_time, label
from ui.tasks import MutationOp, QueryOp
from ui.widgets.photo_picker import PhotoPicker

#: Actions whose service refuses an empty note (checked here first, to say so at once).
NOTE_REQUIRED = frozenset(
    {
        Action.VERIFY_FAIL,
        Action.SEND_BACK,
        Action.REPORT_DONE,
        Action.REQUEST_EXTENSION,
        Action.REQUEST_RETURN,
        Action.REQUEST_POSTPONEMENT,
        Action.DENY,
        Action.CHECK_FAIL,
        Action.REWORK,
        Action.URGE,
        Action.VOID,
    }
)
#: Actions whose service takes photos (the field's reply, the department's result).
PHOTO_ACTIONS = frozenset(
    {Action.VERIFY_PASS, Action.CHECK_PASS, Action.CHECK_FAIL, Action.REPORT_DONE}
)


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
        self.photo_picker: PhotoPicker | None = None
        self._build_ui()
        self._connect()

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
        if self.action in PHOTO_ACTIONS:
            self.photo_picker = PhotoPicker()
            self.form.addRow(self.tr("Photos:"), self.photo_picker)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("note")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(90)
        required = self.action in NOTE_REQUIRED
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

    # ---- For subclasses

    def _add_fields(self, form: QFormLayout) -> None:
        """Add the action's own fields (none here)."""
        del form

    def _validate(self) -> str | None:
        """A sentence naming what is missing, or None when the form can be sent."""
        if self.action in NOTE_REQUIRED and not self.note():
            return self.tr("Please write a note: this action needs one.")
        if self.photo_picker is not None:
            return self.photo_picker.problem()
        return None

    def _arguments(self) -> dict[str, Any]:
        """The service's keyword arguments, read from the widgets (GUI thread)."""
        args: dict[str, Any] = {"note": self.note() or None}
        if self.photo_picker is not None and self.photo_picker.count():
            args["photos"] = self.photo_picker.photos()
        return args

    def _service(self) -> Callable[..., Any]:
        fn: Callable[..., Any] = getattr(cases, self.action.value)
        return fn

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
        """Send the action's service call (a dialog whose call needs more overrides it)."""
        fn = self._service()
        kwargs = self._arguments()
        kwargs["case_id"] = self.case.id
        if "expected_version" in inspect.signature(fn).parameters:
            kwargs["expected_version"] = self._version
        self.send(lambda s: fn(s, **kwargs))

    # ---- Private slots

    @Slot(object)
    def _on_sent(self, result: object) -> None:
        self._sending = False
        changes = result[-1] if isinstance(result, tuple) else result
        self.sig_done.emit(changes if isinstance(changes, ChangeSet) else ChangeSet())
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
