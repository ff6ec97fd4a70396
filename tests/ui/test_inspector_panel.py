"""The inspector's panel driven through its widgets against the real database: a case
the sweep flags appears without a refresh, one case urged from the detail, a
department's overdue cases urged with one note (and the department seat sees the
督办), a check request sent, the callback sample drawn and shown the same again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

import ui.map  # noqa: F401 - QtWebEngine before the QApplication, sandbox off as root
from seatdesk.domain.glossary import Action, ComplaintChannel, Role, State
from seatdesk.services import complaints, supervision
from seatdesk.services.common import CaseId
from seatdesk.services.complaints import NewComplaint
from seatdesk.services.photos import Photo
from tests.core.conftest import LOGIN
from tests.ui.conftest import Owner, png, wait_idle
from tests.ui.driving import act, type_text, visible_dialog
from ui.main_window import MainWindow
from ui.panels.inspector_panel import CHECK_QUEUE, InspectorPanel
from ui.widgets.supervision_view import UrgeDepartmentDialog

INSPECTOR = LOGIN[Role.INSPECTOR]


def _panel(window: MainWindow) -> InspectorPanel:
    panel = window.show_panel(Role.INSPECTOR)
    assert isinstance(panel, InspectorPanel)
    return panel


def _make_overdue(owner: Owner, case_id: CaseId) -> None:
    """The case's deadline passes (no event yet) and the sweep, run by nobody's desk,
    flags it: only the change notice can tell an open desk."""
    with owner.engine.begin() as conn:
        conn.execute(text("""
            UPDATE cases SET stage_deadline = now() - interval '1 minute',
                             warning_at = now() - interval '2 minutes'
            WHERE id = :i
        """), {"i": case_id})
    with owner.engine.begin() as conn:
        conn.execute(text("SELECT seatdesk_sweep_deadlines_at(now())"))


def _drive(owner: Owner, case_id: CaseId, *steps: tuple[Role, Action, dict[str, object]]) -> None:
    from seatdesk.services import actions
    from seatdesk.services.actions import ActionInput

    for role, action, given in steps:
        version = owner.version(case_id)
        owner.as_(LOGIN[role], lambda s, a=action, g=given, v=version: actions.perform(
            s, a, case_id=case_id, expected_version=v, given=ActionInput(**g)))  # type: ignore[arg-type]


def _dispatched(owner: Owner) -> CaseId:
    case_id = owner.new_case()
    _drive(owner, case_id,
           (Role.ACCEPTOR, Action.PRE_REGISTER, {}),
           (Role.SHIFT_LEADER, Action.REGISTER, {}),
           (Role.DISPATCHER, Action.DISPATCH, {"department": "SZ"}))
    return case_id


def _row_of(panel: InspectorPanel, case_id: CaseId) -> int:
    return panel.supervision.model.row_of(case_id)


def _click_row(qtbot: QtBot, panel: InspectorPanel, case_id: CaseId) -> None:
    view = panel.supervision
    rect = view.table.visualRect(view.model.index(_row_of(panel, case_id), 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: panel.detail.case is not None and panel.detail.case.id == case_id,
                    timeout=10_000)


def test_a_case_the_sweep_flags_appears_without_a_refresh(
    qtbot: QtBot, window_for: Callable[..., MainWindow], owner: Owner
) -> None:
    window = window_for(Role.INSPECTOR)
    panel = _panel(window)
    view = panel.show_supervision()
    wait_idle(qtbot, panel._desk.tasks)
    qtbot.waitUntil(lambda: bool(view.departments.topLevelItemCount()), timeout=10_000)
    before = sum(d.overdue for d in view.counts)
    case_id = owner.new_case()
    _make_overdue(owner, case_id)
    qtbot.waitUntil(lambda: _row_of(panel, case_id) >= 0, timeout=5_000)
    qtbot.waitUntil(lambda: sum(d.overdue for d in view.counts) >= before + 1, timeout=5_000)
    assert view.departments.topLevelItem(0).text(2) == str(sum(d.overdue for d in view.counts))
    assert "(" in panel.tabs.tabText(panel.tabs.indexOf(view))  # the tab counts them


def test_urge_one_case_then_a_department_and_the_department_sees_it(
    qtbot: QtBot, window_for: Callable[..., MainWindow], owner: Owner
) -> None:
    first, second = _dispatched(owner), _dispatched(owner)
    for case_id in (first, second):
        _make_overdue(owner, case_id)
    window = window_for(Role.INSPECTOR)
    panel = _panel(window)
    view = panel.show_supervision()
    qtbot.waitUntil(lambda: any(d.code == "SZ" for d in view.counts), timeout=10_000)
    view.show_department("SZ")
    qtbot.waitUntil(lambda: _row_of(panel, first) >= 0 and _row_of(panel, second) >= 0,
                    timeout=10_000)
    # One case: the detail's 督办 button and its note.
    _click_row(qtbot, panel, first)
    act(qtbot, panel, Action.URGE, State.DISPATCHED,
        fill=lambda d: type_text(d.note_edit, "请今天内到场"))
    assert owner.scalar("SELECT note FROM case_events WHERE case_id = :i AND action = 'urge' "
                        "ORDER BY id DESC LIMIT 1", i=first) == "请今天内到场"
    qtbot.waitUntil(lambda: panel.detail.urge_banner.isVisible(), timeout=10_000)
    # The whole department, with one note.
    overdue = owner.scalar(
        "SELECT count(*) FROM cases WHERE current_department = 'SZ' AND deadline_status = "
        "'overdue' AND state NOT IN ('closed', 'merged', 'rejected', 'voided')")
    assert view.urge_button.isEnabled()
    qtbot.mouseClick(view.urge_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(UrgeDepartmentDialog)
    assert not dialog.ok_button.isEnabled()  # a note is required
    type_text(dialog.note, "市长督办：本周内全部办结")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(),
                    timeout=10_000)
    urged = owner.scalar("SELECT count(*) FROM case_events WHERE action = 'urge' "
                         "AND note = '市长督办：本周内全部办结' AND actor = :a", a=INSPECTOR)
    assert urged == overdue and overdue >= 2
    assert str(overdue) in view.outcome.text()
    # The department seat reads the latest 督办 on its case.
    dept_window = window_for(Role.DEPARTMENT, listen=False)
    dept_panel = dept_window.show_panel(Role.DEPARTMENT)
    dept_panel.open_case(second)
    banner = dept_panel.detail.urge_banner
    qtbot.waitUntil(banner.isVisible, timeout=10_000)
    assert "市长督办：本周内全部办结" in banner.text()


def test_the_inspector_sends_a_check_request(
    qtbot: QtBot, window_for: Callable[..., MainWindow], owner: Owner
) -> None:
    case_id = _dispatched(owner)
    _drive(owner, case_id,
           (Role.DEPARTMENT, Action.START_HANDLING, {}),
           (Role.DEPARTMENT, Action.REPORT_DONE,
            {"note": "已处置", "photos": (Photo(png(), "done.png"),)}))
    assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=case_id) == "handled"
    window = window_for(Role.INSPECTOR)
    panel = _panel(window)
    queue = panel.show_queue(CHECK_QUEUE)
    number = owner.number(case_id)
    qtbot.keyClicks(queue.text_filter, number)
    qtbot.waitUntil(lambda: queue.model.row_of_number(number) >= 0, timeout=10_000)
    rect = queue.table.visualRect(queue.model.index(queue.model.row_of_number(number), 0))
    qtbot.mouseClick(queue.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: panel.detail.case is not None and panel.detail.case.id == case_id,
                    timeout=10_000)
    assert panel.detail.isVisible()
    act(qtbot, panel, Action.REQUEST_CHECK, State.CHECKING)
    assert owner.scalar("SELECT actor FROM case_events WHERE case_id = :i "
                        "ORDER BY id DESC LIMIT 1", i=case_id) == INSPECTOR


def test_the_callback_sample_is_drawn_once_and_listed_masked(
    qtbot: QtBot, window_for: Callable[..., MainWindow], owner: Owner
) -> None:
    day = date(2019, 5, 10)
    made = []
    for i in range(4):
        cid, _ = owner.as_(LOGIN[Role.MONITOR], lambda s, i=i: complaints.create_complaint(
            s, NewComplaint(channel=ComplaintChannel.HOTLINE_12319, content=f"抽查界面测试{i}",
                            complainant="李大伟", complainant_phone="13905771234")))
        made.append(cid)
    with owner.engine.begin() as conn:
        conn.execute(text(
            "UPDATE complaints SET state = 'replied', reply_text = '已处理', "
            "reply_method = 'phone', replied_at = (:d)::timestamp AT TIME ZONE "
            "'Asia/Shanghai' + interval '9 hours' WHERE id = ANY(:ids)"),
            {"d": day, "ids": made})
    window = window_for(Role.INSPECTOR)
    panel = _panel(window)
    view = panel.show_samples()
    assert not panel.detail.isVisible()  # no case on this tab
    view.set_period(date(2019, 5, 1), date(2019, 5, 31))
    qtbot.waitUntil(lambda: view.draw_button.isEnabled(), timeout=10_000)
    assert view.table.rowCount() == 0
    qtbot.mouseClick(view.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.sample is not None, timeout=10_000)
    sample = view.sample
    assert sample is not None
    # 4 replied in May 2019 × the default share 0.1 = 0.4 → 1 complaint.
    assert (sample.population, len(sample.items)) == (4, 1)
    assert view.table.rowCount() == 1
    assert view.table.item(0, 3).text() == "李**"
    assert "13905771234" not in " ".join(
        view.table.item(0, c).text() for c in range(view.table.columnCount()))
    assert not view.draw_button.isEnabled()  # drawn: it cannot be re-rolled
    # Another inspector's desk (here: the same seat again) finds the same draw.
    again = owner.as_(INSPECTOR, lambda s: supervision.find_sample(
        s, period_from=date(2019, 5, 1), period_to=date(2019, 5, 31)))
    assert again is not None and again.items == sample.items
