"""What every action dialog does with the keyboard: Ctrl+Enter confirms from any field
(the note included), Esc or Cancel asks before a typed note is thrown away."""

from __future__ import annotations

from PySide6.QtCore import Qt

from seatdesk.domain.glossary import Action, Role
from tests.ui.conftest import Owner
from tests.ui.driving import open_case, type_text, visible_dialog
from ui.dialogs.action_dialog import ActionDialog
from ui.dialogs.parts import DiscardQuestion

TIMEOUT = 10_000


def _action_dialog(qtbot, window, owner: Owner, action: Action) -> tuple[ActionDialog, int]:
    case_id = owner.new_case()
    panel = open_case(qtbot, window, Role.ACCEPTOR, "new", owner.number(case_id))
    qtbot.waitUntil(lambda: action in panel.detail.action_buttons, timeout=TIMEOUT)
    qtbot.mouseClick(panel.detail.action_buttons[action], Qt.MouseButton.LeftButton)
    dialog = visible_dialog(ActionDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT)  # as a window manager does
    return dialog, case_id


def _open_question(dialog) -> list[DiscardQuestion]:
    return [q for q in dialog.findChildren(DiscardQuestion) if q.isVisible()]


def test_ctrl_enter_in_the_note_confirms_the_action(window_for, qtbot, owner: Owner):
    window = window_for(Role.ACCEPTOR, listen=False)
    dialog, case_id = _action_dialog(qtbot, window, owner, Action.REQUEST_VERIFY)
    assert dialog.collector_edit is not None
    type_text(dialog.collector_edit, "吴海")
    dialog.note_edit.setFocus()
    type_text(dialog.note_edit, "请核实井盖位置")
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=case_id) == "verifying"
    assert owner.scalar(
        "SELECT note FROM case_events WHERE case_id = :i ORDER BY id DESC LIMIT 1", i=case_id
    ) == "请核实井盖位置"


def test_ctrl_enter_on_an_incomplete_dialog_says_so_and_sends_nothing(
    window_for, qtbot, owner: Owner
):
    window = window_for(Role.ACCEPTOR, listen=False)
    dialog, case_id = _action_dialog(qtbot, window, owner, Action.REJECT)  # needs a reason
    version = owner.version(case_id)
    dialog.note_edit.setFocus()
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.message_label.isVisible()
    assert owner.version(case_id) == version
    dialog.reject()  # nothing typed: closes without a question
    assert not dialog.isVisible()


def test_esc_with_a_typed_note_asks_and_keep_editing_keeps_it(window_for, qtbot, owner: Owner):
    window = window_for(Role.ACCEPTOR, listen=False)
    dialog, case_id = _action_dialog(qtbot, window, owner, Action.REQUEST_VERIFY)
    dialog.note_edit.setFocus()
    type_text(dialog.note_edit, "采集员请到现场")
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(_open_question(dialog)), timeout=TIMEOUT)
    question = _open_question(dialog)[0]
    qtbot.mouseClick(question.keep_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not _open_question(dialog), timeout=TIMEOUT)
    assert dialog.isVisible() and dialog.note() == "采集员请到现场"
    # Cancel, then Discard: the dialog goes and nothing was sent.
    version = owner.version(case_id)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_open_question(dialog)), timeout=TIMEOUT)
    qtbot.mouseClick(_open_question(dialog)[0].discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert owner.version(case_id) == version


def test_esc_with_no_note_closes_at_once(window_for, qtbot, owner: Owner):
    window = window_for(Role.ACCEPTOR, listen=False)
    dialog, _case_id = _action_dialog(qtbot, window, owner, Action.REQUEST_VERIFY)
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert not _open_question(dialog)
