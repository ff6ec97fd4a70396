"""Dispatch (派遣) and rework (返工): a department, and the handling deadline the
standard gives (computed by the core, shown here).

The department chooser preselects the category's default department (the filing
condition's handling department, else the one most often sent such cases in the grid),
read by ``seatdesk.services.ui_queries.suggested_department``. A department an
administrator adds or retires while the dialog is open appears or goes at once.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from seatdesk.domain.glossary import Action
from seatdesk.services import ui_queries
from seatdesk.services.actions import ActionInput
from seatdesk.services.queues import CaseDetail
from ui.desk import Desk
from ui.dialogs.action_dialog import ActionDialog
from ui.dialogs.deadline_part import DeadlinePart
from ui.reference import ReferenceData
from ui.tasks import QueryOp


class DispatchDialog(ActionDialog):
    """派遣: choose the department; the deadline is shown as the standard computes it."""

    def __init__(
        self, desk: Desk, case: CaseDetail, action: Action, parent: QWidget | None = None
    ) -> None:
        super().__init__(desk, case, action, parent)
        case_id = case.id
        QueryOp(
            desk.tasks,
            self,
            op=lambda s: ui_queries.suggested_department(s, case_id),
            success=self._on_suggested,
        ).run()

    def _add_fields(self, form: QFormLayout) -> None:
        self.department = QComboBox()
        self.department.setObjectName("department")
        self._fill_departments(self._desk.reference)
        self._desk.reference_store.sig_changed.connect(self._on_reference_changed)
        if self.case.current_department:  # a re-dispatch starts from the last department
            self._select(self.case.current_department)
        form.addRow(self.tr("Department:"), self.department)
        self.deadline = DeadlinePart(self._desk, self.case, self.action)
        form.addRow(self.tr("Deadline:"), self.deadline)

    def _validate(self) -> str | None:
        if self.department.currentData() is None:
            return self.tr("Choose the department that will handle the case.")
        return super()._validate()

    def _arguments(self) -> ActionInput:
        return replace(super()._arguments(), department=self.department.currentData())

    # ---- Private slots

    def _on_reference_changed(self, reference: ReferenceData) -> None:
        self._fill_departments(reference)

    def _on_suggested(self, code: str | None) -> None:
        if code and self.department.currentData() is None:
            self._select(code)

    def _select(self, code: str) -> None:
        index = self.department.findData(code)
        if index >= 0:
            self.department.setCurrentIndex(index)

    def _fill_departments(self, reference: ReferenceData) -> None:
        """The departments to choose from, keeping the chosen one when it remains."""
        chosen = self.department.currentData()
        self.department.clear()
        self.department.addItem(self.tr("— choose —"), None)
        for d in reference.departments:
            self.department.addItem(f"{d.name} ({d.code})", d.code)
        if chosen is not None:
            self._select(chosen)


class ReworkDialog(ActionDialog):
    """返工: back to the same department with a new deadline and a reason."""

    def _add_fields(self, form: QFormLayout) -> None:
        name = self._desk.reference.department_name(self.case.current_department)
        form.addRow(self.tr("Department:"), QLabel(name))
        self.deadline = DeadlinePart(self._desk, self.case, self.action)
        form.addRow(self.tr("New deadline:"), self.deadline)

