"""帮助 → 快捷键 (F1): every shortcut of the window, read from the window itself.

The sheet is not a list anybody keeps: it is collected, each time it opens, from the
``QAction``s under the window (its menus, the role panels' tools) and from the case
actions the person's roles may take (``ACTION_SHORTCUTS`` of the case detail, filtered
by the workflow table), so a shortcut added tomorrow appears in it by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, Role, State
from ui.labels import label
from ui.widgets.case_detail import ACTION_SHORTCUTS

#: Keys of special keyboards that standard shortcuts also bind (not listed in the sheet).
_DEDICATED_KEYS = frozenset(
    QKeySequence(key).toString()
    for key in (Qt.Key.Key_Help, Qt.Key.Key_Find, Qt.Key.Key_Refresh, Qt.Key.Key_Reload,
                Qt.Key.Key_Search)
)


@dataclass(frozen=True, slots=True)
class ShortcutEntry:
    """One line of the sheet: what it does, and its keys as the person reads them."""

    text: str
    keys: str


def action_entries(actions: list[QAction]) -> list[ShortcutEntry]:
    """The actions that have a shortcut, once each, in the order given."""
    entries: list[ShortcutEntry] = []
    seen: set[tuple[str, str]] = set()
    for action in actions:
        shortcuts = shown_shortcuts(action)
        if not shortcuts:
            continue
        text = _plain(action.text()) or _plain(action.toolTip())
        keys = " / ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts)
        if (text, keys) in seen:
            continue
        seen.add((text, keys))
        entries.append(ShortcutEntry(text, keys))
    return entries


def shown_shortcuts(action: QAction) -> list[QKeySequence]:
    """The action's shortcuts a person can type: not the extra bindings a standard key
    has on keyboards with a dedicated key (帮助, 查找, 刷新)."""
    return [
        s for s in action.shortcuts()
        if not s.isEmpty() and s.toString() not in _DEDICATED_KEYS
    ]


def _plain(text: str) -> str:
    """A menu text without its mnemonic (``&Quit``, ``退出(&Q)``) and trailing ellipsis."""
    text = re.sub(r"\(&\w\)", "", text)
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.rstrip("…").rstrip(".").strip()


def case_action_entries(roles: frozenset[Role]) -> list[ShortcutEntry]:
    """The shortcuts of the case actions these roles may take in some state."""
    allowed: set[Action] = set()
    for state in State:
        allowed.update(workflow.allowed_actions(state, roles))
    return [
        ShortcutEntry(label(action), QKeySequence(keys).toString(
            QKeySequence.SequenceFormat.NativeText))
        for action, keys in ACTION_SHORTCUTS.items()
        if action in allowed
    ]


class ShortcutsDialog(QDialog):
    """The shortcut sheet: a two-column table, read-only."""

    def __init__(self, entries: list[ShortcutEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = entries
        self._build_ui()

    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(self.entries), 2)
        self.table.setObjectName("shortcuts")
        self.table.setHorizontalHeaderLabels([self.tr("Does"), self.tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, entry in enumerate(self.entries):
            self.table.setItem(row, 0, QTableWidgetItem(entry.text))
            self.table.setItem(row, 1, QTableWidgetItem(entry.keys))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 520)
