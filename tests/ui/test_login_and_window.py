"""Logging in (the database checks the password) and the panels each role gets."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt

from seatdesk import messages
from seatdesk.db.engine import ServerAddress
from seatdesk.domain.glossary import Role
from seatdesk.errors import ConnectionProblem, NotADeskUser
from seatdesk.services import users
from tests.ui.conftest import Owner
from tests.ui.driving import type_text
from ui.dialogs.login_dialog import LoginDialog
from ui.panels.acceptor_panel import AcceptorPanel
from ui.panels.dispatcher_panel import DispatcherPanel
from ui.panels.inspector_panel import InspectorPanel
from ui.panels.role_panel import RolePanel
from ui.panels.shift_leader_panel import ShiftLeaderPanel
from ui.tasks import TaskManager


@pytest.fixture
def login_dialog(qtbot, server):
    tasks = TaskManager()
    attempts: list[int] = []

    def make(start=None) -> LoginDialog:
        dialog = LoginDialog(tasks, start=start or (lambda: server))
        qtbot.addWidget(dialog)
        dialog.show()
        attempts.append(1)
        return dialog

    yield make
    tasks.shutdown()


def _log_in(qtbot, dialog: LoginDialog, user: str, password: str) -> None:
    qtbot.keyClicks(dialog.user_edit, user)
    type_text(dialog.password_edit, password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def test_a_demo_seat_logs_in(login_dialog, qtbot, seeded):
    dialog = login_dialog()
    with qtbot.waitSignal(dialog.sig_logged_in, timeout=10_000) as blocker:
        _log_in(qtbot, dialog, "dispatcher1", seeded.passwords["dispatcher1"])
    login = blocker.args[0]
    assert login.actor.login == "dispatcher1" and login.actor.roles == {Role.DISPATCHER}
    assert login.reference.departments and login.reference.categories
    login.engine.dispose()


def test_a_wrong_password_is_one_sentence_and_the_dialog_stays(login_dialog, qtbot, seeded):
    dialog = login_dialog()
    _log_in(qtbot, dialog, "acceptor1", "not-the-password")
    qtbot.waitUntil(dialog.message_label.isVisible, timeout=10_000)
    assert str(ConnectionProblem("login_failed", login="acceptor1")) == dialog.message_label.text()
    assert dialog.isVisible() and dialog.login_button.isEnabled()
    # The cursor waits in the password field, 登录 is the default button: typing the
    # right password and pressing Enter logs in (it used to quit the app).
    assert dialog.login_button.isDefault()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.password_edit, timeout=5_000)
    dialog.password_edit.clear()
    type_text(dialog.password_edit, seeded.passwords["acceptor1"])
    with qtbot.waitSignal(dialog.sig_logged_in, timeout=10_000) as blocker:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    blocker.args[0].engine.dispose()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_disabled_account_is_told_so(login_dialog, qtbot, owner: Owner):
    # Login roles belong to the whole server, which may outlive this test database.
    login = f"ui_disabled_{uuid.uuid4().hex[:8]}"

    def make_disabled(s) -> None:
        users.add_user(s, login=login, password="Pw-12345-ok", roles=[Role.ACCEPTOR])
        users.set_active(s, login=login, active=False)

    owner.as_("admin1", make_disabled)
    dialog = login_dialog()
    _log_in(qtbot, dialog, login, "Pw-12345-ok")
    qtbot.waitUntil(dialog.message_label.isVisible, timeout=10_000)
    assert dialog.message_label.text() == str(ConnectionProblem("account_disabled", login=login))


def test_an_intake_login_is_told_it_has_no_desk(login_dialog, qtbot, seeded):
    # The intake's account writes through `seatdesk intake`; at the desk it would read
    # nothing, so the login says what the account is for instead of an empty window.
    dialog = login_dialog()
    _log_in(qtbot, dialog, "intake1", seeded.passwords["intake1"])
    qtbot.waitUntil(dialog.message_label.isVisible, timeout=10_000)
    assert dialog.message_label.text() == str(NotADeskUser("intake1"))
    assert "seatdesk intake" in dialog.message_label.text()
    assert dialog.isVisible() and dialog.login_button.isEnabled()


def test_an_unreachable_database_offers_a_retry(login_dialog, qtbot, server: ServerAddress):
    calls: list[int] = []

    def start() -> ServerAddress:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionProblem("db_unreachable", where="db.centre.lan:5432/seatdesk",
                                    reason="connection refused")
        return server

    dialog = login_dialog(start)
    qtbot.waitUntil(dialog.retry_button.isVisible, timeout=10_000)
    assert "db.centre.lan" in dialog.message_label.text()
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: server.location() in dialog.database_label.toolTip(), timeout=10_000)
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("who", "panel"),
    [
        (Role.ACCEPTOR, AcceptorPanel),
        (Role.SHIFT_LEADER, ShiftLeaderPanel),
        (Role.DISPATCHER, DispatcherPanel),
        (Role.INSPECTOR, InspectorPanel),
        (Role.DEPARTMENT, RolePanel),
    ],
)
def test_each_role_sees_its_panel(window_for, qtbot, who, panel):
    window = window_for(who, listen=False)
    assert list(window.panels) == [who]
    assert isinstance(window.panels[who], panel)
    assert window.tabs.count() == 1
    # Who is at the seat: the title, once (tests/ui/test_window.py); the database's
    # address is the status bar's tooltip.
    assert window._desk.actor.display_name in window.windowTitle()
    assert window._desk.address.location() in window.database_label.toolTip()


def test_the_status_bar_shows_live_then_reconnecting(window_for, qtbot):
    window = window_for(Role.ACCEPTOR)
    assert window.live and not window.banner.isVisible()
    window.listener.sig_connection.emit(False, "server closed the connection")
    qtbot.waitUntil(window.banner.isVisible, timeout=2_000)
    # One sentence in the person's language; libpq's own words only in the tooltip.
    assert "server closed" not in window.banner.text()
    assert messages.t("connection.closed") in window.banner.text()
    assert window.banner.toolTip() == "server closed the connection"
    window.listener.sig_connection.emit(True, "")
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=2_000)


def test_a_dropped_connection_shows_the_banner_and_reconnects_by_itself(
    window_for, qtbot, owner: Owner
):
    window = window_for(Role.SHIFT_LEADER)
    assert window.live
    killed = owner.scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE application_name = 'seatdesk-listener' AND usename = 'leader1'"
    )
    assert killed >= 1
    qtbot.waitUntil(lambda: not window.live, timeout=10_000)
    assert window.banner.isVisible()
    qtbot.waitUntil(lambda: window.live, timeout=15_000)  # by itself, no click
    assert not window.banner.isVisible()
