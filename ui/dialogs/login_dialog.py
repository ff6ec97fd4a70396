"""The login dialog: user name and password, checked by PostgreSQL itself.

While the person types, the database is found (and the embedded server started and
upgraded) on a worker thread. Every failure — wrong password, disabled account, no
server, an old schema — is one sentence in the dialog with a way to retry, never a crash.

After ``FREE_ATTEMPTS`` refused logins in a row the dialog waits before the next try,
longer each time (``wait_after``), showing the seconds left with the button disabled.
This slows a person guessing at the desk; the server's own ``auth_delay`` (README)
slows every client, psql included.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seatdesk.config import load_settings
from seatdesk.db.engine import ServerAddress
from seatdesk.errors import ConnectionProblem
from ui.desk import Login, log_in, start_database
from ui.dialogs.parts import message_label
from ui.labels import database_place
from ui.tasks import CallOp, TaskManager

#: Refused logins in a row before the dialog makes the person wait.
FREE_ATTEMPTS = 5
#: The first wait, doubled after every further refusal, up to ``MAX_WAIT_S``.
FIRST_WAIT_S = 30.0
MAX_WAIT_S = 600.0
#: The refusals that count: a wrong password, or a disabled account.
_COUNTED = frozenset({"login_failed", "account_disabled"})


def wait_after(failures: int, first: float = FIRST_WAIT_S) -> float:
    """Seconds to wait after ``failures`` refused logins in a row (0: none)."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(MAX_WAIT_S, first * 2 ** (failures - FREE_ATTEMPTS)))


def is_refused_login(error: BaseException) -> bool:
    """A wrong password or a disabled account (not a server that cannot be reached)."""
    return isinstance(error, ConnectionProblem) and error.key in _COUNTED


