"""The desktop application: ``run(argv)`` is what ``seatdesk`` with no command and
``python main.py`` start; ``Desktop`` takes the person from the login window to their
seat's window and back (文件 → 切换用户).

    seatdesk [--lang zh|en] [--user LOGIN]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from seatdesk.db.engine import ServerAddress
from ui.background import BackgroundJobs
from ui.desk import Login, open_desk, start_database
from ui.dialogs.login_dialog import LoginDialog
from ui.gui_thread_gc import GuiThreadCollector
from ui.i18n import LANGUAGES, install_translators
from ui.main_window import MainWindow
from ui.tasks import TaskManager


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="seatdesk", description="seatdesk desktop")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=os.environ.get("SEATDESK_LANG", "zh")[:2] if os.environ.get("SEATDESK_LANG")
        else "zh",
        help="language of the interface (Chinese by default)",
    )
    parser.add_argument("--user", default=os.environ.get("SEATDESK_USER", ""))
    args, _qt_args = parser.parse_known_args(argv)
    if args.lang not in LANGUAGES:
        args.lang = "zh"
    return args


def run(argv: list[str]) -> int:
    """Log in, then show the main window until it is closed; the exit code."""
    args = parse_args(argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    QCoreApplication.setOrganizationName("seatdesk")
    QCoreApplication.setApplicationName("seatdesk")
    install_translators(app, args.lang)
    _quit_on_signals(app)
    collector = GuiThreadCollector(app)  # before any worker thread starts
    app.aboutToQuit.connect(collector.stop)
    desktop = Desktop(app, user=args.user)
    desktop.show_login()
    return app.exec()


class Desktop(QObject):
    """The app's life: the login window, then a seat's window; 切换用户 closes the
    window and shows the login window again, and the app goes on. The app ends when
    the window is closed (or the first login is cancelled: exit code 1)."""

    def __init__(
        self,
        app: QApplication,
        *,
        user: str = "",
        start: Callable[[], ServerAddress] = start_database,
        background: bool = True,
    ) -> None:
        super().__init__(app)
        self._app = app
        self._user = user
        self._start = start
        self._background = background
        self.login_dialog: LoginDialog | None = None
        self.window: MainWindow | None = None
        self._jobs: BackgroundJobs | None = None
        self._login_tasks: TaskManager | None = None
        self.logged_in_once = False
        # The login window and the seat's window take turns: between them none is
        # shown, so the app does not quit by itself when the last window closes.
        app.setQuitOnLastWindowClosed(False)

    # ---- Public API

    def show_login(self) -> LoginDialog:
        self._login_tasks = TaskManager()
        dialog = LoginDialog(self._login_tasks, start=self._start, user=self._user)
        dialog.finished.connect(self._on_login_dialog_finished)
        self.login_dialog = dialog
        dialog.show()
        return dialog

    # ---- Private slots

    @Slot(int)
    def _on_login_dialog_finished(self, result: int) -> None:
        dialog, tasks = self.login_dialog, self._login_tasks
        self.login_dialog, self._login_tasks = None, None
        login = dialog.login() if dialog is not None else None
        if dialog is not None:
            dialog.deleteLater()
        # After this slot: the task manager is still delivering the login's result.
        QTimer.singleShot(0, lambda: tasks.shutdown() if tasks is not None else None)
        if result != QDialog.DialogCode.Accepted or login is None:
            self._app.exit(0 if self.logged_in_once else 1)
            return
        self.logged_in_once = True
        self._open_window(login)

    @Slot(bool)
    def _on_window_closed(self, switching_user: bool) -> None:
        if self._jobs is not None:
            self._jobs.shutdown()
            self._jobs = None
        window, self.window = self.window, None
        if window is not None:
            window.deleteLater()
        if switching_user:
            self._user = ""  # someone else logs in now
            self.show_login()
        else:
            self._app.quit()

    # ---- Private

    def _open_window(self, login: Login) -> None:
        desk = open_desk(login)
        window = MainWindow(desk)
        window.sig_closed.connect(self._on_window_closed)
        self.window = window
        window.show()
        if self._background:
            jobs = BackgroundJobs(desk, window)
            jobs.sig_calendar_warning.connect(lambda text: _warn_in_status_bar(window, text))
            self._jobs = jobs
            jobs.start()


def _warn_in_status_bar(window: MainWindow, text: str) -> None:
    """A warning that stays in the status bar (the calendar lacks a year)."""
    label = QLabel(text)
    label.setObjectName("calendar_warning")
    label.setStyleSheet("color: #b35900;")
    window.statusBar().addWidget(label, 1)


def _quit_on_signals(app: QApplication) -> None:
    """SIGTERM/SIGINT end the app as closing its window does, so the embedded server
    is left by the normal exit path (pgserver stops it when the last process leaves)."""

    def quit_app(_signum: int, _frame: object) -> None:
        for widget in app.topLevelWidgets():
            widget.close()
        app.quit()

    signal.signal(signal.SIGTERM, quit_app)
    signal.signal(signal.SIGINT, quit_app)
    # Python runs signal handlers only between bytecodes: wake it up now and then.
    timer = QTimer(app)
    timer.setInterval(500)
    timer.timeout.connect(lambda: None)
    timer.start()
