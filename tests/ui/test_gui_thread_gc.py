"""Cycles are collected on the GUI thread only (ui.gui_thread_gc): a worker thread that
allocates never runs the collector, and the GUI thread's timer still collects."""

from __future__ import annotations

import gc
import threading


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_worker_never_collects_and_the_gui_thread_does(qtbot):
    assert not gc.isenabled()
    threshold = gc.get_threshold()[0]
    collected_in_worker: list[str] = []

    def note(phase: str, _info: dict) -> None:
        if phase == "start" and threading.current_thread() is not threading.main_thread():
            collected_in_worker.append(threading.current_thread().name)

    gc.callbacks.append(note)
    try:
        worker = threading.Thread(target=lambda: [_Cycle() for _ in range(threshold * 5)])
        worker.start()
        worker.join()
        assert collected_in_worker == []
        assert gc.get_count()[0] > threshold  # left for the GUI thread
        qtbot.waitUntil(lambda: gc.get_count()[0] < threshold, timeout=5_000)
    finally:
        gc.callbacks.remove(note)
