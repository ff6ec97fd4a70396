"""预立案: confirm the filing condition, after seeing the possible duplicates.

Open cases of the same category within 50 m are listed before the case is filed; the
person may merge the report into one of them instead (合并), which closes this dialog.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.glossary import Action
from seatdesk.services import cases, catalogue, ui_queries
from seatdesk.services.actions import ActionInput
from seatdesk.services.catalogue import FilingConditionInfo
from seatdesk.services.queues import CaseDetail
from seatdesk.services.ui_queries import DuplicateCandidate
from ui.desk import Desk
from ui.dialogs.action_dialog import ActionDialog
from ui.labels import format_time, label
from ui.tasks import QueryOp


class PreRegisterDialog(ActionDialog):
    """Filing condition, duplicates, and the way to merge instead."""

    def __init__(
        self, desk: Desk, case: CaseDetail, action: Action, parent: QWidget | None = None
    ) -> None:
        super().__init__(desk, case, action, parent)
        case_id, category_id = case.id, case.category_id
        QueryOp(
            desk.tasks,
            self,
            op=lambda s: catalogue.filing_conditions(s, category_id),
            success=self._on_conditions,
        ).run()
        QueryOp(
            desk.tasks,
            self,
            op=lambda s: ui_queries.possible_duplicates(s, case_id),
            success=self._on_duplicates,
        ).run()

    def _add_fields(self, form: QFormLayout) -> None:
        self.condition = QComboBox()
        self.condition.setObjectName("filing_condition")
        self.condition.addItem(self.tr("loading…"), None)
        form.addRow(self.tr("Filing condition:"), self.condition)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.duplicates_label = QLabel(self.tr("Looking for reports within 50 m…"))
        self.duplicates = QTreeWidget()
        self.duplicates.setObjectName("duplicates")
        self.duplicates.setRootIsDecorated(False)
        self.duplicates.setHeaderLabels(
            [self.tr("Number"), self.tr("State"), self.tr("Distance"), self.tr("Address"),
             self.tr("Reported")]
        )
        self.duplicates.setMaximumHeight(130)
        self.duplicates.hide()
        self.merge_button = QPushButton(self.tr("Merge into the selected case"))
        self.merge_button.setObjectName("merge")
        self.merge_button.hide()
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        layout.addWidget(self.duplicates_label)
        layout.addWidget(self.duplicates)
        layout.addWidget(self.merge_button)
        form.addRow(self.tr("Possible duplicates:"), box)

    def _validate(self) -> str | None:
        if self.condition.currentData() is None:
            return self.tr("Choose the filing condition the report meets.")
        return super()._validate()

    def _arguments(self) -> ActionInput:
        return replace(super()._arguments(), filing_condition_id=self.condition.currentData())

    # ---- Private slots

    def _on_conditions(self, conditions: list[FilingConditionInfo]) -> None:
        self.condition.clear()
        self.condition.addItem(self.tr("— choose —"), None)
        for c in conditions:
            self.condition.addItem(f"{c.seq}. {c.description}", c.id)
        index = self.condition.findData(self.case.filing_condition_id)
        if index < 0 and len(conditions) == 1:
            index = 1
        self.condition.setCurrentIndex(max(index, 0))

    def _on_duplicates(self, found: list[DuplicateCandidate]) -> None:
        if not found:
            self.duplicates_label.setText(self.tr("No open report of this category within 50 m."))
            return
        self.duplicates_label.setText(
            self.tr("{n} open reports of this category within 50 m:").format(n=len(found))
        )
        for d in found:
            item = QTreeWidgetItem(
                [d.number, label(d.state), f"{d.distance_m:.0f} m", d.address,
                 format_time(d.created_at)]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, int(d.id))
            self.duplicates.addTopLevelItem(item)
        first = self.duplicates.topLevelItem(0)
        if first is not None:
            self.duplicates.setCurrentItem(first)
        self.duplicates.show()
        self.merge_button.show()

    @Slot()
    def _on_merge_button_clicked(self) -> None:
        item = self.duplicates.currentItem()
        if item is None or self._sending:
            return
        original = int(item.data(0, Qt.ItemDataRole.UserRole))
        case_id, version, note = self.case.id, self._version, self.note() or None
        self.send(
            lambda s: cases.merge(
                s,
                case_id=case_id,
                expected_version=version,
                original_id=original,  # type: ignore[arg-type]
                note=note,
            )
        )
