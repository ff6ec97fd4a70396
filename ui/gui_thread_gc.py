"""Python's cycle collector runs on the GUI thread only.

A collection runs on whichever thread happens to cross the allocation threshold. When a
worker thread of ``ui.tasks`` does, it may free PySide objects caught in reference
cycles (a closed dialog and its slots, say) there, under the GUI thread's feet: a
segmentation fault "while garbage-collecting" in a worker (seen in CI, on Debian's
PostgreSQL run). So automatic collection is switched off and a timer on the GUI thread
collects each generation when its threshold is passed, as the collector itself would
(the recipe of PyQt's and Anki's garbage collectors).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

#: How often the GUI thread looks at the collector's counts.
INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """While it lives, cycles are collected on the thread that created it only."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()

    # ---- Public API

    def stop(self) -> None:
        """Collect once more and give the collector back its automatic runs."""
        self._timer.stop()
        gc.collect()
        gc.enable()

    # ---- Private slots

    @Slot()
    def _on_timer_timeout(self) -> None:
        t0, t1, t2 = self._thresholds
        c0, c1, c2 = gc.get_count()
        if c0 > t0:
            gc.collect(0)
            if c1 > t1:
                gc.collect(1)
                if c2 > t2:
                    gc.collect(2)
