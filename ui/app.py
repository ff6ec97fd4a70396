"""The desktop application: ``run(argv)`` is what ``seatdesk`` with no command and
``python main.py`` start.

    seatdesk [--lang zh|en] [--user LOGIN]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from ui.background import BackgroundJobs
from ui.desk import open_desk
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
    login_tasks = TaskManager()
    dialog = LoginDialog(login_tasks, user=args.user)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.login() is None:
        login_tasks.shutdown()
        collector.stop()
        return 1
    login = dialog.login()
    assert login is not None
    login_tasks.shutdown()
    desk = open_desk(login)
    window = MainWindow(desk)
    background = BackgroundJobs(desk, window)
    background.sig_calendar_warning.connect(lambda text: _warn_in_status_bar(window, text))
    app.aboutToQuit.connect(background.shutdown)
    window.show()
    background.start()
    return app.exec()


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
