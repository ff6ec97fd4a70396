"""The queue widget a seat works in: filters, remembered settings, keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from seatdesk import messages
from seatdesk.domain.glossary import DeadlineStatus, Role
from seatdesk.services.queues import QueueQuery, SortKey
from tests.ui.conftest import wait_idle
from ui.models.case_table_model import Column
from ui.widgets.case_queue import CaseQueueWidget, user_settings


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


# ---- Remembered filters never hide work; counts; the search box's keyboard


def _queue(desk, qtbot, name="test.queue", query=None):
    widget = CaseQueueWidget(desk, name, query or QueueQuery())
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_free_text_is_not_remembered_but_sort_is(desk_for, qtbot):
    desk = desk_for("leader1")
    first = _queue(desk, qtbot)
    first.text_filter.setText("解放路")
    qtbot.keyClick(first.text_filter, Qt.Key.Key_Return)
    first.table.horizontalHeader().setSortIndicator(Column.NUMBER, Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot, desk.tasks)
    assert first.model.query().text == "解放路"
    again = _queue(desk, qtbot)
    assert again.text_filter.text() == ""
    assert again.model.query().text == ""
    assert again.model.query().sort is SortKey.NUMBER and again.model.query().descending
    assert again.filter_strip.isHidden()


def test_an_active_filter_shows_in_a_strip_and_one_click_clears_it(desk_for, qtbot):
    desk = desk_for("leader1")
    widget = _queue(desk, qtbot)
    wait_idle(qtbot, desk.tasks)
    assert widget.filter_strip.isHidden()
    category = desk.reference.categories[1]
    widget.category_filter.setCurrentIndex(widget.category_filter.findData(category.id))
    widget.status_filter.setCurrentIndex(widget.status_filter.findData(DeadlineStatus.OVERDUE))
    wait_idle(qtbot, desk.tasks)
    assert widget.filter_strip.isVisible()
    assert category.code in widget.filter_summary.text()
    assert widget.model.query().category_id == category.id
    qtbot.mouseClick(widget.clear_filters_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.tasks)
    assert widget.filter_strip.isHidden()
    query = widget.model.query()
    assert query.category_id is None and query.deadline_status is None and query.text == ""


def test_filters_are_stored_by_value_not_by_place_in_the_list(desk_for, qtbot):
    desk = desk_for("leader1")
    first = _queue(desk, qtbot)
    department = desk.reference.departments[-1]
    category = desk.reference.categories[-1]
    first.department_filter.setCurrentIndex(first.department_filter.findData(department.code))
    first.category_filter.setCurrentIndex(first.category_filter.findData(category.id))
    wait_idle(qtbot, desk.tasks)
    settings = user_settings()
    key = f"queues/{desk.actor.login}/test.queue"
    assert settings.value(f"{key}/department") == department.code
    assert settings.value(f"{key}/category") == f"{category.case_type.value}:{category.code}"
    # A new department sorted first shifts every place in the list: the choice holds.
    first.department_filter.insertItem(1, "新设部门", "AAA_NEW")
    again = _queue(desk, qtbot)
    again.department_filter.insertItem(1, "新设部门", "AAA_NEW")
    again._restore()
    assert again.model.query().department == department.code
    assert again.model.query().category_id == category.id
    assert department.name in again.filter_summary.text()


def test_tabs_and_the_list_show_how_many_cases_wait(window_for, qtbot):
    from seatdesk.services.queues import QueueCount
    from ui.widgets.case_queue import format_count

    window = window_for(Role.DISPATCHER, listen=False)
    panel = window.show_panel(Role.DISPATCHER)
    queue = panel.show_queue("register")
    qtbot.waitUntil(lambda: queue.count is not None, timeout=10_000)
    index = panel.tabs.indexOf(queue)
    assert f"({queue.count.n})" in panel.tabs.tabText(index)
    assert str(queue.count.n) in queue.status_label.text()
    assert "more below" not in queue.status_label.text()
    estimate = format_count(QueueCount(123_456, exact=False))
    chinese = messages.language() == "zh"
    assert ("约 12万" if chinese else "about 120,000") == estimate
    assert format_count(QueueCount(42, exact=True)) == "42"


def test_counts_are_coalesced_over_a_burst_of_notices(desk_for, qtbot, monkeypatch):
    from seatdesk.services import queues as queue_service
    from seatdesk.services.common import CaseId, ChangeSet

    desk = desk_for("leader1")
    widget = _queue(desk, qtbot)
    qtbot.waitUntil(lambda: widget.count is not None, timeout=10_000)
    calls = []
    real = queue_service.count
    monkeypatch.setattr(queue_service, "count", lambda s, q: calls.append(q) or real(s, q))
    for i in range(20):
        desk.tasks.sig_data_changed.emit(ChangeSet(case_ids=frozenset({CaseId(i + 1)})), None)
    qtbot.wait(1500)
    wait_idle(qtbot, desk.tasks)
    assert 1 <= len(calls) <= 2


def test_down_from_the_search_box_goes_to_the_first_row_and_enter_opens_it(desk_for, qtbot):
    desk = desk_for("leader1")
    widget = _queue(desk, qtbot)
    widget.activateWindow()
    qtbot.waitUntil(lambda: widget.model.rowCount() > 0, timeout=10_000)
    widget.focus_filter()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.text_filter, timeout=2_000)
    qtbot.keyClick(widget.text_filter, Qt.Key.Key_Down)
    wait_idle(qtbot, desk.tasks)
    qtbot.waitUntil(lambda: widget.table.currentIndex().isValid(), timeout=5_000)
    assert QApplication.focusWidget() is widget.table
    first = widget.model.case_at(0)
    assert widget.current_case().id == first.id
    with qtbot.waitSignal(widget.sig_case_opened, timeout=2_000) as opened:
        qtbot.keyClick(widget.table, Qt.Key.Key_Return)
    assert opened.args[0].id == first.id


def test_enter_in_the_search_box_searches_at_once(owner, desk_for, qtbot):
    case_id = owner.new_case(reporter="欧阳回电", reporter_phone="13957099999")
    desk = desk_for("acceptor1")
    widget = _queue(desk, qtbot, query=QueueQuery(role=Role.ACCEPTOR))
    wait_idle(qtbot, desk.tasks)
    widget.text_filter.setText("13957099999")
    qtbot.keyClick(widget.text_filter, Qt.Key.Key_Return)
    assert widget.model.query().text == "13957099999"  # no wait for the typing pause
    wait_idle(qtbot, desk.tasks)
    assert [widget.model.case_at(i).id for i in range(widget.model.rowCount())] == [case_id]
    assert "1" in widget.status_label.text()


def test_the_acceptor_has_a_queue_of_cases_to_place(owner, window_for, qtbot):
    case_id = owner.new_case(longitude=None, latitude=None, address="来电未说清位置")
    window = window_for(Role.ACCEPTOR, listen=False)
    panel = window.show_panel(Role.ACCEPTOR)
    queue = panel.show_queue("unplaced")
    qtbot.waitUntil(lambda: queue.model.row_of(case_id) >= 0, timeout=10_000)
    rows = [queue.model.case_at(i) for i in range(queue.model.rowCount())]
    assert {r.grid_code for r in rows} == {None}


def test_down_after_typing_a_search_selects_the_first_result(owner, desk_for, qtbot):
    case_id = owner.new_case(reporter="上官下移", reporter_phone="13957088888")
    desk = desk_for("acceptor1")
    widget = _queue(desk, qtbot, query=QueueQuery(role=Role.ACCEPTOR))
    widget.activateWindow()
    wait_idle(qtbot, desk.tasks)
    widget.focus_filter()
    widget.text_filter.setText("13957088888")
    qtbot.keyClick(widget.text_filter, Qt.Key.Key_Down)  # before the typing pause ends
    qtbot.waitUntil(lambda: widget.table.currentIndex().isValid(), timeout=10_000)
    assert widget.current_case().id == case_id
    assert QApplication.focusWidget() is widget.table
