"""Action dialogs (a stale case loses nothing typed) and the task machinery."""

from __future__ import annotations

from PySide6.QtCore import Qt

from seatdesk.domain.glossary import Action, Role, State
from seatdesk.errors import ValidationError
from seatdesk.services import cases, queues
from seatdesk.services.common import ChangeSet
from seatdesk.services.photos import Photo
from tests.ui.conftest import Owner, png, wait_idle
from tests.ui.driving import open_case, type_text, visible_dialog
from ui.dialogs.action_dialog import ActionDialog
from ui.dialogs.reject_dialog import RejectDialog
from ui.tasks import MutationOp, QueryOp


def test_a_stale_case_says_who_changed_it_and_keeps_what_was_typed(
    window_for, qtbot, owner: Owner
):
    case_id = owner.new_case()
    number = owner.number(case_id)
    window = window_for(Role.ACCEPTOR, listen=False)  # so the detail does not follow
    panel = open_case(qtbot, window, Role.ACCEPTOR, "new", number)
    qtbot.mouseClick(panel.detail.action_buttons[Action.REJECT], Qt.MouseButton.LeftButton)
    dialog = visible_dialog(RejectDialog)
    dialog.reason.setCurrentIndex(2)
    type_text(dialog.note_edit, "与上午的报告重复")
    # Meanwhile another acceptor seat asks for verification.
    owner.as_("acceptor1", lambda s: cases.request_verify(
        s, case_id=case_id, expected_version=owner.version(case_id), collector="采集员 吴海"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "王芳" in dialog.message_label.text(), timeout=10_000)
    assert dialog.isVisible()
    assert dialog.note() == "与上午的报告重复" and dialog.reason.currentIndex() == 2
    # The case was read again: verifying still allows no reject, so OK is off and says so.
    qtbot.waitUntil(lambda: dialog.case.state is State.VERIFYING, timeout=10_000)
    assert not dialog.ok_button.isEnabled()
    dialog.reject()


def test_after_a_stale_case_the_same_dialog_can_send_again(window_for, qtbot, owner: Owner):
    case_id = owner.new_case()
    number = owner.number(case_id)
    window = window_for(Role.ACCEPTOR, listen=False)
    panel = open_case(qtbot, window, Role.ACCEPTOR, "new", number)
    qtbot.mouseClick(panel.detail.action_buttons[Action.REQUEST_VERIFY], Qt.MouseButton.LeftButton)
    dialog = visible_dialog(ActionDialog)
    type_text(dialog.note_edit, "请核实")
    assert dialog.collector_edit is not None
    type_text(dialog.collector_edit, "采集员 郑丽")
    # An urge-free change that keeps the state: merge something into it? Simplest is
    # a send-back round trip by two other seats, leaving the case reported again.
    def round_trip(s) -> None:
        v = queues.get_case(s, case_id).version
        cases.pre_register(s, case_id=case_id, expected_version=v)

    owner.as_("acceptor1", round_trip)
    owner.as_("leader1", lambda s: cases.send_back(
        s, case_id=case_id, expected_version=owner.version(case_id), note="信息不全"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "李强" in dialog.message_label.text(), timeout=10_000)
    qtbot.waitUntil(lambda: dialog.case.version == owner.version(case_id), timeout=10_000)
    assert dialog.ok_button.isEnabled() and dialog.note() == "请核实"
    assert dialog.collector_edit.text() == "采集员 郑丽"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=case_id) == "verifying"
    assert owner.scalar(
        "SELECT data ->> 'collector' FROM case_events WHERE case_id = :i ORDER BY id DESC "
        "LIMIT 1", i=case_id) == "采集员 郑丽"


def test_mutations_run_in_order_and_announce_their_changes(desk_for, qtbot, owner: Owner):
    desk = desk_for("acceptor1")
    case_id = owner.new_case()
    version = owner.version(case_id)
    seen: list[ChangeSet] = []
    done: list[str] = []
    desk.tasks.sig_data_changed.connect(lambda changes, _who: seen.append(changes))
    MutationOp(desk.tasks, None, op=lambda s: cases.request_verify(
        s, case_id=case_id, expected_version=version, collector="采集员 吴海"),
        success=lambda _r: done.append("a")).run()
    MutationOp(desk.tasks, None, op=lambda s: cases.verify_pass(
        s, case_id=case_id, expected_version=version + 1, reply="属实",
        photos=[Photo(png(), "scene.png")]),
        success=lambda _r: done.append("b")).run()
    wait_idle(qtbot, desk.tasks)
    assert done == ["a", "b"]
    assert seen == [ChangeSet(case_ids=frozenset({case_id}))] * 2


def test_an_error_goes_to_the_failure_callback_and_nothing_is_written(
    desk_for, qtbot, owner: Owner
):
    desk = desk_for("acceptor1")
    case_id = owner.new_case()
    owner.as_("acceptor1", lambda s: cases.request_verify(
        s, collector="采集员 吴海", case_id=case_id, expected_version=1))
    errors: list[BaseException] = []
    MutationOp(desk.tasks, None, op=lambda s: cases.verify_fail(
        s, case_id=case_id, expected_version=2, reply="  ", photos=[Photo(png(), "x.png")]),
        failure=errors.append).run()
    unhandled: list[BaseException] = []
    desk.tasks.sig_error.connect(unhandled.append)
    QueryOp(desk.tasks, None, op=lambda s: queues.find_case_id(s, "no-such-number")).run()
    wait_idle(qtbot, desk.tasks)
    assert isinstance(errors[0], ValidationError) and errors[0].field == "reply"
    assert len(unhandled) == 1  # no failure callback: the one default place
    assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=case_id) == "verifying"


