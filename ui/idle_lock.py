"""The idle lock: after a set time without keyboard or mouse input in any window of
the application, ``sig_idle`` fires once; the main window then shows the lock dialog.

The watcher filters the input of the application's top-level *windows* (``QWindow``:
every key press and mouse event reaches the window before its widgets), installed on
each window as it gets the focus. It never consumes an event. (A filter on the whole
application would also see the events of objects being destroyed, which PySide6 cannot
safely hand to Python.)
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow

#: The input that counts as a person at the desk.
_ACTIVITY = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
})


class IdleWatcher(QObject):
    """Fires ``sig_idle`` after ``idle_ms`` without input, then waits for ``resume()``."""

    sig_idle = Signal()
    """Nobody touched the application for the idle time; carries nothing."""

    def __init__(self, idle_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, idle_ms))
        self._timer.timeout.connect(self._on_timer_timeout)
        self.paused = False
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._on_app_focus_window_changed)
            for window in app.topLevelWindows():
                window.installEventFilter(self)
        self._timer.start()

    # ---- Public API

    def watch(self, window: QWindow | None) -> None:
        """Count the input of ``window`` too (windows that get the focus are added)."""
        if window is not None:
            window.installEventFilter(self)

    def resume(self) -> None:
        """Start counting again (after the person unlocked)."""
        self.paused = False
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.paused = True
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.disconnect(self._on_app_focus_window_changed)

    # ---- Qt overrides

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not self.paused and event.type() in _ACTIVITY:
            self._timer.start()
        return False

    # ---- Private slots

    def _on_app_focus_window_changed(self, window: QWindow | None) -> None:
        self.watch(window)

    def _on_timer_timeout(self) -> None:
        self.paused = True
        self.sig_idle.emit()
