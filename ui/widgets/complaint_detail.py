"""One complaint in the monitor panel: its fields, where its case stands (state,
department, stage deadline, lit red and yellow like the queues), its reply and
callback, and a button per step its state allows.

It re-reads itself when the complaint or its case changes anywhere (the change
notices), so the case's progress is seen without leaving the panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.domain.glossary import ComplaintAction, ComplaintState, DeadlineStatus
from seatdesk.services import complaint_queues, complaints
from seatdesk.services.common import ChangeSet
from seatdesk.services.complaint_queues import CaseProgress
from seatdesk.services.complaints import Complaint, ComplaintId
from ui.desk import Desk
from ui.labels import format_time, format_time_left, label
from ui.models.case_table_model import _LIGHTS
from ui.models.complaint_table_model import status_text
from ui.tasks import QueryOp
from ui.widgets.contact_reveal import ContactReveal

#: The steps of the detail, their buttons' shortcuts, and the states that allow each.
STEPS: dict[ComplaintAction, tuple[str, frozenset[ComplaintState]]] = {
    ComplaintAction.TO_CASE: ("Ctrl+Shift+R", frozenset({ComplaintState.NEW})),
    ComplaintAction.LINK: ("Ctrl+Shift+L", frozenset({ComplaintState.NEW})),
    ComplaintAction.FORWARD: ("Ctrl+Shift+F", frozenset({ComplaintState.NEW})),
    ComplaintAction.REPLY: (
        "Ctrl+Shift+Y",
        frozenset({ComplaintState.AWAITING_REPLY, ComplaintState.FORWARDED}),
    ),
    ComplaintAction.CALLBACK: ("Ctrl+Shift+B", frozenset({ComplaintState.REPLIED})),
}


@dataclass(frozen=True, slots=True)
class _Loaded:
    complaint: Complaint
    progress: CaseProgress | None


def _lit(widget: QLabel, status: DeadlineStatus | None) -> None:
    if status in _LIGHTS:
        background, foreground = _LIGHTS[status]
        widget.setStyleSheet(
            f"background: {background.name()}; color: {foreground.name()}; padding: 1px 4px;"
        )
    else:
        widget.setStyleSheet("")


class ComplaintDetailWidget(QWidget):
    sig_step_requested = Signal(object, object)
    """A button asks for a step: (Complaint, ComplaintAction)."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._id: ComplaintId | None = None
        self.complaint: Complaint | None = None
        self.progress: CaseProgress | None = None
        self.step_buttons: dict[ComplaintAction, QPushButton] = {}
        self.step_actions: dict[ComplaintAction, QAction] = {}
        self._build_ui()
        desk.tasks.sig_data_changed.connect(self._on_data_changed)

    def _build_ui(self) -> None:
        self.setMinimumWidth(400)
        self.setMaximumWidth(520)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("Select a complaint"))
        self.title.setObjectName("complaint_title")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        buttons = QGridLayout()
        names = {
            ComplaintAction.TO_CASE: self.tr("Open a case"),
            ComplaintAction.LINK: self.tr("Link to a case"),
            ComplaintAction.FORWARD: self.tr("Forward"),
            ComplaintAction.REPLY: self.tr("Reply"),
            ComplaintAction.CALLBACK: self.tr("Call back"),
        }
        for i, (step, (keys, _states)) in enumerate(STEPS.items()):
            # An action per step (its shortcut works anywhere in the window, and the
            # shortcut sheet lists it); the button beside the complaint triggers it.
            action = QAction(names[step], self)
            action.setObjectName(f"step_{step.value}_action")
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setEnabled(False)
            action.triggered.connect(lambda _=False, s=step: self._request(s))
            self.addAction(action)
            self.step_actions[step] = action
            button = QPushButton(names[step])
            button.setObjectName(f"step_{step.value}")
            button.setToolTip(f"{names[step]} ({keys})")
            button.setEnabled(False)
            button.clicked.connect(action.trigger)
            self.step_buttons[step] = button
            buttons.addWidget(button, i // 3, i % 3)
        outer.addLayout(buttons)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        body = QVBoxLayout(inner)
        body.setContentsMargins(0, 0, 0, 0)
        self.fields = QFormLayout()
        self.fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.values: dict[str, QLabel] = {}
        for key, text in (
            ("channel", self.tr("Channel:")),
            ("received", self.tr("Received:")),
            ("external_ref", self.tr("Platform reference:")),
            ("content", self.tr("Content:")),
            ("address", self.tr("Address:")),
            ("category", self.tr("Category:")),
            ("reply_due", self.tr("Reply due:")),
            ("reply_status", self.tr("Reply deadline:")),
            ("forwarded", self.tr("Forwarded to:")),
            ("reply", self.tr("Reply:")),
            ("callback", self.tr("Callback:")),
        ):
            value = self._value(key)
            self.fields.addRow(text, value)
        # Masked for everyone; the monitor and the admin may read the real ones (audited).
        self.contact = ContactReveal(self._desk, "complaint_detail")
        self.contact.setObjectName("contact")
        self.fields.insertRow(3, self.tr("Complainant:"), self.contact)
        body.addLayout(self.fields)
        self.case_box = QGroupBox(self.tr("The case's progress"))
        self.case_box.setObjectName("case_progress")
        case_form = QFormLayout(self.case_box)
        for key, text in (
            ("case_number", self.tr("Case:")),
            ("case_state", self.tr("State:")),
            ("case_department", self.tr("Department:")),
            ("case_deadline", self.tr("Stage deadline:")),
            ("case_status", self.tr("Deadline:")),
            ("case_updated", self.tr("Last change:")),
        ):
            case_form.addRow(text, self._value(key))
        self.case_box.hide()
        body.addWidget(self.case_box)
        body.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)

    def _value(self, key: str) -> QLabel:
        value = QLabel()
        value.setObjectName(key)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.values[key] = value
        return value

    # ---- Public API

    def show_complaint(self, complaint_id: ComplaintId | None) -> None:
        self._id = complaint_id
        if complaint_id is None:
            self._show(None)
            return
        self.reload()

    def reload(self) -> None:
        complaint_id = self._id
        if complaint_id is None:
            return

        def read(s: Session) -> _Loaded | None:
            complaint = complaints.get_complaint(s, complaint_id)
            if complaint is None:
                return None
            progress = None
            if complaint.case_id is not None:
                progress = complaint_queues.linked_case_progress(s, complaint.case_id)
            return _Loaded(complaint, progress)

        QueryOp(
            self._desk.tasks,
            self,
            op=read,
            success=lambda loaded: self._on_read(complaint_id, loaded),
        ).run()

    # ---- Private

    def _on_read(self, complaint_id: ComplaintId, loaded: _Loaded | None) -> None:
        if complaint_id == self._id:
            self._show(loaded)

    def _show(self, loaded: _Loaded | None) -> None:
        self.complaint = loaded.complaint if loaded else None
        self.progress = loaded.progress if loaded else None
        c = self.complaint
        self.contact.show_complaint(c)
        for step in STEPS:
            self._enable(step, False)
        if c is None:
            self.title.setText(self.tr("Select a complaint"))
            for value in self.values.values():
                value.clear()
            self.case_box.hide()
            return
        self.title.setText(f"{c.number}  {label(c.state)}")
        for step, (_keys, states) in STEPS.items():
            self._enable(step, c.state in states)
        category = next(
            (f"{x.code} {x.name}" for x in self._desk.reference.categories
             if x.id == c.category_id), "",
        )
        now = datetime.now(UTC)
        status = c.reply_status(now)
        reply = ""
        if c.replied_at is not None:
            reply = f"{format_time(c.replied_at)} {label(c.reply_method)}: {c.reply_text or ''}"
        callback = ""
        if c.called_back_at is not None:
            reached = self.tr("reached") if c.callback_reached else self.tr("not reached")
            callback = f"{format_time(c.called_back_at)} {reached}"
            if c.callback_satisfaction is not None:
                callback += f", {label(c.callback_satisfaction)}"
            if c.callback_note:
                callback += f": {c.callback_note}"
        forwarded = ""
        if c.forwarded_agency:
            forwarded = c.forwarded_agency + (f": {c.forward_note}" if c.forward_note else "")
        texts = {
            "channel": label(c.channel),
            "received": format_time(c.received_at),
            "external_ref": c.external_ref or "",
            "content": c.content,
            "address": c.address,
            "category": category,
            "reply_due": format_time(c.reply_due)
            + (f" ({format_time_left(c.reply_due, now)})" if status is not None else ""),
            "reply_status": status_text(status),
            "forwarded": forwarded,
            "reply": reply,
            "callback": callback,
        }
        for key, text in texts.items():
            self.values[key].setText(text)
            # What does not apply yet (no reply, no callback) takes no line.
            self.fields.setRowVisible(self.values[key], bool(text))
        _lit(self.values["reply_status"], status)
        p = self.progress
        self.case_box.setVisible(p is not None)
        if p is not None:
            case_texts = {
                "case_number": p.number,
                "case_state": label(p.state),
                "case_department": p.department_name or p.department or "",
                "case_deadline": format_time(p.stage_deadline),
                "case_status": status_text(p.deadline_status) if p.stage_deadline else "",
                "case_updated": format_time(p.updated_at),
            }
            for key, text in case_texts.items():
                self.values[key].setText(text)
            _lit(self.values["case_status"], p.deadline_status if p.stage_deadline else None)

    def _enable(self, step: ComplaintAction, enabled: bool) -> None:
        self.step_buttons[step].setEnabled(enabled)
        self.step_actions[step].setEnabled(enabled)

    def _request(self, step: ComplaintAction) -> None:
        if self.complaint is not None:
            self.sig_step_requested.emit(self.complaint, step)

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if self._id is None or not (changes.case_ids or changes.entities):
            return
        case_id = self.complaint.case_id if self.complaint is not None else None
        if changes.entities or (case_id is not None and case_id in changes.case_ids):
            self.reload()
