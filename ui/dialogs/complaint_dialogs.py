"""The monitor's dialogs on one complaint: turn it into a case (转为案卷), link it to an
open case (关联案卷), forward it to another agency (转办), reply (答复) and call back
(回访).

Each validates before it sends, sends one service call of
``seatdesk.services.complaints`` through ``ui.tasks.MutationOp``, and stays open with
everything typed when the send fails: a ``StaleComplaint`` says who changed the
complaint, the complaint is read again (its new version), and the person decides
whether to confirm again. Ctrl+Enter confirms from any field; Esc on a dialog with
typed text asks before discarding it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.domain.glossary import ReplyMethod, Satisfaction, Urgency
from seatdesk.errors import StaleCase
from seatdesk.services import catalogue, complaint_queues, complaints
from seatdesk.services.case_detail import find_case_id
from seatdesk.services.catalogue import FilingConditionInfo
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.complaint_queues import NearbyCase
from seatdesk.services.complaints import CaseFields, Complaint
from ui.desk import Desk
from ui.dialogs.parts import install_confirm_shortcut, message_label, reject_unless_kept
from ui.labels import label
from ui.tasks import MutationOp, QueryOp, service_changes
from ui.widgets.category_search import CategorySearch
from ui.widgets.contact_reveal import ContactReveal


def note_edit(height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(height)
    return edit


def nearby_text(case: NearbyCase) -> str:
    """A nearby case as a list shows it: number, state, distance, address."""
    return "{number}  {state}  {m} m\n{address}".format(
        number=case.number, state=label(case.state), m=round(case.distance_m),
        address=case.address or " ".join(case.description.split())[:30],
    )


#: What a step sends: given the complaint's version when the form is sent, the write.
StepOperation = Callable[[int], Callable[[Session], object]]


class ComplaintStepDialog(QDialog):
    """One step on one complaint: a form, a red message line, OK and Cancel. Each step
    hands over its write (``operation``: it reads the form when the form is sent)."""

    sig_done = Signal(object)
    """The step was committed: its ``ChangeSet``."""

    def __init__(
        self,
        desk: Desk,
        complaint: Complaint,
        operation: StepOperation,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._operation = operation
        self.complaint = complaint
        self._version = complaint.version
        self._sending = False
        layout = QVBoxLayout(self)
        head = QLabel(f"{complaint.number}  {' '.join(complaint.content.split())[:60]}")
        head.setWordWrap(True)
        head.setStyleSheet("font-weight: bold;")
        layout.addWidget(head)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.message_label = message_label()
        layout.addWidget(self.message_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        install_confirm_shortcut(self, self.accept)

    # ---- For subclasses

    def has_content(self) -> bool:
        return False

    def problem(self) -> str | None:
        return None

    # ---- Qt overrides

    def reject(self) -> None:
        reject_unless_kept(self, self.has_content(), super().reject)

    def accept(self) -> None:
        if self._sending:
            return
        problem = self.problem()
        if problem:
            self.show_message(problem)
            return
        self.show_message("")
        self._sending = True
        self.ok_button.setEnabled(False)
        MutationOp(
            self._desk.tasks,
            self,
            op=self._operation(self._version),
            success=self._on_sent,
            failure=self._on_failed,
        ).run()

    # ---- Private

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _on_sent(self, result: object) -> None:
        self._sending = False
        self.sig_done.emit(service_changes(result))
        super().accept()

    def _on_failed(self, error: BaseException) -> None:
        self._sending = False
        self.ok_button.setEnabled(True)
        self.show_message(str(error))
        if isinstance(error, StaleCase):
            complaint_id = self.complaint.id
            QueryOp(
                self._desk.tasks,
                self,
                op=lambda s: complaints.get_complaint(s, complaint_id),
                success=self._on_reloaded,
            ).run()

    def _on_reloaded(self, complaint: Complaint | None) -> None:
        if complaint is not None:
            self.complaint = complaint
            self._version = complaint.version


class ToCaseDialog(ComplaintStepDialog):
    """转为案卷: a new case from the complaint (its content, address and place)."""

    def __init__(self, desk: Desk, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(desk, complaint, self._send, parent)
        self.setWindowTitle(self.tr("Turn the complaint into a case"))
        self.ok_button.setText(self.tr("Open case"))
        self.category = CategorySearch()
        self.category.setObjectName("category")
        self.category.set_categories(desk.reference.categories)
        self.category.setPlaceholderText(self.tr("Type a name or a code, e.g. 井盖 or 0101"))
        chosen = next(
            (c for c in desk.reference.categories if c.id == complaint.category_id), None
        )
        if chosen is not None:
            self.category.choose(chosen)
        self.form.addRow(self.tr("Category:"), self.category)
        self.condition = QComboBox()
        self.condition.setObjectName("filing_condition")
        self.condition.addItem(self.tr("— choose a category first —"), None)
        self.form.addRow(self.tr("Filing condition:"), self.condition)
        self.urgency = QComboBox()
        self.urgency.setObjectName("urgency")
        for u in Urgency:
            self.urgency.addItem(label(u), u)
        self.form.addRow(self.tr("Urgency:"), self.urgency)
        self._conditions_of: int | None = None
        self.category.editingFinished.connect(self._on_category_chosen)
        self.category.sig_chosen.connect(self._on_category_chosen)
        self._on_category_chosen()
        self.description = note_edit(90)
        self.description.setObjectName("description")
        self.description.setPlainText(complaint.content)
        self.form.addRow(self.tr("Description:"), self.description)
        self.category.setFocus()

    @Slot()
    def _on_category_chosen(self) -> None:
        """The filing conditions of the chosen category, as in the new-case form."""
        category = self.category.chosen()
        if category is None or category.id == self._conditions_of:
            return
        category_id = self._conditions_of = category.id
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: catalogue.filing_conditions(s, category_id),
            success=lambda found: self._on_conditions(category_id, found),
        ).run()

    def _on_conditions(self, category_id: int, found: list[FilingConditionInfo]) -> None:
        chosen = self.category.chosen()
        if chosen is None or chosen.id != category_id:
            return
        self.condition.clear()
        self.condition.addItem(self.tr("— not decided yet —"), None)
        for c in found:
            self.condition.addItem(f"{c.seq}. {c.description}", c.id)
        if len(found) == 1:
            self.condition.setCurrentIndex(1)

    def has_content(self) -> bool:
        return self.description.toPlainText().strip() != self.complaint.content.strip()

    def problem(self) -> str | None:
        if self.category.chosen() is None:
            return self.tr("Choose a category from the list.")
        if not self.description.toPlainText().strip():
            return self.tr("Describe the problem.")
        return None

    def _send(self, version: int) -> Callable[[Session], object]:
        category = self.category.chosen()
        assert category is not None
        fields = CaseFields(
            category_id=category.id,
            filing_condition_id=self.condition.currentData(),
            urgency=Urgency(self.urgency.currentData()),
            description=self.description.toPlainText().strip(),
        )
        complaint_id = self.complaint.id
        return lambda s: complaints.complaint_to_case(
            s, complaint_id=complaint_id, expected_version=version, fields=fields
        )


class LinkDialog(ComplaintStepDialog):
    """关联案卷: the case's number, or one of the open cases nearby."""

    def __init__(self, desk: Desk, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(desk, complaint, self._send, parent)
        self.setWindowTitle(self.tr("Link the complaint to a case"))
        self.ok_button.setText(self.tr("Link"))
        self.case_number = QLineEdit()
        self.case_number.setObjectName("case_number")
        self.case_number.setPlaceholderText(self.tr("Case number"))
        self.form.addRow(self.tr("Case:"), self.case_number)
        self.nearby = QListWidget()
        self.nearby.setObjectName("nearby_cases")
        self.nearby.setWordWrap(True)
        self.nearby.setMinimumHeight(120)
        self.form.addRow(self.tr("Open cases nearby:"), self.nearby)
        self.nearby.currentItemChanged.connect(self._on_nearby_current_changed)
        self.nearby.itemActivated.connect(lambda _item: self.accept())
        self.case_number.setFocus()
        if complaint.longitude is not None and complaint.latitude is not None:
            lon, lat, category = complaint.longitude, complaint.latitude, complaint.category_id
            QueryOp(
                desk.tasks,
                self,
                op=lambda s: complaint_queues.nearby_open_cases(s, lon, lat, category),
                success=self._on_nearby,
            ).run()

    def _on_nearby(self, found: list[NearbyCase]) -> None:
        for case in found:
            item = QListWidgetItem(nearby_text(case))
            item.setData(256, case.number)
            self.nearby.addItem(item)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_nearby_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is not None:
            self.case_number.setText(str(current.data(256)))

    def has_content(self) -> bool:
        return bool(self.case_number.text().strip())

    def problem(self) -> str | None:
        if not self.case_number.text().strip():
            return self.tr("Give the number of the case.")
        return None

    def _send(self, version: int) -> Callable[[Session], object]:
        number = self.case_number.text().strip()
        complaint_id = self.complaint.id

        def link(s: Session) -> ChangeSet:
            case_id: CaseId = find_case_id(s, number)
            return complaints.link_complaint(
                s, complaint_id=complaint_id, expected_version=version, case_id=case_id
            )

        return link


class ForwardDialog(ComplaintStepDialog):
    """转办: not city-management business; the agency it goes to and a note."""

    def __init__(self, desk: Desk, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(desk, complaint, self._send, parent)
        self.setWindowTitle(self.tr("Forward the complaint to another agency"))
        self.ok_button.setText(self.tr("Forward"))
        self.agency = QLineEdit()
        self.agency.setObjectName("agency")
        self.agency.setPlaceholderText(self.tr("e.g. the traffic police, the water company"))
        self.form.addRow(self.tr("Agency:"), self.agency)
        self.note = note_edit()
        self.note.setObjectName("note")
        self.form.addRow(self.tr("Note:"), self.note)
        self.agency.setFocus()

    def has_content(self) -> bool:
        return bool(self.agency.text().strip() or self.note.toPlainText().strip())

    def problem(self) -> str | None:
        if not self.agency.text().strip():
            return self.tr("Name the agency the complaint goes to.")
        return None

    def _send(self, version: int) -> Callable[[Session], object]:
        agency = self.agency.text().strip()
        note = self.note.toPlainText().strip() or None
        complaint_id = self.complaint.id
        return lambda s: complaints.forward_complaint(
            s, complaint_id=complaint_id, expected_version=version, agency=agency, note=note
        )


class ReplyDialog(ComplaintStepDialog):
    """答复: what the complainant was told, and how."""

    def __init__(self, desk: Desk, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(desk, complaint, self._send, parent)
        self.setWindowTitle(self.tr("Reply to the complainant"))
        self.ok_button.setText(self.tr("Record reply"))
        self.contact = ContactReveal(desk, "reply")
        self.contact.show_complaint(complaint)
        self.form.addRow(self.tr("Complainant:"), self.contact)
        self.method = QComboBox()
        self.method.setObjectName("method")
        for m in ReplyMethod:
            self.method.addItem(label(m), m)
        self.form.addRow(self.tr("How:"), self.method)
        self.reply = note_edit(110)
        self.reply.setObjectName("reply")
        self.form.addRow(self.tr("Reply:"), self.reply)
        self.reply.setFocus()

    def has_content(self) -> bool:
        return bool(self.reply.toPlainText().strip())

    def problem(self) -> str | None:
        if not self.reply.toPlainText().strip():
            return self.tr("Write what the complainant was told.")
        return None

    def _send(self, version: int) -> Callable[[Session], object]:
        reply = self.reply.toPlainText().strip()
        how = ReplyMethod(self.method.currentData())
        complaint_id = self.complaint.id
        return lambda s: complaints.reply_complaint(
            s, complaint_id=complaint_id, expected_version=version, reply=reply, how=how
        )


class CallbackDialog(ComplaintStepDialog):
    """回访: reached or not; if reached, how satisfied; a note."""

    def __init__(self, desk: Desk, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(desk, complaint, self._send, parent)
        self.setWindowTitle(self.tr("Call the complainant back"))
        self.ok_button.setText(self.tr("Record callback"))
        self.contact = ContactReveal(desk, "callback")
        self.contact.show_complaint(complaint)
        self.form.addRow(self.tr("Complainant:"), self.contact)
        self.reached = QRadioButton(self.tr("Reached"))
        self.reached.setObjectName("reached")
        self.not_reached = QRadioButton(self.tr("Not reached"))
        self.not_reached.setObjectName("not_reached")
        self.reached.setChecked(True)
        self.form.addRow(self.tr("Call:"), self.reached)
        self.form.addRow("", self.not_reached)
        self.satisfaction = QComboBox()
        self.satisfaction.setObjectName("satisfaction")
        self.satisfaction.addItem(self.tr("— choose —"), None)
        for s in Satisfaction:
            self.satisfaction.addItem(label(s), s)
        self.form.addRow(self.tr("Satisfaction:"), self.satisfaction)
        self.note = note_edit()
        self.note.setObjectName("note")
        self.form.addRow(self.tr("Note:"), self.note)
        self.reached.toggled.connect(self.satisfaction.setEnabled)
        self.satisfaction.setFocus()

    def has_content(self) -> bool:
        return bool(self.note.toPlainText().strip() or self.satisfaction.currentIndex() > 0)

    def problem(self) -> str | None:
        if self.reached.isChecked() and self.satisfaction.currentData() is None:
            return self.tr("Choose how satisfied the complainant is.")
        return None

    def _send(self, version: int) -> Callable[[Session], object]:
        reached = self.reached.isChecked()
        data = self.satisfaction.currentData()
        satisfaction = Satisfaction(data) if reached and data is not None else None
        note = self.note.toPlainText().strip() or None
        complaint_id = self.complaint.id
        return lambda s: complaints.callback_complaint(
            s,
            complaint_id=complaint_id,
            expected_version=version,
            reached=reached,
            satisfaction=satisfaction,
            note=note,
        )
