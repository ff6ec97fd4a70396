"""部门管理: the admin's list of departments (专业部门), and their audit.

Add a department, rename it, merge it into another (its open cases, seats and filing
conditions follow; its history stays), deactivate it (no new dispatch to it; its open
cases stay) or reactivate it. Every change is a database function, audited, and
announced to every open desk, whose pickers (``desk.reference_store``) read the
departments again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from seatdesk.notices import Kind
from seatdesk.services import departments
from seatdesk.services.departments import (
    DepartmentEventAction,
    DepartmentEventInfo,
    DepartmentRow,
)
from ui.desk import Desk
from ui.dialogs.department_dialogs import DepartmentDialog, MergeDialog
from ui.labels import format_time
from ui.widgets.admin_list import AdminListView


class AdminDepartmentsView(AdminListView[DepartmentRow]):
    """The departments, searchable, with their actions and their audit."""

    # Not on every case change (each seat's every step): the open-case counts are read
    # again when the tab is shown and after any department or user change.
    RELOAD_ON = frozenset({Kind.DEPARTMENTS.value, Kind.USERS.value})

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.new_button = self.add_button(self.tr("New department…"), "new_department",
                                          self.new_department)
        self.rename_button = self.add_button(self.tr("Rename…"), "rename_department",
                                             self.rename_department)
        self.merge_button = self.add_button(self.tr("Merge into…"), "merge_department",
                                            self.merge_department)
        self.active_button = self.add_button(self.tr("Deactivate"), "toggle_active",
                                             self.toggle_active)
        self.button_bar.addStretch(1)
        self.update_buttons(None)

    # ---- AdminListView

    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name"), self.tr("Contact"), self.tr("Status"),
                self.tr("Open cases"), self.tr("Seats")]

    def load(self, session: Session) -> list[DepartmentRow]:
        return departments.list_departments(session)

    def key(self, row: DepartmentRow) -> str:
        return row.code

    def cells(self, row: DepartmentRow) -> list[str]:
        return [row.code, row.name, row.contact or "",
                self.tr("Active") if row.active else self.tr("Deactivated"),
                str(row.open_cases), str(row.users)]

    def audit_headers(self) -> list[str]:
        return [self.tr("When"), self.tr("By"), self.tr("What"), self.tr("Department"),
                self.tr("Details")]

    def load_audit(self, key: str | None) -> Callable[[Session], Sequence[Any]]:
        return lambda s: departments.audit_log(s, department=key, limit=200)

    def audit_cells(self, event: DepartmentEventInfo) -> list[str]:
        return [format_time(event.at), event.actor, self._action_text(event.action),
                event.department, self._detail_text(event)]

    def update_buttons(self, row: DepartmentRow | None) -> None:
        for button in (self.rename_button, self.active_button):
            button.setEnabled(row is not None)
        self.merge_button.setEnabled(row is not None and row.active)
        self.active_button.setText(self.tr("Reactivate") if row is not None and not row.active
                                   else self.tr("Deactivate"))

    # ---- Public API

    def new_department(self) -> DepartmentDialog:
        dialog = DepartmentDialog(self._desk, parent=self)
        self.run_dialog(dialog)
        return dialog

    def rename_department(self) -> DepartmentDialog | None:
        row = self.current()
        if row is None:
            return None
        dialog = DepartmentDialog(self._desk, row, parent=self)
        self.run_dialog(dialog)
        return dialog

    def merge_department(self) -> MergeDialog | None:
        row = self.current()
        if row is None:
            return None
        dialog = MergeDialog(self._desk, row, self.rows, parent=self)
        self.run_dialog(dialog)
        return dialog

    def toggle_active(self) -> None:
        row = self.current()
        if row is None:
            return
        code, active = row.code, not row.active
        done = (self.tr("{code} is active again: cases may be dispatched to it.") if active
                else self.tr("{code} is deactivated: no new dispatch; its open cases stay.")
                ).format(code=code)
        self.change(lambda s: departments.set_active(s, code=code, active=active), done)

    # ---- Private

    def _action_text(self, action: DepartmentEventAction) -> str:
        return {
            DepartmentEventAction.ADDED: self.tr("Added"),
            DepartmentEventAction.RENAMED: self.tr("Renamed"),
            DepartmentEventAction.MERGED: self.tr("Merged"),
            DepartmentEventAction.DEACTIVATED: self.tr("Deactivated"),
            DepartmentEventAction.REACTIVATED: self.tr("Reactivated"),
        }[action]

    def _detail_text(self, event: DepartmentEventInfo) -> str:
        d = event.detail
        if event.action is DepartmentEventAction.RENAMED:
            return f"{d.get('from')} → {d.get('to')}"
        if event.action is DepartmentEventAction.MERGED:
            return self.tr("into {into}: {cases} open cases, {users} seats moved").format(
                into=d.get("into"), cases=d.get("open_cases"), users=d.get("users"))
        if event.action is DepartmentEventAction.ADDED:
            return str(d.get("name") or "")
        return self.tr("{cases} open cases").format(cases=d.get("open_cases", 0))
