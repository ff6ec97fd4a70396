"""One phone call taken through the whole loop by driving the widgets, and two seats
seeing each other's changes without a manual refresh."""

from __future__ import annotations

from PySide6.QtCore import Qt

from seatdesk.domain.glossary import Action, Role, State
from seatdesk.services import cases
from seatdesk.services.photos import Photo
from tests.ui.conftest import Owner, png
from tests.ui.driving import act, open_case, type_text, visible_dialog
from ui.dialogs.dispatch_dialog import DispatchDialog
from ui.dialogs.new_case_dialog import NewCaseDialog
from ui.labels import format_time


def _new_case_by_phone(qtbot, window, tmp_path) -> str:
    panel = window.show_panel(Role.ACCEPTOR)
    panel.new_case_action.trigger()
    dialog = visible_dialog(NewCaseDialog)
    qtbot.mouseClick(dialog.category, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.category, "0101")
    popup = dialog.category.popup()
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.chosen_category() is not None, dialog.category.text()
    assert dialog.chosen_category().code == "0101"
    qtbot.waitUntil(lambda: dialog.condition.count() > 1, timeout=5_000)
    dialog.condition.setCurrentIndex(1)
    type_text(dialog.description, "市民来电：兴平路21号人行道井盖缺失，有安全隐患")
    type_text(dialog.address, "平阳县昆阳镇兴平路21号")
    qtbot.mouseClick(dialog.has_location, Qt.MouseButton.LeftButton)
    dialog.longitude.setValue(120.5634)
    dialog.latitude.setValue(27.6588)
    type_text(dialog.reporter, "张先生")
    qtbot.keyClicks(dialog.reporter_phone, "13800000000")
    photo = tmp_path / "scene.png"
    photo.write_bytes(png())
    dialog.photos.add_files([photo])  # what the file chooser hands over
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.created is not None or bool(dialog.message_label.text()), timeout=10_000
    )
    assert dialog.created is not None, dialog.message_label.text()
    qtbot.waitUntil(lambda: panel.detail.case is not None, timeout=10_000)
    assert panel.detail.case.state is State.REPORTED
    return panel.detail.case.number


def _condition_loaded(qtbot):
    def wait(dialog) -> None:
        # The case's filing condition is preselected once the conditions are read.
        qtbot.waitUntil(lambda: dialog.condition.currentData() is not None, timeout=5_000)

    return wait


