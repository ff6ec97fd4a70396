"""Driving the windows as a person does: type into the filter, click the row, click
the action's button, fill its dialog, click OK."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from seatdesk.domain.glossary import Action, Role, State
from tests.core.conftest import png
from ui.dialogs.action_dialog import ActionDialog
from ui.main_window import MainWindow
from ui.panels.queue_panel import QueuePanel

T = TypeVar("T")


def open_case(
    qtbot: QtBot, window: MainWindow, role: Role, queue: str, number: str
) -> QueuePanel:
    """Find the case by number in one of the role's queues and select its row."""
    panel = window.show_panel(role)
    widget = panel.show_queue(queue)
    if widget.text_filter.text() != number:
        widget.text_filter.clear()
        qtbot.keyClicks(widget.text_filter, number)
    qtbot.waitUntil(lambda: widget.model.row_of_number(number) >= 0, timeout=10_000)
    row = widget.model.row_of_number(number)
    rect = widget.table.visualRect(widget.model.index(row, 0))
    qtbot.mouseClick(widget.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: panel.detail.case is not None and panel.detail.case.number == number,
        timeout=10_000,
    )
    return panel


def act(
    qtbot: QtBot,
    panel: QueuePanel,
    action: Action,
    expect: State,
    fill: Callable[[ActionDialog], None] | None = None,
) -> None:
    """Click the action's button, fill its dialog, confirm, and wait for the new state."""
    detail = panel.detail
    qtbot.waitUntil(lambda: action in detail.action_buttons, timeout=10_000)
    qtbot.mouseClick(detail.action_buttons[action], Qt.MouseButton.LeftButton)
    dialog = visible_dialog(ActionDialog)
    give_evidence(dialog)
    if fill is not None:
        fill(dialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not dialog.isVisible() or bool(dialog.message_label.text()), timeout=10_000
    )
    assert not dialog.isVisible(), dialog.message_label.text()
    qtbot.waitUntil(
        lambda: detail.case is not None and detail.case.state is expect, timeout=10_000
    )


def give_evidence(dialog: ActionDialog) -> None:
    """What the requirement table asks of the dialog's action, as a person gives it:
    the collector it goes to, the collector's reply, a photo."""
    if dialog.collector_edit is not None and not dialog.collector_edit.text():
        type_text(dialog.collector_edit, "采集员 吴海")
    if dialog.reply_edit is not None and not dialog.reply_edit.toPlainText():
        type_text(dialog.reply_edit, "现场情况属实")
    if dialog.photo_picker is not None and not dialog.photo_picker.count():
        dialog.photo_picker.add_files([evidence_photo()])


def evidence_photo() -> Path:
    """A small PNG on disk, as a collector's photo arrives (one per test session)."""
    global _EVIDENCE
    if _EVIDENCE is None:
        _EVIDENCE = Path(tempfile.mkdtemp(prefix="seatdesk-evidence-")) / "scene.png"
        _EVIDENCE.write_bytes(png((40, 140, 90)))
    return _EVIDENCE


_EVIDENCE: Path | None = None


def visible_dialog(kind: type[T]) -> T:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key. QTest.keyClicks aborts on characters outside Latin-1,
    so each character goes as the key event an input method delivers."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)
