"""不予立案: refuse a report, with the reason from the fixed list."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QFormLayout

from seatdesk.domain.glossary import RejectReason
from seatdesk.services.actions import ActionInput
from ui.dialogs.action_dialog import ActionDialog
from ui.labels import label


class RejectDialog(ActionDialog):
    """The reason is required; the note says more when needed."""

    def _add_fields(self, form: QFormLayout) -> None:
        self.reason = QComboBox()
        self.reason.setObjectName("reason")
        self.reason.addItem(self.tr("— choose —"), None)
        for reason in RejectReason:
            self.reason.addItem(label(reason), reason)
        form.addRow(self.tr("Reason:"), self.reason)

    def _validate(self) -> str | None:
        if self.reason.currentData() is None:
            return self.tr("Choose the reason for refusing the report.")
        return super()._validate()

    def _arguments(self) -> ActionInput:
        return replace(super()._arguments(), reason=RejectReason(self.reason.currentData()))