def test_a_phone_call_goes_round_the_whole_loop(window_for, qtbot, owner: Owner, seeded, tmp_path):
    acceptor = window_for(Role.ACCEPTOR)
    leader = window_for(Role.SHIFT_LEADER)
    dispatcher = window_for(Role.DISPATCHER)
    number = _new_case_by_phone(qtbot, acceptor, tmp_path)
    case_id = owner.scalar("SELECT id FROM cases WHERE number = :n", n=number)

    panel = open_case(qtbot, acceptor, Role.ACCEPTOR, "new", number)
    act(qtbot, panel, Action.REQUEST_VERIFY, State.VERIFYING)
    panel = open_case(qtbot, acceptor, Role.ACCEPTOR, "verification", number)

    def reply(dialog) -> None:
        type_text(dialog.note_edit, "采集员回复：属实")

    act(qtbot, panel, Action.VERIFY_PASS, State.VERIFIED, reply)
    act(qtbot, panel, Action.PRE_REGISTER, State.PRE_REGISTERED, _condition_loaded(qtbot))

    panel = open_case(qtbot, leader, Role.SHIFT_LEADER, "register", number)
    act(qtbot, panel, Action.REGISTER, State.REGISTERED)

    panel = open_case(qtbot, dispatcher, Role.DISPATCHER, "register", number)
    chosen: list[str] = []
    shown: list[str] = []

    def choose(dialog) -> None:
        assert isinstance(dialog, DispatchDialog)
        # The category's default department is preselected.
        qtbot.waitUntil(lambda: dialog.department.currentData() is not None, timeout=5_000)
        chosen.append(dialog.department.currentData())
        # The deadline is shown as the standard computes it, before sending.
        qtbot.waitUntil(lambda: dialog.deadline.deadline_text()[:2] == "20", timeout=5_000)
        shown.append(dialog.deadline.deadline_text())

    act(qtbot, panel, Action.DISPATCH, State.DISPATCHED, choose)
    condition_department = owner.scalar(
        "SELECT f.handling_department_code FROM cases c "
        "JOIN filing_conditions f ON f.id = c.filing_condition_id WHERE c.id = :i",
        i=case_id,
    )
    assert chosen == [condition_department]
    deadline = owner.scalar("SELECT stage_deadline FROM cases WHERE id = :i", i=case_id)
    assert shown == [format_time(deadline)]

    # The department's steps, through the services as its liaison seat (its panel is
    # another issue's).
    dept = f"dept_{condition_department.lower()}"
    owner.as_(dept, lambda s: cases.start_handling(
        s, case_id=case_id, expected_version=owner.version(case_id)))
    owner.as_(dept, lambda s: cases.report_done(
        s, case_id=case_id, expected_version=owner.version(case_id), note="已更换井盖",
        photos=[Photo(png(), "result.png")]))

    panel = open_case(qtbot, acceptor, Role.ACCEPTOR, "check", number)
    act(qtbot, panel, Action.REQUEST_CHECK, State.CHECKING)
    act(qtbot, panel, Action.CHECK_PASS, State.CHECK_PASSED)
    # The timeline shows whom the check went to and what they answered.
    timeline = panel.detail.timeline

    def details() -> str:
        return " ".join(timeline.entry(i).note for i in range(timeline.count()))

    qtbot.waitUntil(lambda: "现场情况属实" in details(), timeout=10_000)
    assert "采集员 吴海" in details()

    panel = open_case(qtbot, leader, Role.SHIFT_LEADER, "close", number)
    act(qtbot, panel, Action.CLOSE, State.CLOSED)

    trail = owner.scalar(
        "SELECT string_agg(action || ':' || actor, ' ' ORDER BY id) FROM case_events "
        "WHERE case_id = :i", i=case_id,
    )
    assert trail.split() == [
        "create:acceptor1",
        "request_verify:acceptor1",
        "verify_pass:acceptor1",
        "pre_register:acceptor1",
        "register:leader1",
        "dispatch:dispatcher1",
        f"start_handling:{dept}",
        f"report_done:{dept}",
        "request_check:acceptor1",
        "check_pass:acceptor1",
        "close:leader1",
    ]
    # The timeline in the detail shows the same trail.
    qtbot.waitUntil(lambda: panel.detail.timeline.count() == 11, timeout=10_000)


def test_two_seats_see_each_others_changes_without_refreshing(window_for, qtbot, owner: Owner):
    case_id = owner.new_case()
    number = owner.number(case_id)
    acceptor = window_for(Role.ACCEPTOR)
    leader = window_for(Role.SHIFT_LEADER)
    # The leader is looking at the queue of cases to register, filtered to this number.
    to_register = leader.show_panel(Role.SHIFT_LEADER).show_queue("register")
    qtbot.keyClicks(to_register.text_filter, number)
    qtbot.waitUntil(lambda: to_register.model.query().text == number, timeout=5_000)
    qtbot.waitUntil(lambda: not to_register.model.is_busy(), timeout=5_000)
    assert to_register.model.rowCount() == 0
    reads = to_register.model.reads

    panel = open_case(qtbot, acceptor, Role.ACCEPTOR, "new", number)
    act(qtbot, panel, Action.PRE_REGISTER, State.PRE_REGISTERED, _condition_loaded(qtbot))
    # No click in the leader's window: the notification brings the case in.
    qtbot.waitUntil(lambda: to_register.model.row_of_number(number) == 0, timeout=5_000)
    assert to_register.model.reads > reads

    # And back: the leader registers it; the acceptor's open detail follows.
    panel_l = open_case(qtbot, leader, Role.SHIFT_LEADER, "register", number)
    act(qtbot, panel_l, Action.REGISTER, State.REGISTERED)
    qtbot.waitUntil(
        lambda: panel.detail.case is not None and panel.detail.case.state is State.REGISTERED,
        timeout=5_000,
    )
