"""The action dialog asks for what the requirement table says, and says what is missing
in one sentence before anything is sent: the collector's reply, a photo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from seatdesk.domain.glossary import Action, Role, State
from seatdesk.services import cases
from tests.ui.conftest import Owner
from tests.ui.driving import evidence_photo, open_case, type_text, visible_dialog
from ui.dialogs.action_dialog import ActionDialog


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
