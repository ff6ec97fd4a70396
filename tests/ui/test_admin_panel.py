"""The admin's panel driven through its widgets against the real database: a user made
through the dialog (a weak password refused in the dialog first), found with the
filter, disabled; the admin refused disabling themselves in one sentence; departments
added, renamed, deactivated and merged through the dialogs, every desk's pickers
following; a non-admin never gets the panel."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

import ui.map  # noqa: F401 - QtWebEngine before the QApplication, sandbox off as root
from seatdesk.domain.glossary import Role
from seatdesk.errors import PermissionDenied
from seatdesk.services import backup_runs
from tests.core.conftest import DEPARTMENT, LOGIN
from tests.ui.conftest import Owner, wait_idle
from tests.ui.driving import type_text
from ui.desk import Desk
from ui.dialogs.department_dialogs import DepartmentDialog, MergeDialog
from ui.dialogs.user_dialogs import ChangeDialog, PasswordDialog, UserDialog
from ui.main_window import MainWindow
from ui.panels.admin_panel import ADMIN_TABS, AdminPanel
from ui.panels.registry import panels_for
from ui.widgets.admin_backups import AdminBackupsView
from ui.widgets.admin_departments import AdminDepartmentsView
from ui.widgets.admin_list import AdminListView
from ui.widgets.admin_users import AdminUsersView

ADMIN = LOGIN[Role.ADMIN]
STRONG = "Adm1n-Test-Passw0rd"
D = TypeVar("D", bound=ChangeDialog)


def _panel(desk: Desk, qtbot: QtBot) -> AdminPanel:
    panel = AdminPanel(desk)
    qtbot.addWidget(panel)
    panel.show()
    wait_idle(qtbot, desk.tasks)
    return panel


def _click(button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    button.click()


def _ok(qtbot: QtBot, dialog: ChangeDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def _done(qtbot: QtBot, desk: Desk, dialog: ChangeDialog) -> None:
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(),
                    timeout=15_000)
    wait_idle(qtbot, desk.tasks)


def _dialog(view: QWidget, kind: type[D]) -> D:
    """The one open dialog of ``kind`` the view's button opened."""
    found = [d for d in view.findChildren(kind) if d.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _choose(qtbot: QtBot, view: AdminListView[object], key: str) -> None:
    view.filter.clear()
    type_text(view.filter, key)
    qtbot.waitUntil(lambda: key in view.visible_keys(), timeout=15_000)
    assert view.select(key)
    wait_idle(qtbot, view._desk.tasks)


def test_a_non_admin_never_gets_the_panel(
    qtbot: QtBot, desk_for: Callable[[str], Desk]
) -> None:
    dispatcher = desk_for(LOGIN[Role.DISPATCHER])
    built = panels_for(dispatcher)
    assert not any(isinstance(p, AdminPanel) for p in built)
    with pytest.raises(PermissionDenied):
        AdminPanel(dispatcher)
    admin = desk_for(ADMIN)
    built += panels_for(admin)
    # Every panel built goes to qtbot, which deletes it before the QApplication: the
    # admin panel holds a map (QtWebEngine), whose page outliving the application
    # crashes the interpreter's exit.
    for panel in built:
        qtbot.addWidget(panel)
    panels = [p for p in built if isinstance(p, AdminPanel)]
    assert len(panels) == 1
    tabs = panels[0].tabs
    assert tabs.count() == len(ADMIN_TABS)
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Users", "Departments", "Catalogue", "Time limits", "Calendar", "Grids", "Collectors",
        "Staff assessment", "Backups",
    ]


