"""Open desks follow the database live: a case the sweep turns red shows red within two
seconds, and a department an administrator adds (or retires) reaches the pickers of an
open desk without a restart. Both changes are made by the owner, committed, outside
any desk: only the database's change notices can tell the desk."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from seatdesk.db.engine import session_factory
from seatdesk.domain.glossary import Action, DeadlineStatus, Role
from seatdesk.services import queues
from tests.ui.conftest import Owner
from ui.dialogs.dispatch_dialog import DispatchDialog
from ui.main_window import MainWindow
from ui.models.case_table_model import Column


def test_a_case_the_sweep_turns_red_shows_red_on_an_open_desk_within_two_seconds(
    qtbot: QtBot, window_for: Callable[..., MainWindow], owner: Owner
) -> None:
    case_id = owner.new_case()
    window = window_for(Role.ACCEPTOR)
    queue = window.show_panel(Role.ACCEPTOR).show_queue("new")
    model = queue.model
    qtbot.waitUntil(lambda: model.row_of(case_id) >= 0, timeout=10_000)
    row = model.case_at(model.row_of(case_id))
    assert row is not None and row.deadline_status is not DeadlineStatus.OVERDUE
    # Its deadline passes (the owner moves it back: no event, so no notice yet) ...
    with owner.engine.begin() as conn:
        conn.execute(text("""
            UPDATE cases SET stage_deadline = now() - interval '1 minute',
                             warning_at = now() - interval '2 minutes'
            WHERE id = :i
        """), {"i": case_id})
    qtbot.wait(300)
    row = model.case_at(model.row_of(case_id))
    assert row is not None and row.deadline_status is not DeadlineStatus.OVERDUE
    # ... and the sweep, run by nobody's desk, flags it.
    with owner.engine.begin() as conn:
        swept = conn.execute(text("SELECT seatdesk_sweep_deadlines_at(now())")).scalar()
    started = time.monotonic()
    assert swept is not None and swept >= 1

    def red() -> bool:
        r = model.row_of(case_id)
        current = model.case_at(r)
        return current is not None and current.deadline_status is DeadlineStatus.OVERDUE

    qtbot.waitUntil(red, timeout=2_000)
    assert time.monotonic() - started < 2.0
    cell = model.index(model.row_of(case_id), Column.DEADLINE_STATUS)
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole) == QColor("#e53935")
    # Its timeline says who did it in the desk's words, not the database's: the system
    # (系统) turned on the light (亮灯), whoever's desk ran the sweep.
    panel = window.show_panel(Role.ACCEPTOR)
    panel.open_case(case_id)
    timeline = panel.detail.timeline
    qtbot.waitUntil(lambda: timeline.count() >= 2, timeout=10_000)
    last = timeline.entry(timeline.count() - 1)
    assert (last.action, last.who) == (
        panel.detail.tr("Deadline light"), panel.detail.tr("System")
    )
    assert "flag" not in last.action and last.who != "system"


def test_a_department_added_by_the_owner_reaches_an_open_desk(
    qtbot: QtBot, window_for: Callable[..., MainWindow], owner: Owner
) -> None:
    window = window_for(Role.DISPATCHER)
    desk = window._desk
    queue = window.show_panel(Role.DISPATCHER).show_queue("register")
    case_id = owner.scalar("SELECT id FROM cases WHERE state = 'registered' LIMIT 1")
    with session_factory(owner.engine)() as s:
        case = queues.get_case(s, case_id)
    dialog = DispatchDialog(desk, case, Action.DISPATCH)  # open before the change
    qtbot.addWidget(dialog)
    code = f"T{uuid.uuid4().hex[:6].upper()}"
    assert queue.department_filter.findData(code) < 0
    with owner.engine.begin() as conn:
        conn.execute(text("INSERT INTO departments (code, name) VALUES (:c, '新设部门')"),
                     {"c": code})
    try:
        qtbot.waitUntil(lambda: queue.department_filter.findData(code) >= 0, timeout=5_000)
        assert dialog.department.findData(code) >= 0
        assert any(d.code == code for d in desk.reference.departments)
        later = DispatchDialog(desk, case, Action.DISPATCH)  # and in one opened now
        qtbot.addWidget(later)
        assert later.department.findData(code) >= 0
        # Retired: it goes from the open desk's pickers too.
        with owner.engine.begin() as conn:
            conn.execute(text("UPDATE departments SET active = false WHERE code = :c"),
                         {"c": code})
        qtbot.waitUntil(lambda: dialog.department.findData(code) < 0, timeout=5_000)
        assert queue.department_filter.findData(code) < 0
    finally:
        with owner.engine.begin() as conn:
            conn.execute(text("DELETE FROM departments WHERE code = :c"), {"c": code})
