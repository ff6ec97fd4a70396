"""用户管理: the admin's list of seat users, and the user-management audit.

Each user is a PostgreSQL login (``seatdesk.services.users``): create one under the
password policy, set its roles and department, reset its password, disable or enable
it. The database refuses what nobody may do (disable oneself, remove the last active
admin), and the refusal shows as one sentence above the list. Below the list, the
audit of the chosen user (or of everyone, with none chosen), newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from seatdesk import terms
from seatdesk.domain.glossary import Role
from seatdesk.notices import Kind
from seatdesk.services import users
from seatdesk.services.users import UserAction, UserEventInfo, UserInfo
from ui.desk import Desk
from ui.dialogs.user_dialogs import PasswordDialog, UserDialog
from ui.labels import format_time, label, roles_label
from ui.widgets.admin_list import AdminListView


class AdminUsersView(AdminListView[UserInfo]):
    """The seat users, searchable, with their actions and their audit."""

    RELOAD_ON = frozenset({Kind.USERS.value, Kind.DEPARTMENTS.value})

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.new_button = self.add_button(self.tr("New user…"), "new_user", self.new_user)
        self.roles_button = self.add_button(self.tr("Roles and department…"), "edit_roles",
                                            self.edit_roles)
        self.password_button = self.add_button(self.tr("Reset password…"), "reset_password",
                                               self.reset_password)
        self.active_button = self.add_button(self.tr("Disable"), "toggle_active",
                                             self.toggle_active)
        self.button_bar.addStretch(1)
        self.update_buttons(None)

    # ---- AdminListView

    def headers(self) -> list[str]:
        return [self.tr("User name"), self.tr("Name"), self.tr("Roles"), self.tr("Department"),
                self.tr("Status")]

    def load(self, session: Session) -> list[UserInfo]:
        return users.list_users(session)

    def key(self, row: UserInfo) -> str:
        return row.login

    def cells(self, row: UserInfo) -> list[str]:
        department = (self._desk.reference.department_name(row.department)
                      if row.department else "")
        return [row.login, row.display_name, roles_label(row.roles), department,
                self.tr("Active") if row.active else self.tr("Disabled")]

    def audit_headers(self) -> list[str]:
        return [self.tr("When"), self.tr("By"), self.tr("What"), self.tr("User"),
                self.tr("Details")]

    def load_audit(self, key: str | None) -> Callable[[Session], Sequence[Any]]:
        return lambda s: users.audit_log(s, login=key, limit=200)

    def audit_cells(self, event: UserEventInfo) -> list[str]:
        return [format_time(event.at), event.actor, self._action_text(event.action),
                event.login, self._detail_text(event)]

    def update_buttons(self, row: UserInfo | None) -> None:
        for button in (self.roles_button, self.password_button, self.active_button):
            button.setEnabled(row is not None)
        self.active_button.setText(
            self.tr("Enable") if row is not None and not row.active else self.tr("Disable"))

    # ---- Public API

    def new_user(self) -> UserDialog:
        dialog = UserDialog(self._desk, parent=self)
        self.run_dialog(dialog)
        return dialog

    def edit_roles(self) -> UserDialog | None:
        row = self.current()
        if row is None:
            return None
        dialog = UserDialog(self._desk, row, parent=self)
        self.run_dialog(dialog)
        return dialog

    def reset_password(self) -> PasswordDialog | None:
        row = self.current()
        if row is None:
            return None
        dialog = PasswordDialog(self._desk, row.login, parent=self)
        self.run_dialog(dialog)
        return dialog

    def toggle_active(self) -> None:
        row = self.current()
        if row is None:
            return
        login, active = row.login, not row.active
        done = (self.tr("{login} is enabled again.") if active
                else self.tr("{login} is disabled: it can no longer log in.")).format(login=login)
        self.change(lambda s: users.set_active(s, login=login, active=active), done)

    # ---- Private

    def _action_text(self, action: UserAction) -> str:
        return {
            UserAction.USER_CREATED: self.tr("Created"),
            UserAction.ROLES_CHANGED: self.tr("Roles changed"),
            UserAction.PASSWORD_RESET: self.tr("Password reset"),
            UserAction.PASSWORD_CHANGED: self.tr("Password changed by the user"),
            UserAction.DISABLED: self.tr("Disabled"),
            UserAction.ENABLED: self.tr("Enabled"),
        }[action]

    def _detail_text(self, event: UserEventInfo) -> str:
        detail = event.detail
        if event.action is UserAction.ROLES_CHANGED:
            after = detail.get("to") or {}
            return self.tr("now: {roles} {department}").format(
                roles=self._roles_text(after.get("roles")),
                department=self._department_text(after.get("department")))
        if event.action is UserAction.USER_CREATED:
            return " ".join(t for t in (self._roles_text(detail.get("roles")),
                                        self._department_text(detail.get("department"))) if t)
        return ""

    @staticmethod
    def _roles_text(values: object) -> str:
        """The roles the audit stores by their value, in the reader's words."""
        known = {r.value: r for r in Role}
        return terms.join(label(known[v]) if v in known else str(v)
                          for v in (values if isinstance(values, list) else []))

    def _department_text(self, code: object) -> str:
        return self._desk.reference.department_name(str(code)) if code else ""
