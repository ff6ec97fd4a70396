"""合并: merge a duplicate report into the original case, named by its number."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit

from seatdesk.services import cases, queues
from ui.dialogs.action_dialog import ActionDialog


class MergeDialog(ActionDialog):
    def _add_fields(self, form: QFormLayout) -> None:
        self.original = QLineEdit()
        self.original.setObjectName("original")
        self.original.setPlaceholderText(self.tr("Number of the original case"))
        form.addRow(self.tr("Original case:"), self.original)

    def _validate(self) -> str | None:
        if not self.original.text().strip():
            return self.tr("Enter the number of the case this report repeats.")
        return super()._validate()

    def _send_action(self) -> None:
        # The original is named by its number; the worker looks its id up.
        number, note = self.original.text().strip(), self.note() or None
        case_id, version = self.case.id, self._version
        self.send(
            lambda s: cases.merge(
                s,
                case_id=case_id,
                expected_version=version,
                original_id=queues.find_case_id(s, number),
                note=note,
            )
        )
