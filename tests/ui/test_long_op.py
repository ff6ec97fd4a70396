"""Long operations: a core function on a worker thread, a progress dialog modal to the
panel that follows it, a Cancel that stops it and rolls its transaction back."""

from __future__ import annotations

import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from seatdesk.progress import Cancelled
from seatdesk.services import cases
from seatdesk.services.common import ChangeSet
from tests.ui.conftest import Owner, wait_idle
from ui.tasks import LongOp


def _closed(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_dialog_follows_the_work_and_closes_with_the_result(desk_for, qtbot):
    desk = desk_for("inspector1")
    parent = _parent(qtbot)
    release = threading.Event()
    results: list[object] = []

    def work(session, progress):
        progress.start(10)
        progress.status("halfway")
        progress.advance(5)
        release.wait(10)
        progress.advance(5)
        return "done"

    op = LongOp(desk.tasks, parent, title="Working", op=work, success=results.append,
                show_after_ms=0)
    op.run()
    dialog = op.progress.dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.value() == 5, timeout=10_000)
    assert dialog.maximum() == 10 and dialog.labelText() == "halfway"
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.parent() is parent
    release.set()
    wait_idle(qtbot, desk.tasks)
    assert results == ["done"]
    assert _closed(dialog)


@pytest.mark.parametrize("how", ["button", "escape"])
def test_cancel_stops_the_work_and_nothing_is_written(desk_for, qtbot, owner: Owner, how):
    desk = desk_for("acceptor1")
    case_id = owner.new_case()
    parent = _parent(qtbot)
    outcome: list[str] = []
    errors: list[BaseException] = []
    desk.tasks.sig_error.connect(errors.append)
    changed: list[ChangeSet] = []
    desk.tasks.sig_data_changed.connect(lambda c, _who: changed.append(c))

    def work(session, progress):
        changes = cases.request_verify(
            session, case_id=case_id, expected_version=1, collector="王采集"
        )
        progress.start(0)  # a busy bar: no total
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if progress.cancelled():
                raise Cancelled()
            progress.advance()
            time.sleep(0.01)
        return changes

    op = LongOp(desk.tasks, parent, title="Importing", op=work, writes=True,
                changes=lambda c: c, success=lambda _r: outcome.append("success"),
                failure=lambda e: outcome.append(f"failure {e!r}"),
                cancelled=lambda: outcome.append("cancelled"), show_after_ms=0)
    op.run()
    dialog = op.progress.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10_000)
    if how == "button":
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    wait_idle(qtbot, desk.tasks)
    assert outcome == ["cancelled"] and not errors and not changed
    assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=case_id) == "reported"
    assert owner.scalar("SELECT count(*) FROM case_events WHERE case_id = :i", i=case_id) == 1


def test_a_writing_long_op_announces_its_changes(desk_for, qtbot, owner: Owner):
    desk = desk_for("acceptor1")
    case_id = owner.new_case()
    changed: list[ChangeSet] = []
    desk.tasks.sig_data_changed.connect(lambda c, _who: changed.append(c))
    LongOp(desk.tasks, _parent(qtbot), title="Importing", writes=True, changes=lambda c: c,
           op=lambda s, _p: cases.request_verify(
               s, case_id=case_id, expected_version=1, collector="王采集")).run()
    wait_idle(qtbot, desk.tasks)
    assert changed == [ChangeSet(case_ids=frozenset({case_id}))]
    assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=case_id) == "verifying"


def test_an_error_reaches_failure_and_closes_the_dialog(desk_for, qtbot):
    desk = desk_for("inspector1")
    errors: list[BaseException] = []

    def work(session, progress):
        progress.start(3)
        progress.advance()
        raise ValueError("row 2: no such grid")

    op = LongOp(desk.tasks, _parent(qtbot), title="Working", op=work, failure=errors.append,
                show_after_ms=0)
    op.run()
    dialog = op.progress.dialog
    wait_idle(qtbot, desk.tasks)
    assert len(errors) == 1 and str(errors[0]) == "row 2: no such grid"
    assert _closed(dialog)
