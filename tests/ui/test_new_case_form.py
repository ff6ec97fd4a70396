"""The new-case form as an acceptor uses it during a call: the category search puts the
best match first, coordinates outside every grid are said at once, Esc asks before a
typed form is thrown away, a draft survives a closed window, Ctrl+Enter creates."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox

from seatdesk.domain.glossary import Role
from tests.ui.conftest import LOGIN, Owner, wait_idle
from tests.ui.driving import type_text
from ui.dialogs.drafts import load_draft
from ui.dialogs.new_case_dialog import DRAFT, NewCaseDialog
from ui.dialogs.parts import DiscardQuestion

TIMEOUT = 10_000
LOGIN_ACCEPTOR = LOGIN[Role.ACCEPTOR]


def _dialog(qtbot, desk) -> NewCaseDialog:
    dialog = NewCaseDialog(desk)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):  # shortcuts go to the active window
        dialog.show()
        dialog.activateWindow()
    return dialog


def _choose(qtbot, dialog: NewCaseDialog, typed: str, pick: int = 0) -> str:
    """Type into the category field, wait for the suggestions, choose one by keys."""
    dialog.category.setFocus()
    type_text(dialog.category, typed)
    popup = dialog.category.popup()
    qtbot.waitUntil(popup.isVisible, timeout=TIMEOUT)
    first = dialog.category.suggestions()[0]
    for _ in range(pick + 1):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    return first


def _question(qtbot, dialog) -> DiscardQuestion:
    qtbot.waitUntil(
        lambda: any(q.isVisible() for q in dialog.findChildren(DiscardQuestion)),
        timeout=TIMEOUT,
    )
    return next(q for q in dialog.findChildren(DiscardQuestion) if q.isVisible())


def _type_coordinate(qtbot, box: QAbstractSpinBox, value: str) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, value)


# ---- Category search


def test_the_exact_name_and_the_exact_code_come_first(desk_for, qtbot):
    dialog = _dialog(qtbot, desk_for(LOGIN_ACCEPTOR))
    first = _choose(qtbot, dialog, "路灯")
    assert first.startswith("0118 路灯 ")
    suggestions = dialog.category.suggestions()
    assert any(s.startswith("0106 路灯井盖") for s in suggestions)
    assert dialog.chosen_category().code == "0118"
    assert not dialog.category.popup().isVisible()

    dialog.category.clear()
    first = _choose(qtbot, dialog, "0102")
    assert first.startswith("0102 ")
    assert dialog.chosen_category().code == "0102"
    # Its filing conditions follow the choice.
    qtbot.waitUntil(lambda: dialog.condition.count() > 1, timeout=TIMEOUT)


def test_typing_on_while_the_popup_is_open_reranks(desk_for, qtbot):
    dialog = _dialog(qtbot, desk_for(LOGIN_ACCEPTOR))
    dialog.category.setFocus()
    type_text(dialog.category, "01")
    qtbot.waitUntil(dialog.category.popup().isVisible, timeout=TIMEOUT)
    many = len(dialog.category.suggestions())
    qtbot.keyClicks(dialog.category.popup(), "18")  # the open popup passes keys on: "0118"
    qtbot.waitUntil(lambda: len(dialog.category.suggestions()) < many, timeout=TIMEOUT)
    assert dialog.category.suggestions()[0].startswith("0118 路灯")


# ---- Coordinates outside every grid


def test_typed_coordinates_outside_every_grid_are_said_next_to_them(desk_for, qtbot):
    desk = desk_for(LOGIN_ACCEPTOR)
    dialog = _dialog(qtbot, desk)
    qtbot.mouseClick(dialog.has_location, Qt.MouseButton.LeftButton)
    _type_coordinate(qtbot, dialog.longitude, "121.9")
    _type_coordinate(qtbot, dialog.latitude, "28.9")
    qtbot.waitUntil(dialog.location_note.isVisible, timeout=TIMEOUT)
    assert "121.900000" in dialog.location_note.text()
    assert not dialog.message_label.isVisible()  # the form's error line stays free
    # Back inside the county: the sentence goes.
    _type_coordinate(qtbot, dialog.longitude, "120.5634")
    _type_coordinate(qtbot, dialog.latitude, "27.6588")
    qtbot.waitUntil(lambda: not dialog.location_note.isVisible(), timeout=TIMEOUT)
    wait_idle(qtbot, desk.tasks)
    assert not dialog.location_note.isVisible()
    assert dialog.grid.text() == ""  # typed coordinates do not type the grid for you


def test_unticking_the_coordinates_takes_the_warning_away(desk_for, qtbot):
    dialog = _dialog(qtbot, desk_for(LOGIN_ACCEPTOR))
    qtbot.mouseClick(dialog.has_location, Qt.MouseButton.LeftButton)
    _type_coordinate(qtbot, dialog.longitude, "100.1")
    qtbot.waitUntil(dialog.location_note.isVisible, timeout=TIMEOUT)
    qtbot.mouseClick(dialog.has_location, Qt.MouseButton.LeftButton)
    assert not dialog.location_note.isVisible()


# ---- Esc, drafts


def test_esc_on_an_empty_form_closes_it_without_asking(desk_for, qtbot):
    dialog = _dialog(qtbot, desk_for(LOGIN_ACCEPTOR))
    qtbot.keyClick(dialog.category, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.findChildren(DiscardQuestion) == []


def test_esc_on_a_typed_form_asks_and_keep_editing_keeps_everything(desk_for, qtbot):
    dialog = _dialog(qtbot, desk_for(LOGIN_ACCEPTOR))
    _choose(qtbot, dialog, "路灯")
    type_text(dialog.description, "路灯不亮")
    type_text(dialog.address, "兴平路21号")
    qtbot.keyClick(dialog.address, Qt.Key.Key_Escape)
    question = _question(qtbot, dialog)
    assert dialog.isVisible()
    qtbot.mouseClick(question.keep_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not question.isVisible(), timeout=TIMEOUT)
    assert dialog.isVisible()
    assert dialog.chosen_category().code == "0118"
    assert dialog.description.toPlainText() == "路灯不亮"
    assert dialog.address.text() == "兴平路21号"
    # Cancel asks the same; Esc in the question means "keep editing" too.
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    question = _question(qtbot, dialog)
    qtbot.keyClick(question, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not question.isVisible(), timeout=TIMEOUT)
    assert dialog.isVisible() and dialog.address.text() == "兴平路21号"


def test_discard_closes_the_form_and_its_draft_goes(desk_for, qtbot):
    dialog = _dialog(qtbot, desk_for(LOGIN_ACCEPTOR))
    type_text(dialog.description, "占道经营")
    qtbot.waitUntil(lambda: load_draft(LOGIN_ACCEPTOR, DRAFT) is not None, timeout=TIMEOUT)
    dialog.close()  # the window's close button: the same question
    question = _question(qtbot, dialog)
    qtbot.mouseClick(question.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert load_draft(LOGIN_ACCEPTOR, DRAFT) is None
    again = _dialog(qtbot, dialog._desk)
    assert not again.draft_note.isVisible()
    assert again.description.toPlainText() == ""


def _fill_and_crash(qtbot, desk) -> int:
    """Fill a form, wait until its draft is on disk, and make the form vanish without a
    word (a crash, the desk killed: no reject, no done). The filing condition chosen."""
    dialog = _dialog(qtbot, desk)
    _choose(qtbot, dialog, "路灯")
    qtbot.waitUntil(lambda: dialog.condition.count() > 1, timeout=TIMEOUT)
    dialog.condition.setCurrentIndex(dialog.condition.count() - 1)
    condition = int(dialog.condition.currentData())
    type_text(dialog.description, "路灯整夜不亮")
    type_text(dialog.reporter, "李女士")
    qtbot.mouseClick(dialog.has_location, Qt.MouseButton.LeftButton)
    dialog.longitude.setValue(120.5611)
    dialog.latitude.setValue(27.6611)
    qtbot.waitUntil(
        lambda: (load_draft(LOGIN_ACCEPTOR, DRAFT) or {}).get("latitude") == 27.6611,
        timeout=TIMEOUT,
    )
    assert not dialog.draft_note.isVisible()
    dialog.hide()
    shiboken6.delete(dialog)
    return condition


def test_a_form_closed_by_force_comes_back_from_its_draft(desk_for, qtbot):
    desk = desk_for(LOGIN_ACCEPTOR)
    condition = _fill_and_crash(qtbot, desk)

    again = _dialog(qtbot, desk)
    assert again.draft_note.isVisible() and again.draft_note.text()
    assert again.chosen_category().code == "0118"
    assert again.description.toPlainText() == "路灯整夜不亮"
    assert again.reporter.text() == "李女士"
    assert again.has_location.isChecked() and again.longitude.isEnabled()
    assert (again.longitude.value(), again.latitude.value()) == (120.5611, 27.6611)
    qtbot.waitUntil(lambda: again.condition.currentData() == condition, timeout=TIMEOUT)
    # Another user has a draft of its own (none here).
    other = _dialog(qtbot, desk_for(LOGIN[Role.MONITOR]))
    assert not other.draft_note.isVisible() and other.description.toPlainText() == ""


def test_ctrl_enter_creates_the_case_and_the_draft_goes(desk_for, qtbot, owner: Owner):
    dialog = _dialog(qtbot, desk_for(LOGIN_ACCEPTOR))
    _choose(qtbot, dialog, "0118")
    type_text(dialog.description, "路灯灯杆倾斜")
    type_text(dialog.address, "平阳县昆阳镇解放街8号")
    qtbot.waitUntil(lambda: load_draft(LOGIN_ACCEPTOR, DRAFT) is not None, timeout=TIMEOUT)
    # From the multi-line description, where Enter alone is a new line.
    dialog.description.setFocus()
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.created is not None or dialog.message_label.isVisible(),
                    timeout=TIMEOUT)
    assert dialog.created is not None, dialog.message_label.text()
    assert not dialog.isVisible()
    assert owner.scalar("SELECT description FROM cases WHERE id = :i",
                        i=dialog.created) == "路灯灯杆倾斜"
    assert load_draft(LOGIN_ACCEPTOR, DRAFT) is None


def test_ctrl_enter_on_an_incomplete_form_says_what_is_missing(desk_for, qtbot):
    dialog = _dialog(qtbot, desk_for(LOGIN_ACCEPTOR))
    dialog.address.setFocus()
    type_text(dialog.address, "解放街8号")
    qtbot.keyClick(dialog.address, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.created is None
    assert dialog.message_label.isVisible() and dialog.message_label.text()


def _address_and_crash(qtbot, desk) -> None:
    first = _dialog(qtbot, desk)
    type_text(first.address, "解放街8号")
    first.save_draft()  # now, without waiting for the moment after the change
    shiboken6.delete(first)


def test_the_restored_draft_says_so_in_chinese(desk_for, qtbot):
    from PySide6.QtWidgets import QApplication

    from ui.i18n import install_translators

    desk = desk_for(LOGIN_ACCEPTOR)
    _address_and_crash(qtbot, desk)
    app = QApplication.instance()
    translators = install_translators(app, "zh")
    try:
        again = _dialog(qtbot, desk)
        assert again.draft_note.text().startswith("已恢复草稿")
        assert again.address.text() == "解放街8号"
    finally:
        for t in translators:
            app.removeTranslator(t)
        install_translators(app, "en")
