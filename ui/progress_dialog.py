"""``seatdesk.progress.Progress`` shown in a ``QProgressDialog``: what a ``LongOp``
(``ui.tasks``) hands the core function it runs on a worker thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget


class DialogProgress(QObject):
    """``seatdesk.progress.Progress`` shown in a ``QProgressDialog``.

    The worker thread calls ``start``/``advance``/``status``; they keep the figures
    under a lock and emit ``_sig_changed`` at most every ``INTERVAL_S``, which Qt queues
    to the GUI thread, where the dialog is updated. The Cancel button sets a flag that
    ``cancelled()`` reads. Created and closed on the GUI thread.
    """

    INTERVAL_S = 0.05

    _sig_changed = Signal()

    def __init__(self, title: str, parent: QWidget | None, show_after_ms: int) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._total = 0
        self._done = 0
        self._text = title
        self._last_emit = 0.0
        self.dialog = QProgressDialog(title, self.tr("Cancel"), 0, 0, parent)
        self.dialog.setObjectName("long_op_progress")
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        # Shown by our own timer: Qt's estimate would flash it for quick work.
        self.dialog.setMinimumDuration(2**30)
        self.dialog.canceled.connect(self._on_dialog_canceled)
        self.dialog.rejected.connect(self._on_dialog_canceled)  # Esc, the close button
        self._sig_changed.connect(self._on_changed, Qt.ConnectionType.QueuedConnection)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._on_show_timer_timeout)
        self._show_timer.start(show_after_ms)
        self._closed = False

    # ---- seatdesk.progress.Progress (any thread)

    def start(self, total: int) -> None:
        with self._lock:
            self._total = max(total, 0)
            self._done = 0
        self._changed(force=True)

    def advance(self, steps: int = 1) -> None:
        with self._lock:
            self._done += steps
        self._changed()

    def status(self, text: str) -> None:
        with self._lock:
            self._text = text
        self._changed(force=True)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # ---- Public API (GUI thread)

    def figures(self) -> tuple[int, int, str]:
        """(done, total, status text) as the worker last reported them."""
        with self._lock:
            return self._done, self._total, self._text

    def cancel(self) -> None:
        """What the Cancel button does."""
        self._cancel.set()
        self.dialog.setLabelText(self.tr("Cancelling…"))

    def close(self) -> None:
        self._closed = True
        self._show_timer.stop()
        self.dialog.close()
        self.dialog.deleteLater()
        self.deleteLater()

    # ---- Private

    def _changed(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_emit >= self.INTERVAL_S:
            self._last_emit = now
            self._sig_changed.emit()

    @Slot()
    def _on_changed(self) -> None:
        if self._closed:
            return
        done, total, text = self.figures()
        if self.cancelled():
            return
        if self.dialog.maximum() != total:
            self.dialog.setMaximum(total)  # 0: a busy bar while the total is unknown
        if total:
            self.dialog.setValue(min(done, total))
        self.dialog.setLabelText(text)

    @Slot()
    def _on_show_timer_timeout(self) -> None:
        if not self._closed:
            self.dialog.show()

    @Slot()
    def _on_dialog_canceled(self) -> None:
        self.cancel()