def test_thousands_of_qt_calls_do_not_run_out_of_none_and_true(qtbot):
    """PySide6 6.12 on Python 3.11 takes a reference off None/True at each void call and
    each emit; without ui.pyside_refcounts a long shift ends in "none_dealloc"."""
    import sys

    from PySide6.QtWidgets import QLabel

    from ui.tasks import TaskManager

    label = QLabel()
    qtbot.addWidget(label)
    tasks = TaskManager()
    tasks.sig_busy.connect(lambda _n: None)
    for i in range(20_000):
        label.setText(str(i))
        tasks.sig_busy.emit(i)
    assert sys.getrefcount(None) > 10_000 and sys.getrefcount(True) > 10_000


def test_pre_register_shows_duplicates_within_50_m_and_merges(window_for, qtbot, owner: Owner):
    from ui.dialogs.pre_register_dialog import PreRegisterDialog

    original = owner.new_case(longitude=120.57001, latitude=27.67001)
    repeat = owner.new_case(longitude=120.57021, latitude=27.67011)  # ~23 m away
    far = owner.new_case(longitude=120.58001, latitude=27.67001)  # ~1 km away
    window = window_for(Role.ACCEPTOR, listen=False)
    panel = open_case(qtbot, window, Role.ACCEPTOR, "new", owner.number(repeat))
    qtbot.mouseClick(panel.detail.action_buttons[Action.PRE_REGISTER], Qt.MouseButton.LeftButton)
    dialog = visible_dialog(PreRegisterDialog)
    qtbot.waitUntil(dialog.merge_button.isVisible, timeout=10_000)
    shown = [dialog.duplicates.topLevelItem(i).text(0)
             for i in range(dialog.duplicates.topLevelItemCount())]
    assert owner.number(original) in shown and owner.number(far) not in shown
    dialog.duplicates.setCurrentItem(dialog.duplicates.topLevelItem(shown.index(owner.number(original))))
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=repeat) == "merged"
    assert owner.scalar("SELECT merged_into FROM cases WHERE id = :i", i=repeat) == original