def test_create_a_user_through_the_dialog_and_disable_it(
    desk_for: Callable[[str], Desk], qtbot: QtBot, owner: Owner
) -> None:
    desk = desk_for(ADMIN)
    panel = _panel(desk, qtbot)
    view = panel.show_tab("Users")
    assert isinstance(view, AdminUsersView)
    qtbot.waitUntil(lambda: ADMIN in view.visible_keys(), timeout=15_000)
    login = f"ua{uuid.uuid4().hex[:8]}"

    _click(view.new_button)
    dialog = _dialog(view, UserDialog)
    type_text(dialog.login, login)
    type_text(dialog.display_name, "测试 王五")
    type_text(dialog.passwords.password, "weak")  # type: ignore[union-attr]
    type_text(dialog.passwords.again, "weak")  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.role_boxes[Role.ACCEPTOR], Qt.MouseButton.LeftButton)
    _ok(qtbot, dialog)
    assert dialog.isVisible() and "密码" in dialog.error.text()
    assert owner.scalar("SELECT count(*) FROM users WHERE login = :l", l=login) == 0
    for edit in (dialog.passwords.password, dialog.passwords.again):  # type: ignore[union-attr]
        edit.clear()
        type_text(edit, STRONG)
    _done(qtbot, desk, dialog)
    assert owner.scalar("SELECT display_name FROM users WHERE login = :l", l=login) == "测试 王五"
    assert owner.scalar("SELECT actor FROM user_events WHERE login = :l AND "
                        "action = 'user_created'", l=login) == ADMIN

    _choose(qtbot, view, login)
    assert view.visible_keys() == [login]
    qtbot.waitUntil(lambda: view.audit.rowCount() == 1, timeout=15_000)

    # Roles and department: a department seat needs its department.
    _click(view.roles_button)
    roles = _dialog(view, UserDialog)
    assert roles.login.isReadOnly() and roles.role_boxes[Role.ACCEPTOR].isChecked()
    qtbot.mouseClick(roles.role_boxes[Role.DEPARTMENT], Qt.MouseButton.LeftButton)
    _ok(qtbot, roles)
    assert roles.isVisible() and roles.error.text()
    roles.department.setCurrentIndex(roles.department.findData(DEPARTMENT))
    _done(qtbot, desk, roles)
    given = owner.scalar("SELECT array_to_string(roles, ',') || ' ' || department_code "
                         "FROM users WHERE login = :l", l=login)
    assert given == f"acceptor,department {DEPARTMENT}"

    # A new password, under the policy.
    _click(view.password_button)
    reset = _dialog(view, PasswordDialog)
    type_text(reset.passwords.password, STRONG + "x")
    type_text(reset.passwords.again, STRONG + "y")
    _ok(qtbot, reset)
    assert reset.isVisible() and reset.error.text()  # the two differ
    reset.passwords.again.clear()
    type_text(reset.passwords.again, STRONG + "x")
    _done(qtbot, desk, reset)
    assert owner.scalar("SELECT count(*) FROM user_events WHERE login = :l AND "
                        "action = 'password_reset'", l=login) == 1
    qtbot.waitUntil(lambda: view.audit.rowCount() == 3, timeout=15_000)
    _click(view.active_button)
    qtbot.waitUntil(lambda: login in view.message.text(), timeout=15_000)
    assert owner.scalar("SELECT active FROM users WHERE login = :l", l=login) is False
    qtbot.waitUntil(lambda: view.active_button.text() == "Enable", timeout=15_000)
    qtbot.waitUntil(lambda: view.audit.rowCount() == 4, timeout=15_000)


def test_the_admin_is_refused_disabling_themselves_in_one_sentence(
    desk_for: Callable[[str], Desk], qtbot: QtBot, owner: Owner
) -> None:
    desk = desk_for(ADMIN)
    panel = _panel(desk, qtbot)
    view = panel.show_tab("Users")
    assert isinstance(view, AdminUsersView)
    _choose(qtbot, view, ADMIN)
    _click(view.active_button)
    qtbot.waitUntil(lambda: "自己" in view.message.text(), timeout=15_000)
    assert view.message.text().count("。") <= 1
    assert owner.scalar("SELECT active FROM users WHERE login = :l", l=ADMIN) is True


def test_departments_added_renamed_deactivated_and_merged(
    desk_for: Callable[[str], Desk], qtbot: QtBot, owner: Owner
) -> None:
    desk = desk_for(ADMIN)
    dispatcher = desk_for(LOGIN[Role.DISPATCHER])
    window = MainWindow(dispatcher, listen=True)  # another workstation, listening
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.live, timeout=10_000)
    panel = _panel(desk, qtbot)
    view = panel.show_tab("Departments")
    assert isinstance(view, AdminDepartmentsView)
    tag = uuid.uuid4().hex[:6].upper()
    old, new = f"A{tag}", f"B{tag}"

    for code, name in ((old, "旧园林处"), (new, "新园林处")):
        _click(view.new_button)
        dialog = _dialog(view, DepartmentDialog)
        type_text(dialog.code, code)
        type_text(dialog.name, name)
        _done(qtbot, desk, dialog)
        qtbot.waitUntil(lambda c=code: c in view.visible_keys(), timeout=15_000)
    # This desk's pickers follow its own change, another open desk's the change notice.
    qtbot.waitUntil(lambda: desk.reference.department_name(old) == "旧园林处", timeout=15_000)
    # Another open desk's pickers follow the change notice.
    qtbot.waitUntil(lambda: dispatcher.reference.department_name(new) == "新园林处",
                    timeout=15_000)

    _choose(qtbot, view, new)
    _click(view.rename_button)
    rename = _dialog(view, DepartmentDialog)
    assert rename.code.isReadOnly()
    rename.name.clear()
    type_text(rename.name, "园林绿化处")
    _done(qtbot, desk, rename)
    assert owner.scalar("SELECT name FROM departments WHERE code = :c", c=new) == "园林绿化处"

    _choose(qtbot, view, old)
    _click(view.merge_button)
    merge = _dialog(view, MergeDialog)
    _ok(qtbot, merge)
    assert merge.isVisible() and merge.error.text()  # no target chosen: said, not sent
    merge.target.setCurrentIndex(merge.target.findData(new))
    _done(qtbot, desk, merge)
    assert owner.scalar("SELECT active FROM departments WHERE code = :c", c=old) is False
    assert owner.scalar("SELECT detail ->> 'into' FROM department_events WHERE department = :c "
                        "AND action = 'merged'", c=old) == new
    qtbot.waitUntil(lambda: dispatcher.reference.department_name(old) == old, timeout=15_000)

    _choose(qtbot, view, new)
    _click(view.active_button)
    qtbot.waitUntil(lambda: new in view.message.text(), timeout=15_000)
    assert owner.scalar("SELECT active FROM departments WHERE code = :c", c=new) is False
    qtbot.waitUntil(lambda: view.active_button.text() == "Reactivate", timeout=15_000)
    _click(view.active_button)
    qtbot.waitUntil(lambda: owner.scalar("SELECT active FROM departments WHERE code = :c",
                                         c=new) is True, timeout=15_000)
    actions = owner.scalar("SELECT string_agg(action, ',' ORDER BY id) FROM department_events "
                           "WHERE department = :c", c=new)
    assert actions == "added,renamed,deactivated,reactivated"
    window.close()


