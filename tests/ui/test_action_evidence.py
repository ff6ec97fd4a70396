"""The action dialog asks for what the requirement table says, and says what is missing
in one sentence before anything is sent: the collector's reply, a photo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from seatdesk.domain.glossary import Action, Role, State
from seatdesk.services import calendar as calendar_service
from seatdesk.services import cases, queues
from tests.ui.conftest import Owner, wait_idle
from tests.ui.driving import evidence_photo, open_case, type_text, visible_dialog
from ui.dialogs.action_dialog import ActionDialog
from ui.dialogs.registry import open_action_dialog


def test_a_verification_needs_the_reply_and_a_photo_before_it_is_sent(
    window_for, qtbot, owner: Owner
):
    case_id = owner.new_case()
    owner.as_("acceptor1", lambda s: cases.request_verify(
        s, case_id=case_id, expected_version=1, collector="采集员 吴海"))
    window = window_for(Role.ACCEPTOR, listen=False)
    panel = open_case(qtbot, window, Role.ACCEPTOR, "verification", owner.number(case_id))
    qtbot.waitUntil(lambda: Action.VERIFY_PASS in panel.detail.action_buttons, timeout=10_000)
    qtbot.mouseClick(panel.detail.action_buttons[Action.VERIFY_PASS],
                     Qt.MouseButton.LeftButton)
    dialog = visible_dialog(ActionDialog)
    assert dialog.reply_edit is not None and dialog.photo_picker is not None
    assert dialog.collector_edit is None  # the collector was named when it was sent
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    said_reply = dialog.message_label.text()
    assert said_reply and dialog.isVisible()
    type_text(dialog.reply_edit, "现场属实")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    said_photo = dialog.message_label.text()
    assert said_photo and said_photo != said_reply and dialog.isVisible()
    assert owner.version(case_id) == 2  # nothing was sent
    dialog.photo_picker.add_files([evidence_photo()])
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=case_id) == State.VERIFIED
    assert owner.scalar(
        "SELECT data ->> 'reply' FROM case_events WHERE case_id = :i ORDER BY id DESC LIMIT 1",
        i=case_id) == "现场属实"
    assert owner.scalar(
        "SELECT count(*) FROM attachments WHERE case_id = :i AND step = 'verify'", i=case_id
    ) == 1


def _handling_case(owner: Owner) -> int:
    """A case the SZ department is handling, taken there through the services."""
    case_id = owner.new_case()
    steps = [
        ("acceptor1", lambda s, v: cases.pre_register(s, case_id=case_id, expected_version=v)),
        ("leader1", lambda s, v: cases.register(s, case_id=case_id, expected_version=v)),
        ("dispatcher1", lambda s, v: cases.dispatch(
            s, case_id=case_id, expected_version=v, department="SZ")),
        ("dept_sz", lambda s, v: cases.start_handling(s, case_id=case_id, expected_version=v)),
    ]
    for login, step in steps:
        version = owner.version(case_id)
        owner.as_(login, lambda s, step=step, version=version: step(s, version))
    return case_id


def test_the_result_photo_follows_the_centre_setting(desk_for, qtbot, owner: Owner):
    case_id = _handling_case(owner)
    desk = desk_for("dept_sz")
    detail = owner.as_("dept_sz", lambda s: queues.get_case(s, case_id))
    dialog = open_action_dialog(desk, detail, Action.REPORT_DONE)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.note_edit, "已更换井盖")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.message_label.text()  # on by default: a photo
    dialog.close()

    owner.as_("admin1", lambda s: calendar_service.set_setting(
        s, "require_result_photo", False))
    try:
        dialog = open_action_dialog(desk, detail, Action.REPORT_DONE)
        qtbot.addWidget(dialog)
        dialog.show()
        wait_idle(qtbot, desk.tasks)  # the setting is read
        type_text(dialog.note_edit, "已更换井盖")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
        assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=case_id) == "handled"
    finally:
        owner.as_("admin1", lambda s: calendar_service.set_setting(
            s, "require_result_photo", True))
