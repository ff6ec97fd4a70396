"""Sessions at the desk (等保 2.0): five refused logins in a row make the login window
wait, and an idle desk locks itself and asks for the password again, keeping what was
typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from seatdesk.domain.glossary import Role
from tests.ui.driving import type_text
from ui.dialogs.login_dialog import FREE_ATTEMPTS, MAX_WAIT_S, LoginDialog, wait_after
from ui.i18n import install_translators
from ui.main_window import MainWindow
from ui.tasks import TaskManager


def test_the_wait_grows_after_five_refusals_and_has_a_ceiling() -> None:
    assert [wait_after(n, 30) for n in range(FREE_ATTEMPTS)] == [0.0] * FREE_ATTEMPTS
    assert [wait_after(n, 30) for n in (5, 6, 7)] == [30.0, 60.0, 120.0]
    assert wait_after(40, 30) == MAX_WAIT_S


@pytest.fixture
def chinese():
    app = QApplication.instance()
    translators = install_translators(app, "zh")
    yield
    for t in translators:
        app.removeTranslator(t)


def _try(qtbot, dialog: LoginDialog, password: str) -> None:
    dialog.password_edit.clear()
    type_text(dialog.password_edit, password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def test_five_failed_logins_in_a_row_make_the_dialog_wait(qtbot, server, seeded, chinese):
    tasks = TaskManager()
    try:
        dialog = LoginDialog(tasks, start=lambda: server, user="inspector1", first_wait_s=2)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: server.location() in dialog.database_label.toolTip(),
                        timeout=10_000)
        for attempt in range(1, FREE_ATTEMPTS + 1):
            _try(qtbot, dialog, f"wrong-{attempt}")
            qtbot.waitUntil(lambda a=attempt: dialog.throttle.failures == a, timeout=10_000)
            if attempt < FREE_ATTEMPTS:
                assert dialog.login_button.isEnabled() and not dialog.wait_label.isVisible()
        # The fifth refusal: the button waits, and the dialog says how long, in Chinese.
        assert not dialog.login_button.isEnabled()
        assert dialog.wait_label.isVisible()
        assert "秒" in dialog.wait_label.text() and "2" in dialog.wait_label.text()
        _try(qtbot, dialog, seeded.passwords["inspector1"])  # Enter/click while waiting
        assert dialog.throttle.failures == FREE_ATTEMPTS and dialog.login() is None
        qtbot.waitUntil(dialog.login_button.isEnabled, timeout=5_000)
        assert not dialog.wait_label.isVisible()
        # A sixth refusal waits twice as long.
        _try(qtbot, dialog, "wrong-6")
        qtbot.waitUntil(lambda: dialog.throttle.failures == 6, timeout=10_000)
        assert dialog.throttle.seconds_left() in (3, 4)
        qtbot.waitUntil(dialog.login_button.isEnabled, timeout=6_000)
        with qtbot.waitSignal(dialog.sig_logged_in, timeout=10_000) as blocker:
            _try(qtbot, dialog, seeded.passwords["inspector1"])
        blocker.args[0].engine.dispose()
        assert dialog.throttle.failures == 0
    finally:
        tasks.shutdown()


def test_an_idle_desk_locks_and_keeps_what_was_typed(qtbot, desk_for, seeded):
    window = MainWindow(desk_for("acceptor1"), listen=False, idle_lock_ms=1_500)
    qtbot.addWidget(window)
    window.show()
    queue = window.show_panel(Role.ACCEPTOR).current_queue()
    assert queue is not None
    qtbot.keyClicks(queue.grid_filter, "330326001")
    qtbot.waitUntil(lambda: window.lock_dialog is not None, timeout=5_000)
    lock = window.lock_dialog
    assert lock.isVisible() and lock.isModal()
    # Escape does not unlock; a wrong password does not either.
    qtbot.keyClick(lock, Qt.Key.Key_Escape)
    assert lock.isVisible()
    type_text(lock.password_edit, "not-the-password")
    qtbot.mouseClick(lock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lock.message_label.isVisible, timeout=10_000)
    assert lock.isVisible() and window.lock_dialog is lock
    lock.password_edit.clear()
    type_text(lock.password_edit, seeded.passwords["acceptor1"])
    with qtbot.waitSignal(lock.sig_unlocked, timeout=10_000):
        qtbot.mouseClick(lock.unlock_button, Qt.MouseButton.LeftButton)
    assert window.lock_dialog is None
    assert queue.grid_filter.text() == "330326001"
    # And it locks again after the next idle time.
    qtbot.waitUntil(lambda: window.lock_dialog is not None, timeout=5_000)
    window.close()


def test_input_keeps_the_desk_unlocked(qtbot, desk_for):
    window = MainWindow(desk_for("leader1"), listen=False, idle_lock_ms=3_000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.lock_dialog is None, "locked before the test began: raise the idle time"
    for i in range(30):  # 6 s of a person moving the mouse: twice the idle time
        qtbot.mouseMove(window, window.rect().center() + QPoint(i % 3, i % 2))
        qtbot.wait(200)
        assert window.lock_dialog is None
    qtbot.waitUntil(lambda: window.lock_dialog is not None, timeout=5_000)
    window.close()
