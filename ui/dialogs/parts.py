"""Pieces every dialog of the desk builds the same way: the red message line, Ctrl+Enter
to confirm from any field, and the question before a form with content is thrown away.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

# The keys that confirm a dialog from any of its fields, a multi-line note included
# (Return on the main keyboard, Enter on the keypad).
CONFIRM_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def message_label() -> QLabel:
    """The red line under a form that says, in one sentence, what is wrong."""
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


def install_confirm_shortcut(dialog: QWidget, confirm: Callable[[], None]) -> list[QShortcut]:
    """Ctrl+Enter anywhere in ``dialog`` calls ``confirm`` (its ``accept``, which
    validates first). A question open on top of the dialog (another window) takes the
    keys instead."""
    shortcuts = []
    for keys in CONFIRM_KEYS:
        shortcut = QShortcut(QKeySequence(keys), dialog)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(confirm)
        shortcuts.append(shortcut)
    return shortcuts


class DiscardQuestion(QMessageBox):
    """"Discard what was typed?" over a dialog: Discard or Keep editing (the default,
    and what Esc answers). It is window-modal and answers through a callback, so the
    desk keeps running while it is open."""

    def __init__(self, parent: QWidget, on_discard: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("discard_question")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(self.tr("Discard what was typed?"))
        self.setText(self.tr("This form holds what you typed. Discard it?"))
        self.discard_button: QPushButton = self.addButton(
            self.tr("Discard"), QMessageBox.ButtonRole.DestructiveRole
        )
        self.discard_button.setObjectName("discard")
        self.keep_button: QPushButton = self.addButton(
            self.tr("Keep editing"), QMessageBox.ButtonRole.RejectRole
        )
        self.keep_button.setObjectName("keep_editing")
        self.setDefaultButton(self.keep_button)
        self.setEscapeButton(self.keep_button)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._on_discard = on_discard
        self.finished.connect(self._on_finished)

    def _on_finished(self, _result: int) -> None:
        discard = self.clickedButton() is self.discard_button
        self.deleteLater()
        if discard:
            self._on_discard()


def reject_unless_kept(
    dialog: QWidget, has_content: bool, reject: Callable[[], None]
) -> DiscardQuestion | None:
    """What a dialog's ``reject`` (Esc, Cancel, the window's close button) does: with
    nothing typed, ``reject()`` at once; with content, ask first and ``reject()`` only
    when the person chooses to discard. One question at a time per dialog."""
    if not has_content:
        reject()
        return None
    for open_question in dialog.findChildren(DiscardQuestion):
        if open_question.isVisible():
            return open_question
    question = DiscardQuestion(dialog, reject)
    question.open()
    return question
