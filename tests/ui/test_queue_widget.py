"""The queue widget a seat works in: filters, remembered settings, keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from seatdesk.domain.glossary import DeadlineStatus, Role
from seatdesk.services.queues import QueueQuery
from tests.ui.conftest import wait_idle
from ui.models.case_table_model import Column
from ui.widgets.case_queue import CaseQueueWidget


def test_filters_and_column_widths_are_remembered_per_user(desk_for, qtbot):
    desk = desk_for("leader1")
    first = CaseQueueWidget(desk, "test.queue", QueueQuery())
    qtbot.addWidget(first)
    first.show()
    first.status_filter.setCurrentIndex(first.status_filter.findData(DeadlineStatus.OVERDUE))
    first.table.setColumnWidth(Column.ADDRESS, 333)
    wait_idle(qtbot, desk.tasks)
    assert first.model.rowCount() > 0
    assert {first.model.case_at(i).deadline_status for i in range(first.model.rowCount())} == {
        DeadlineStatus.OVERDUE
    }
    again = CaseQueueWidget(desk, "test.queue", QueueQuery())
    qtbot.addWidget(again)
    assert again.model.query().deadline_status is DeadlineStatus.OVERDUE
    assert again.table.columnWidth(Column.ADDRESS) == 333
    # Another user's queue of the same name starts clean.
    other = CaseQueueWidget(desk_for("dispatcher1"), "test.queue", QueueQuery())
    qtbot.addWidget(other)
    assert other.model.query().deadline_status is None


def test_ctrl_f_focuses_the_filter_and_enter_opens_the_case(window_for, qtbot):
    window = window_for(Role.DISPATCHER, listen=False)
    window.activateWindow()
    panel = window.show_panel(Role.DISPATCHER)
    queue = panel.show_queue("register")
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0, timeout=10_000)
    queue.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is queue.text_filter, timeout=2_000)
    queue.table.setFocus()
    queue.table.setCurrentIndex(queue.model.index(0, 0))
    first = queue.model.case_at(0)
    with qtbot.waitSignal(queue.sig_case_opened, timeout=2_000) as opened:
        qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    assert opened.args[0].id == first.id
    qtbot.waitUntil(lambda: panel.detail.case is not None, timeout=10_000)
    assert panel.detail.case.id == first.id
