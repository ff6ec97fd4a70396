"""The complaints (群众投诉) of one case, compactly under its fields: number, channel,
received, state and the complainant as the database masks them (王**). Several
complaints may share one case. For the shift leader, a closed case whose complainant
was called back 不满意 offers the reopen (投诉不满意重办); the detail opens its dialog."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.glossary import CaseEventAction
from seatdesk.services.complaints import Complaint
from ui.labels import format_time, label

# Rows shown before the list scrolls.
VISIBLE_ROWS = 4


class CaseComplaintsBox(QGroupBox):
    """The case's complaints; hidden when it has none."""

    sig_reopen_requested = Signal(object)
    """The shift leader asks to reopen the case for a complaint: carries the
    ``Complaint`` (called back dissatisfied) the reopen answers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reopenable: list[Complaint] = []
        self._build_ui()
        self._connect()
        self.set_complaints([], [])

    def _build_ui(self) -> None:
        self.setObjectName("case_complaints")
        layout = QVBoxLayout(self)
        self.list = QTreeWidget()
        self.list.setObjectName("complaints")
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels([
            self.tr("Number"), self.tr("Channel"), self.tr("Received"), self.tr("State"),
            self.tr("Complainant"),
        ])
        layout.addWidget(self.list)
        self.reopen_button = QPushButton(label(CaseEventAction.REOPEN_FOR_COMPLAINT) + "…")
        self.reopen_button.setObjectName("reopen_for_complaint")
        self.reopen_button.setToolTip(self.tr(
            "The complainant was called back dissatisfied: send the closed case back to its "
            "department to rework"))
        layout.addWidget(self.reopen_button)

    def _connect(self) -> None:
        self.reopen_button.clicked.connect(self._on_reopen_button_clicked)

    # ---- Public API

    def set_complaints(self, complaints: list[Complaint], reopenable: list[Complaint]) -> None:
        """Show ``complaints``; offer the reopen for the first of ``reopenable`` (the
        complaints the shown seat may reopen the case for: empty for other seats)."""
        self._reopenable = list(reopenable)
        self.setTitle(self.tr("Complaints ({count})").format(count=len(complaints)))
        self.list.clear()
        for c in complaints:
            item = QTreeWidgetItem([
                c.number, label(c.channel), format_time(c.received_at), label(c.state),
                " ".join(x for x in (c.complainant, c.complainant_phone) if x),
            ])
            self.list.addTopLevelItem(item)
        for column in range(self.list.columnCount()):
            self.list.resizeColumnToContents(column)
        rows = min(max(len(complaints), 1), VISIBLE_ROWS)
        self.list.setFixedHeight(self.list.header().sizeHint().height() + 24 * rows + 4)
        self.reopen_button.setVisible(bool(self._reopenable))
        self.setVisible(bool(complaints))

    def count(self) -> int:
        return self.list.topLevelItemCount()

    # ---- Private slots

    @Slot()
    def _on_reopen_button_clicked(self) -> None:
        if self._reopenable:
            self.sig_reopen_requested.emit(self._reopenable[0])
