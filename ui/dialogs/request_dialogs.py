"""The department's requests the shift leader decides on: extension (延期), which adds
one original limit (the new deadline is shown), and postponement (缓办) with the date
work resumes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QFormLayout

from seatdesk.services.actions import ActionInput
from ui.dialogs.action_dialog import ActionDialog
from ui.dialogs.deadline_part import DeadlinePart
from ui.i18n import date_edit


class ExtensionDialog(ActionDialog):
    def _add_fields(self, form: QFormLayout) -> None:
        self.deadline = DeadlinePart(self._desk, self.case, self.action)
        form.addRow(self.tr("New deadline:"), self.deadline)



class PostponementDialog(ActionDialog):
    def _add_fields(self, form: QFormLayout) -> None:
        self.resume_on = date_edit(QDate.currentDate().addDays(7))
        self.resume_on.setObjectName("resume_on")
        self.resume_on.setMinimumDate(QDate.currentDate().addDays(1))
        form.addRow(self.tr("Resume on:"), self.resume_on)

    def _arguments(self) -> ActionInput:
        day = self.resume_on.date()
        return replace(
            super()._arguments(), resume_on=date(day.year(), day.month(), day.day())
        )
