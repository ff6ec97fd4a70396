"""The admin's user dialogs: a new seat user, its roles and department, a new password.

Each dialog runs its own change (``ui.tasks.MutationOp``) when OK is pressed and stays
open with the refusal in one sentence when the database says no (a weak password, a
login that exists, the last admin), so nothing typed is lost; it closes once the change
is committed. The password is checked against the policy first (``users.check_password``)
for an immediate answer; the database checks it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.domain.glossary import Role
from seatdesk.errors import SeatdeskError
from seatdesk.services import users
from seatdesk.services.common import ChangeSet
from seatdesk.services.users import UserInfo
from ui.desk import Desk
from ui.hooks import require_hooks
from ui.labels import label
from ui.tasks import MutationOp

# The roles an admin gives a desk user (the intake's account is made on the command line).
DESK_ROLES = [r for r in Role if r is not Role.INTAKE]


class ChangeDialog(QDialog):
    """A form whose OK runs one change; the refusal shows in ``error``."""

    # The change OK runs, which every dialog says itself (ui.hooks: a dialog without it
    # is refused when defined; Shiboken's metaclass rules out abc).
    _change: Callable[[], Callable[[Session], ChangeSet]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        require_hooks(cls, ["_change"])

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _problem(self) -> str | None:
        """What the form itself can tell is wrong, as a sentence (None: nothing)."""
        return None


    @Slot()
    def _on_buttons_accepted(self) -> None:
        problem = self._problem()
        if problem is not None:
            self.error.setText(problem)
            return
        self.error.clear()
        self.buttons.setEnabled(False)
        MutationOp(self._desk.tasks, self, op=self._change(), success=self._on_done,
                   failure=self._on_failed).run()

    def _on_done(self, _changes: ChangeSet) -> None:
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(str(error))


class _PasswordFields:
    """A password typed twice."""

    def __init__(self, form: QFormLayout) -> None:
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setObjectName("password_again")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(QCoreApplication.translate("PasswordFields", "Password:"), self.password)
        form.addRow(QCoreApplication.translate("PasswordFields", "Password again:"), self.again)

    def problem(self, login: str) -> str | None:
        if self.password.text() != self.again.text():
            return QCoreApplication.translate("PasswordFields", "The two passwords differ.")
        try:
            users.check_password(self.password.text(), login)
        except SeatdeskError as exc:
            return str(exc)
        return None


class UserDialog(ChangeDialog):
    """A new seat user (login, name, password, roles, department), or the roles and
    department of an existing one (``user`` given)."""

    def __init__(
        self, desk: Desk, user: UserInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(desk, parent)
        self._user = user
        self.setWindowTitle(self.tr("New user") if user is None
                            else self.tr("Roles of {login}").format(login=user.login))
        self.login = QLineEdit(user.login if user else "")
        self.login.setObjectName("login")
        self.login.setReadOnly(user is not None)
        self.form.addRow(self.tr("User name:"), self.login)
        self.display_name = QLineEdit(user.display_name if user else "")
        self.display_name.setObjectName("display_name")
        self.display_name.setReadOnly(user is not None)
        self.form.addRow(self.tr("Display name:"), self.display_name)
        self.passwords = _PasswordFields(self.form) if user is None else None
        roles = QGridLayout()
        self.role_boxes: dict[Role, QCheckBox] = {}
        shown = DESK_ROLES + ([Role.INTAKE] if user is not None and Role.INTAKE in user.roles
                              else [])  # never dropped by editing the others
        for i, role in enumerate(shown):
            box = QCheckBox(label(role))
            box.setObjectName(f"role_{role.value}")
            box.setChecked(user is not None and role in user.roles)
            roles.addWidget(box, i // 3, i % 3)
            self.role_boxes[role] = box
        self.form.addRow(self.tr("Roles:"), roles)
        self.department = QComboBox()
        self.department.setObjectName("department")
        self.department.addItem(self.tr("— none —"), None)
        for d in desk.reference.departments:
            self.department.addItem(f"{d.name} ({d.code})", d.code)
        if user is not None and user.department is not None:
            index = self.department.findData(user.department)
            if index < 0:  # a deactivated department stays shown as it is
                self.department.addItem(user.department, user.department)
                index = self.department.count() - 1
            self.department.setCurrentIndex(index)
        self.form.addRow(self.tr("Department:"), self.department)
        self.role_boxes[Role.DEPARTMENT].toggled.connect(self._on_department_role_toggled)
        self._on_department_role_toggled(self.role_boxes[Role.DEPARTMENT].isChecked())

    # ---- Public API

    def roles(self) -> list[Role]:
        return [r for r, box in self.role_boxes.items() if box.isChecked()]

    # ---- ChangeDialog

    def _problem(self) -> str | None:
        if not self.roles():
            return self.tr("Choose at least one role.")
        if Role.DEPARTMENT in self.roles() and self.department.currentData() is None:
            return self.tr("A department seat needs its department.")
        if self.passwords is not None:
            return self.passwords.problem(self.login.text().strip())
        return None

    def _change(self) -> Callable[[Session], ChangeSet]:
        login = self.login.text().strip()
        roles = self.roles()
        department = self.department.currentData() if Role.DEPARTMENT in roles else None
        if self.passwords is None:
            return lambda s: users.set_roles(s, login=login, roles=roles,
                                             department=department)
        password = self.passwords.password.text()
        name = self.display_name.text().strip() or None
        return lambda s: users.add_user(s, login=login, password=password, roles=roles,
                                        display_name=name, department=department)

    # ---- Private slots

    @Slot(bool)
    def _on_department_role_toggled(self, checked: bool) -> None:
        self.department.setEnabled(checked)


class PasswordDialog(ChangeDialog):
    """A new password for ``login`` (the admin's reset), under the password policy."""

    def __init__(self, desk: Desk, login: str, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self._login = login
        self.setWindowTitle(self.tr("Reset the password of {login}").format(login=login))
        self.passwords = _PasswordFields(self.form)

    def _problem(self) -> str | None:
        return self.passwords.problem(self._login)

    def _change(self) -> Callable[[Session], ChangeSet]:
        login, password = self._login, self.passwords.password.text()
        return lambda s: users.set_password(s, login=login, password=password)
