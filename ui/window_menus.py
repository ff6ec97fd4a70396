"""The main window's menu bar: 文件 (switch user, lock, import complaints for the
monitor and admin seats, quit), 视图 (find, refresh,
queues, role panels, the map, the layout) and 帮助 (the shortcut sheet, about).

Every window-wide shortcut is an action of these menus, so the menus show them and the
shortcut sheet (F1) finds them. Ctrl+Tab / Ctrl+PgDown (and Ctrl+Shift+Tab / Ctrl+PgUp)
step through the queues of the current role panel: a seat works one role for a whole
shift and moves between that role's queues all the time, while the role tabs, which
few users have more than one of, keep Alt+1…9.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class WindowMenus(QObject):
    """Builds the menu bar of ``window`` and keeps its actions as attributes."""

    def __init__(self, window: MainWindow, role_names: list[str]) -> None:
        super().__init__(window)
        self._window = window
        bar = window.menuBar()

        file_menu = bar.addMenu(self.tr("&File"))
        self.switch_user = self._action(self.tr("&Switch user…"), window.switch_user)
        self.lock = self._action(self.tr("&Lock the desk"), window.lock, "Ctrl+L")
        self.quit = self._action(self.tr("&Quit"), window.close, QKeySequence.StandardKey.Quit)
        file_menu.addActions([self.switch_user, self.lock])
        self.import_complaints: QAction | None = None
        if window.may_import_complaints():
            file_menu.addSeparator()
            self.import_complaints = self._action(
                self.tr("&Import complaints…"), window.import_complaints
            )
            file_menu.addAction(self.import_complaints)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)

        view_menu = bar.addMenu(self.tr("&View"))
        self.find = self._action(
            self.tr("&Find in the queue"),
            window.find_in_queue,
            QKeySequence.StandardKey.Find,
        )
        self.refresh = self._action(
            self.tr("&Refresh"),
            window.refresh,
            QKeySequence.StandardKey.Refresh,
        )
        self.next_queue = self._action(
            self.tr("&Next queue"),
            lambda _checked=False: window.step_queue(1),
            "Ctrl+Tab",
            "Ctrl+PgDown",
        )
        self.previous_queue = self._action(
            self.tr("&Previous queue"),
            lambda _checked=False: window.step_queue(-1),
            "Ctrl+Shift+Tab",
            "Ctrl+PgUp",
        )
        view_menu.addActions([self.find, self.refresh])
        view_menu.addSeparator()
        view_menu.addActions([self.next_queue, self.previous_queue])
        self.role_actions: list[QAction] = []
        if role_names:
            roles_menu = view_menu.addMenu(self.tr("Role &panels"))
            for i, name in enumerate(role_names[:9]):
                action = self._action(
                    self.tr("Show the {role} panel").format(role=name),
                    lambda _checked=False, n=i: window.tabs.setCurrentIndex(n),
                    f"Alt+{i + 1}",
                )
                roles_menu.addAction(action)
                self.role_actions.append(action)
        view_menu.addSeparator()
        self.show_map = self._action(self.tr("Show the &map"), window.set_map_visible, "Ctrl+M")
        self.show_map.setCheckable(True)
        self.show_map.setChecked(True)
        self.reset_layout = self._action(self.tr("&Reset the layout"), window.reset_layout)
        view_menu.addActions([self.show_map, self.reset_layout])

        help_menu = bar.addMenu(self.tr("&Help"))
        self.shortcuts = self._action(
            self.tr("&Keyboard shortcuts"),
            window.show_shortcuts,
            QKeySequence.StandardKey.HelpContents,
        )
        self.about = self._action(self.tr("&About seatdesk"), window.show_about)
        help_menu.addActions([self.shortcuts, self.about])

    def _action(
        self, text: str, slot: object, *keys: str | QKeySequence.StandardKey
    ) -> QAction:
        """An action of the window (its shortcuts work wherever the focus is in it)."""
        action = QAction(text, self._window)
        shortcuts: list[QKeySequence] = []
        for key in keys:
            if isinstance(key, QKeySequence.StandardKey):
                shortcuts.extend(QKeySequence.keyBindings(key))
            else:
                shortcuts.append(QKeySequence(key))
        if shortcuts:
            action.setShortcuts(shortcuts)
        action.triggered.connect(slot)
        return action