def test_the_backups_tab_shows_each_nights_run_and_its_trail(
    qtbot: QtBot, desk_for: Callable[[str], Desk], owner: Owner
) -> None:
    # A day of its own (2004): the nightly tests and the reports use other years.
    day = date(2004, 4, 4)
    inspector = LOGIN[Role.INSPECTOR]
    assert owner.as_(inspector, lambda s: backup_runs.claim(s, day))
    owner.as_(inspector, lambda s: backup_runs.finish(s, day, error="disk full"))
    assert owner.as_(ADMIN, lambda s: backup_runs.claim(s, day))  # the retry
    owner.as_(ADMIN, lambda s: backup_runs.finish(s, day, file_name="/srv/b/x.dump"))
    desk = desk_for(ADMIN)
    panel = _panel(desk, qtbot)
    view = panel.show_tab("Backups")
    assert isinstance(view, AdminBackupsView)
    view.reload()
    qtbot.waitUntil(lambda: day.isoformat() in view.visible_keys(), timeout=15_000)
    _choose(qtbot, view, day.isoformat())
    row = [view.table.item(view.table.currentRow(), c).text() for c in range(3)]
    assert row == [day.isoformat(), "Written", "/srv/b/x.dump"]
    qtbot.waitUntil(lambda: view.audit.rowCount() == 4, timeout=15_000)
    steps = [view.audit.item(r, 2).text() for r in range(4)]
    assert steps == ["Claimed", "Failed", "Retried", "Written"]
    assert view.audit.item(1, 3).text() == "disk full"


def test_every_admin_list_and_change_dialog_says_its_hooks() -> None:
    """Each list and change dialog the panel builds defines every hook of its base."""
    import ui.widgets.admin_backups
    import ui.widgets.admin_grids  # noqa: F401 - their classes register as subclasses

    # The desk's own classes (a refused test class can linger in __subclasses__).
    lists = [c for c in AdminListView.__subclasses__() if c.__module__.startswith("ui.")]
    assert {c.__name__ for c in lists} >= {
        "AdminUsersView", "AdminDepartmentsView", "AdminBackupsView", "AdminGridsView"}
    assert not any(hasattr(AdminListView, h) for h in AdminListView.HOOKS)  # no defaults
    for cls in lists:
        assert all(callable(getattr(cls, h)) for h in AdminListView.HOOKS), cls
    dialogs = [d for d in ChangeDialog.__subclasses__() if d.__module__.startswith("ui.")]
    assert {DepartmentDialog, MergeDialog, UserDialog, PasswordDialog} <= set(dialogs)
    assert all(callable(d._change) for d in dialogs)


def test_a_list_or_dialog_missing_a_hook_is_refused_when_defined() -> None:
    """Qt's metaclass rules out abc: the bases refuse an incomplete subclass at its
    definition (ui.hooks), so a forgotten hook never reaches a seat's button."""
    with pytest.raises(TypeError, match="HalfList must define audit_headers, load_audit, "
                                        "audit_cells"):
        class HalfList(AdminListView[str]):
            def headers(self) -> list[str]:
                return ["code"]

            def load(self, session: Session) -> list[str]:
                return []

            def cells(self, row: str) -> list[str]:
                return [row]

            def key(self, row: str) -> str:
                return row

    with pytest.raises(TypeError, match="Mute must define _change"):
        class Mute(ChangeDialog):
            pass
