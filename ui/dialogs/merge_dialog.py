"""合并: merge a duplicate report into the original case, named by its number."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QFormLayout, QLineEdit

from seatdesk.services import actions, queues
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
        number, given = self.original.text().strip(), self._arguments()
        action, case_id, version = self.action, self.case.id, self._version
        self.send(
            lambda s: actions.perform(
                s,
                action,
                case_id=case_id,
                expected_version=version,
                given=replace(given, original_id=queues.find_case_id(s, number)),
            )
        )
