"""The lock dialog: the desk locked itself after the idle time; the seat's password,
checked by a real login to the server on a worker thread, unlocks it.

It is modal over the whole application and cannot be closed or escaped; everything
behind it (open forms and what was typed in them) stays as it was. Refused passwords
count as at the login dialog: after five in a row it waits before the next try.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
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

from seatdesk.db.engine import ServerAddress, connect
from ui.dialogs.login_dialog import FIRST_WAIT_S, LoginThrottle, is_refused_login, show_wait
from ui.dialogs.parts import message_label
from ui.tasks import CallOp, TaskManager


def check_password(address: ServerAddress, login: str, password: str) -> None:
    """Log in once as ``login`` (blocking): raises ``ConnectionProblem`` if refused."""
    connect(address.for_login(login, password), pool_size=1).dispose()


class LockDialog(QDialog):
    """Asks the locked seat for its password again."""

    sig_unlocked = Signal()
    """The password was right; carries nothing."""

    def __init__(
        self,
        tasks: TaskManager,
        address: ServerAddress,
        login: str,
        display_name: str,
        *,
        first_wait_s: float = FIRST_WAIT_S,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._address = address
        self._login = login
        self.throttle = LoginThrottle(first_wait_s)
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(250)
        self._build_ui(display_name)
        self._connect()

    def _build_ui(self, display_name: str) -> None:
        self.setWindowTitle(self.tr("seatdesk — locked"))
        self.setModal(True)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        info = QLabel(
            self.tr(
                "The desk was locked after a time without use. Enter the password of "
                "{name} ({login}) to go on; what you typed is kept."
            ).format(name=display_name, login=self._login)
        )
        info.setWordWrap(True)
        layout.addWidget(info)
        form = QFormLayout()
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("&Password:"), self.password_edit)
        layout.addLayout(form)
        self.message_label = message_label()
        layout.addWidget(self.message_label)
        self.wait_label = QLabel()
        self.wait_label.setObjectName("wait")
        self.wait_label.setStyleSheet("color: #b00020;")
        self.wait_label.hide()
        layout.addWidget(self.wait_label)
        self.buttons = QDialogButtonBox()
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout.addWidget(self.buttons)
        self.password_edit.setFocus()

    def _connect(self) -> None:
        self.buttons.accepted.connect(self._on_unlock_clicked)
        self._wait_timer.timeout.connect(self._on_wait_timer_timeout)

    # ---- Qt overrides

    def reject(self) -> None:
        """Escape does not unlock."""

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            return
        super().keyPressEvent(event)

    # ---- Private slots

    @Slot()
    def _on_unlock_clicked(self) -> None:
        password = self.password_edit.text()
        if not password or self.throttle.seconds_left():
            return
        self.unlock_button.setEnabled(False)
        self.password_edit.setEnabled(False)
        self.message_label.hide()
        address, login = self._address, self._login
        CallOp(
            self._tasks,
            self,
            fn=lambda: check_password(address, login, password),
            success=self._on_checked,
            failure=self._on_check_failed,
        ).run()

    def _on_checked(self, _result: object) -> None:
        self.throttle.succeeded()
        self.password_edit.clear()
        self.sig_unlocked.emit()
        self.done(QDialog.DialogCode.Accepted)

    def _on_check_failed(self, error: BaseException) -> None:
        self.password_edit.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.password_edit.selectAll()
        self.password_edit.setFocus()
        self.message_label.setText(str(error))
        self.message_label.show()
        if is_refused_login(error):
            self.throttle.failed()
            if self.throttle.seconds_left():
                self._on_wait_timer_timeout()
                self._wait_timer.start()

    @Slot()
    def _on_wait_timer_timeout(self) -> None:
        message = self.tr("Too many failed attempts in a row: try again in {seconds} s.")
        if not show_wait(self.throttle, self.wait_label, self.unlock_button, message):
            self._wait_timer.stop()
