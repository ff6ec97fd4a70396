"""The queue model: a correct Qt model, and lazy — a queue of 100,000 cases reads one
page when it opens (the test counts the rows read, it does not time them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from seatdesk.domain.glossary import DeadlineStatus, Role, State
from seatdesk.services.queues import PAGE_SIZE, QueueQuery, SortKey
from tests.ui.conftest import Owner, wait_idle
from ui.models.case_table_model import CASE_ROW_ROLE, CaseTableModel, Column

BIG = 100_000
MARK = "批量测试案卷"


@pytest.fixture(scope="module")
def big_queue(owner_engine, seeded) -> Iterator[int]:
    """100,000 extra reported cases, committed, removed again after the module."""
    from sqlalchemy import text

    with owner_engine.begin() as conn:
        category = conn.execute(
            text("SELECT id FROM categories WHERE case_type = 'event' AND parent_id IS NOT NULL "
                 "ORDER BY id LIMIT 1")
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO cases (number, source, case_type, category_id, description, "
                "address, state) SELECT 'B' || lpad(i::text, 10, '0'), 'collector', 'event', "
                ":cat, :mark, '测试路' || i || '号', 'reported' "
                "FROM generate_series(1, :n) AS i"
            ),
            {"cat": category, "mark": MARK, "n": BIG},
        )
    with owner_engine.connect() as conn:
        conn.execute(text("ANALYZE cases"))
    yield BIG
    with owner_engine.begin() as conn:
        # cases.merged_into references cases without an index: with the foreign-key
        # triggers on, each deleted row would scan the table. None of these rows is
        # referenced by anything (no events, photos or merges were made of them).
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("DELETE FROM cases WHERE description = :mark"), {"mark": MARK})


def test_the_model_passes_the_qt_model_tester(desk_for, qtbot, qtmodeltester):
    desk = desk_for("leader1")
    model = CaseTableModel(desk.tasks, QueueQuery(sort=SortKey.DEADLINE))
    model.refresh()
    wait_idle(qtbot, desk.tasks)
    assert model.rowCount() == PAGE_SIZE
    qtmodeltester.check(model, force_py=True)
    wait_idle(qtbot, desk.tasks)
    qtmodeltester.check(model)
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.headerData(Column.NUMBER, Qt.Orientation.Horizontal) is not None


def test_rows_carry_their_case_and_lights(desk_for, qtbot):
    desk = desk_for("leader1")
    model = CaseTableModel(
        desk.tasks, QueueQuery(deadline_status=DeadlineStatus.OVERDUE, sort=SortKey.DEADLINE)
    )
    model.refresh()
    wait_idle(qtbot, desk.tasks)
    assert model.rowCount() > 0
    row = model.data(model.index(0, Column.NUMBER), CASE_ROW_ROLE)
    assert row.deadline_status is DeadlineStatus.OVERDUE
    status = model.index(0, Column.DEADLINE_STATUS)
    assert model.data(status, Qt.ItemDataRole.BackgroundRole).color().red() > 200
    assert model.data(model.index(0, Column.TIME_LEFT)).startswith("-")


def test_sorting_by_a_column_reads_the_queue_in_that_order(desk_for, qtbot):
    desk = desk_for("leader1")
    model = CaseTableModel(desk.tasks, QueueQuery(sort=SortKey.DEADLINE))
    model.refresh()
    wait_idle(qtbot, desk.tasks)
    model.sort(Column.NUMBER, Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot, desk.tasks)
    numbers = [model.case_at(i).number for i in range(model.rowCount())]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) == PAGE_SIZE


def test_fetch_more_appends_the_next_page(desk_for, qtbot):
    desk = desk_for("leader1")
    model = CaseTableModel(desk.tasks, QueueQuery(sort=SortKey.NUMBER))
    model.refresh()
    wait_idle(qtbot, desk.tasks)
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.rowsInserted, timeout=10_000):
        model.fetchMore(QModelIndex())
    numbers = [model.case_at(i).number for i in range(model.rowCount())]
    assert len(numbers) == 2 * PAGE_SIZE == len(set(numbers))
    assert numbers == sorted(numbers)


def test_a_queue_of_100000_cases_reads_only_its_first_page(
    big_queue, desk_for, qtbot, owner: Owner
):
    assert owner.scalar("SELECT count(*) FROM cases WHERE state = 'reported'") > big_queue
    desk = desk_for("acceptor1")
    model = CaseTableModel(
        desk.tasks,
        QueueQuery(role=Role.ACCEPTOR, states=frozenset({State.REPORTED}), sort=SortKey.NUMBER,
                   descending=True),
    )
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.setModel(model)
    view.show()
    model.refresh()
    wait_idle(qtbot, desk.tasks)
    qtbot.wait(200)  # give the view its chance to ask for more
    wait_idle(qtbot, desk.tasks)
    assert model.rows_fetched == PAGE_SIZE
    assert model.reads == 1
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    # Scrolling to the end asks for exactly one more page.
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rows_fetched == 2 * PAGE_SIZE, timeout=10_000)
    wait_idle(qtbot, desk.tasks)
    assert model.reads == 2


def test_clicking_a_column_header_sorts_the_queue_there(window_for, qtbot):
    from PySide6.QtCore import QPoint

    window = window_for(Role.SHIFT_LEADER, listen=False)
    queue = window.show_panel(Role.SHIFT_LEADER).show_queue("authorize")
    qtbot.waitUntil(lambda: queue.model.rowCount() > 1, timeout=10_000)
    header = queue.table.horizontalHeader()

    def click(column: Column) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
        wait_idle(qtbot, queue.model._tasks)

    click(Column.NUMBER)
    numbers = [queue.model.case_at(i).number for i in range(queue.model.rowCount())]
    assert queue.model.query().sort is SortKey.NUMBER and numbers == sorted(numbers)
    click(Column.CATEGORY)  # no keyset key for it: the rows and the indicator stay
    assert queue.model.query().sort is SortKey.NUMBER
    assert header.sortIndicatorSection() == Column.NUMBER
