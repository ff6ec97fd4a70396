"""A complainant's masked name and phone, with a button that shows the real ones.

Every seat reads the masked values (the database's generated columns); the monitor and
the admin may ask for the real ones, in two steps (migration 0019): each press records
a request and its audit row (who, when, which complaint, why) and commits it, and only
then reads the real name and number, so the real number is read only when someone is
about to use it and its audit cannot be rolled back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from seatdesk.services import complaints
from seatdesk.services.complaints import Complaint, ContactDetails
from ui.desk import Desk
from ui.tasks import CommittingOp, no_changes


class ContactReveal(QWidget):
    """``王**  138****5678  [显示号码]``; after the press, the real name and number."""

    sig_revealed = Signal(object)
    """The real details were read (a ``ContactDetails``)."""

    def __init__(self, desk: Desk, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._purpose = purpose
        self._complaint: Complaint | None = None
        self._revealed: ContactDetails | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel()
        self.text.setObjectName("contact_text")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        self.button = QPushButton(self.tr("Show number"))
        self.button.setObjectName("reveal_contact")
        self.button.setToolTip(
            self.tr("Shows the real name and phone; the database records who read them.")
        )
        self.button.clicked.connect(self.reveal)
        layout.addWidget(self.button)
        self.button.setVisible(any(desk.has(r) for r in complaints.CONTACT_READERS))

    def show_complaint(self, complaint: Complaint | None) -> None:
        if complaint is None or self._revealed is None or (
            self._revealed.complaint_id != complaint.id
        ):
            # A live reload of the same complaint keeps what was read (no second audit).
            self._revealed = None
        self._complaint = complaint
        if complaint is None:
            self.text.clear()
            self.button.setEnabled(False)
            return
        if self._revealed is not None:
            return
        self.text.setText(_line(complaint.complainant, complaint.complainant_phone))
        self.button.setEnabled(bool(complaint.complainant or complaint.complainant_phone))

    def reveal(self) -> None:
        if self._complaint is None or not self.button.isEnabled():
            return
        self.button.setEnabled(False)
        complaint_id = self._complaint.id
        purpose = self._purpose

        def read(begin: complaints.Begin) -> ContactDetails | None:
            # The request and its audit commit first; then the read (two transactions).
            return complaints.reveal_contacts_committed(begin, [complaint_id], purpose).get(
                complaint_id
            )

        CommittingOp(
            self._desk.tasks,
            self,
            op=read,
            changes=no_changes,
            success=lambda found: self._on_revealed(complaint_id, found),
            failure=self._on_failed,
        ).run()

    def _on_revealed(self, complaint_id: int, found: object) -> None:
        if self._complaint is None or self._complaint.id != complaint_id:
            return
        if isinstance(found, ContactDetails):
            self._revealed = found
            self.text.setText(_line(found.complainant, found.complainant_phone))
            self.sig_revealed.emit(found)

    def _on_failed(self, error: BaseException) -> None:
        self.button.setEnabled(True)
        self.text.setToolTip(str(error))


def _line(name: str | None, phone: str | None) -> str:
    return "  ".join(x for x in (name, phone) if x)