class LoginThrottle:
    """Counts refused logins in a row and says how long to wait (no Qt: a plain clock)."""

    def __init__(self, first_wait_s: float = FIRST_WAIT_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._first = first_wait_s
        self._clock = clock
        self.failures = 0
        self._until = 0.0

    def failed(self) -> None:
        self.failures += 1
        self._until = self._clock() + wait_after(self.failures, self._first)

    def succeeded(self) -> None:
        self.failures = 0
        self._until = 0.0

    def seconds_left(self) -> int:
        """Whole seconds still to wait, rounded up (0: the person may try now)."""
        return max(0, math.ceil(self._until - self._clock()))


def show_wait(throttle: LoginThrottle, label: QLabel, button: QPushButton, message: str) -> bool:
    """While ``throttle`` says wait: ``message`` (with ``{seconds}``) in ``label`` and
    ``button`` disabled; the login and the lock dialog both show it so. True while
    waiting."""
    left = throttle.seconds_left()
    if left:
        label.setText(message.format(seconds=left))
    label.setVisible(bool(left))
    button.setEnabled(not left)
    return bool(left)


class LoginDialog(QDialog):
    """Asks for the seat's credentials; ``login()`` is the result once accepted."""

    sig_logged_in = Signal(object)
    """The login succeeded: carries the ``ui.desk.Login``."""

    def __init__(
        self,
        tasks: TaskManager,
        *,
        start: Callable[[], ServerAddress] = start_database,
        user: str = "",
        first_wait_s: float = FIRST_WAIT_S,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.throttle = LoginThrottle(first_wait_s)
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(250)
        self._start = start
        self._address: ServerAddress | None = None
        self._starting = False
        self._login: Login | None = None
        self._want_login = False
        self._build_ui(user)
        self._connect()
        self._start_database()

    def _build_ui(self, user: str) -> None:
        self.setWindowTitle(self.tr("seatdesk — log in"))
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Digital city management seat"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(title)
        form = QFormLayout()
        self.user_edit = QLineEdit(user)
        self.user_edit.setObjectName("user")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("&User name:"), self.user_edit)
        form.addRow(self.tr("&Password:"), self.password_edit)
        layout.addLayout(form)
        self.database_label = QLabel(self.tr("Starting the database…"))
        self.database_label.setObjectName("database")
        self.database_label.setStyleSheet("color: gray;")
        self.database_label.setWordWrap(True)
        layout.addWidget(self.database_label)
        self.message_label = message_label()
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message_label)
        self.wait_label = QLabel()
        self.wait_label.setObjectName("wait")
        self.wait_label.setStyleSheet("color: #b00020;")
        self.wait_label.setWordWrap(True)
        self.wait_label.hide()
        layout.addWidget(self.wait_label)
        self.buttons = QDialogButtonBox()
        self.login_button = QPushButton(self.tr("Log in"))
        self.login_button.setDefault(True)
        self.retry_button = QPushButton(self.tr("Retry connecting"))
        self.buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # While 登录 is disabled Qt would make another button the default and leave it so:
        # the next Enter after a wrong password would then quit. Only 登录 is default.
        for button in (cancel, self.retry_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.retry_button.hide()  # after addButton, which shows its buttons
        layout.addWidget(self.buttons)
        (self.password_edit if user else self.user_edit).setFocus()

    def _connect(self) -> None:
        self.buttons.accepted.connect(self._on_login_clicked)
        self.buttons.rejected.connect(self.reject)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self._wait_timer.timeout.connect(self._on_wait_timer_timeout)

    # ---- Public API

    def login(self) -> Login | None:
        return self._login

    # ---- Private slots

    @Slot()
    def _on_login_clicked(self) -> None:
        if self.throttle.seconds_left():
            return
        user = self.user_edit.text().strip()
        if not user or not self.password_edit.text():
            self._show_message(self.tr("Enter your user name and password."))
            return
        self._want_login = True
        self._set_working(True)
        if self._address is None:
            if not self._starting:
                self._start_database()
            return  # logs in as soon as the database is up
        self._do_login()

    @Slot()
    def _on_wait_timer_timeout(self) -> None:
        message = self.tr("Too many failed logins in a row: try again in {seconds} s.")
        if not show_wait(self.throttle, self.wait_label, self.login_button, message):
            self._wait_timer.stop()

    @Slot()
    def _on_retry_clicked(self) -> None:
        self.retry_button.hide()
        self._start_database()

    # ---- Private

    def _start_database(self) -> None:
        self._starting = True
        self.database_label.setText(self.tr("Starting the database…"))
        CallOp(
            self._tasks,
            self,
            fn=self._start,
            success=self._on_started,
            failure=self._on_start_failed,
        ).run()

    def _on_started(self, address: ServerAddress) -> None:
        self._starting = False
        self._address = address
        text, tooltip = database_place(address, load_settings().centre_name)
        self.database_label.setText(self.tr("Database: {where}").format(where=text))
        self.database_label.setToolTip(tooltip)
        if self._want_login:
            self._do_login()

    def _on_start_failed(self, error: BaseException) -> None:
        self._starting = False
        self._want_login = False
        self._set_working(False)
        self.database_label.setText(self.tr("The database is not available."))
        self._show_message(str(error))
        self.retry_button.show()

    def _do_login(self) -> None:
        assert self._address is not None
        address = self._address
        user = self.user_edit.text().strip()
        password = self.password_edit.text()
        CallOp(
            self._tasks,
            self,
            fn=lambda: log_in(address, user, password),
            success=self._on_logged_in,
            failure=self._on_login_failed,
        ).run()

    def _on_logged_in(self, login: Login) -> None:
        self.throttle.succeeded()
        self._login = login
        self.sig_logged_in.emit(login)
        self.accept()

    def _on_login_failed(self, error: BaseException) -> None:
        self._want_login = False
        self._set_working(False)
        self._show_message(str(error))
        self.password_edit.selectAll()
        self.password_edit.setFocus()
        if is_refused_login(error):
            self.throttle.failed()
            if self.throttle.seconds_left():
                self._on_wait_timer_timeout()
                self._wait_timer.start()

    def _set_working(self, working: bool) -> None:
        self.login_button.setEnabled(not working)
        self.user_edit.setEnabled(not working)
        self.password_edit.setEnabled(not working)
        if working:
            self.message_label.hide()
        else:
            self.login_button.setDefault(True)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
