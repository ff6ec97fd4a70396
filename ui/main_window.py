"""The main window: a tab per role the user holds, the map in a dock beside them, a
reconnect banner, and a status bar with the user, the roles, the database and a
live/reconnecting indicator. A case clicked on the map opens in the current role's
panel; a case selected in a queue is centred on the map. After the configured idle
time the window locks itself (``ui.idle_lock``, ``ui.dialogs.lock_dialog``).

It only builds the window and wires the panels; the panels never call each other.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QProgressBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from seatdesk.config import load_settings
from seatdesk.domain.glossary import Role
from seatdesk.errors import ConnectionProblem
from seatdesk.services.common import CaseId, ChangeSet
from ui.desk import Desk
from ui.dialogs.lock_dialog import LockDialog
from ui.idle_lock import IdleWatcher
from ui.labels import roles_label
from ui.listener import NotifyListener
from ui.panels.panel import Panel
from ui.panels.registry import panels_for
from ui.widgets.map_pane import MapPane


class MainWindow(QMainWindow):
    """One logged-in seat."""

    def __init__(
        self,
        desk: Desk,
        *,
        listen: bool = True,
        idle_lock_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self.panels: dict[Role, Panel] = {}
        self.live = False
        self.listener = NotifyListener(desk.address, desk.tasks.session) if listen else None
        self.lock_dialog: LockDialog | None = None
        if idle_lock_ms is None:
            idle_lock_ms = int(load_settings().idle_lock_minutes * 60_000)
        self.idle = IdleWatcher(idle_lock_ms, self)
        self._build_ui()
        self._connect()
        if self.listener is not None:
            self.listener.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.idle.watch(self.windowHandle())

    def _build_ui(self) -> None:
        actor = self._desk.actor
        self.setWindowTitle(
            self.tr("seatdesk — {name} ({roles})").format(
                name=actor.display_name, roles=roles_label(actor.roles)
            )
        )
        self.resize(1360, 820)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setStyleSheet(
            "background: #c62828; color: white; padding: 6px; font-weight: bold;"
        )
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("roles")
        for panel in panels_for(self._desk):  # ui/panels/registry.py: role → panel
            self.panels[panel.role] = panel
            self.tabs.addTab(panel, panel.title())
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.map_pane = MapPane(self._desk)
        self.map_dock = QDockWidget(self.tr("Map"), self)
        self.map_dock.setObjectName("map")
        self.map_dock.setWidget(self.map_pane)
        self.map_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.map_dock)
        self.resizeDocks([self.map_dock], [480], Qt.Orientation.Horizontal)
        for panel in self.panels.values():
            panel.set_map(self.map_pane)
        status = self.statusBar()
        self.user_label = QLabel(f"{actor.display_name} ({actor.login})")
        self.role_label = QLabel(roles_label(actor.roles))
        self.database_label = QLabel(self.tr("Database: {where}").format(
            where=self._desk.address.where()
        ))
        self.live_label = QLabel()
        self.live_label.setObjectName("live")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # an indeterminate bar while ops are under way
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(14)
        self.busy.hide()
        for widget in (self.user_label, self.role_label, self.database_label):
            status.addPermanentWidget(widget)
        status.addPermanentWidget(self.busy)
        status.addPermanentWidget(self.live_label)
        self._set_live(False, self.tr("connecting…"))
        self._add_shortcuts()

    def _add_shortcuts(self) -> None:
        find = QAction(self.tr("Find"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._on_find_triggered)
        refresh = QAction(self.tr("Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self._on_refresh_triggered)
        self.addAction(find)
        self.addAction(refresh)
        for i in range(min(self.tabs.count(), 9)):
            switch = QAction(self)
            switch.setShortcut(QKeySequence(f"Alt+{i + 1}"))
            switch.triggered.connect(lambda _c=False, n=i: self.tabs.setCurrentIndex(n))
            self.addAction(switch)

    def _connect(self) -> None:
        tasks = self._desk.tasks
        tasks.sig_busy.connect(self._on_tasks_busy)
        tasks.sig_connection.connect(self._on_connection)
        tasks.sig_error.connect(self._on_tasks_error)
        self.map_pane.sig_case_clicked.connect(self._on_map_pane_case_clicked)
        for panel in self.panels.values():
            panel.sig_case_shown.connect(self.map_pane.center_on_case)
        if self.listener is not None:
            self.listener.sig_changes.connect(self._on_listener_changes)
            self.listener.sig_connection.connect(self._on_connection)
        self.idle.sig_idle.connect(self.lock)

    # ---- Public API

    def panel(self, role: Role) -> Panel:
        return self.panels[role]

    def show_panel(self, role: Role) -> Panel:
        panel = self.panels[role]
        self.tabs.setCurrentWidget(panel)
        return panel

    @Slot()
    def lock(self) -> None:
        """Lock the desk: a modal dialog asks for the password; nothing behind it closes."""
        if self.lock_dialog is not None:
            return
        actor = self._desk.actor
        dialog = LockDialog(self._desk.tasks, self._desk.address, actor.login,
                            actor.display_name, parent=self)
        dialog.sig_unlocked.connect(self._on_lock_dialog_unlocked)
        self.lock_dialog = dialog
        dialog.open()

    # ---- Qt overrides

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.idle.stop()
        if self.listener is not None:
            self.listener.stop()
        self._desk.tasks.shutdown()
        self.map_pane.dispose()
        super().closeEvent(event)

    # ---- Private slots

    @Slot()
    def _on_lock_dialog_unlocked(self) -> None:
        if self.lock_dialog is not None:
            self.lock_dialog.deleteLater()
            self.lock_dialog = None
        self.idle.resume()

    @Slot(object)
    def _on_listener_changes(self, changes: ChangeSet) -> None:
        self._desk.tasks.sig_data_changed.emit(changes, self.listener)

    @Slot(int)
    def _on_map_pane_case_clicked(self, case_id: int) -> None:
        panel = self.tabs.currentWidget()
        if isinstance(panel, Panel):
            panel.open_case(CaseId(case_id))

    @Slot(bool, str)
    def _on_connection(self, live: bool, reason: str) -> None:
        self._set_live(live, reason)

    @Slot(int)
    def _on_tasks_busy(self, pending: int) -> None:
        self.busy.setVisible(pending > 0)

    @Slot(object)
    def _on_tasks_error(self, error: BaseException) -> None:
        if isinstance(error, ConnectionProblem):
            return  # the banner says it
        self.statusBar().showMessage(str(error), 15_000)

    @Slot()
    def _on_find_triggered(self) -> None:
        panel = self.tabs.currentWidget()
        if isinstance(panel, Panel):
            panel.focus_filter()

    @Slot()
    def _on_refresh_triggered(self) -> None:
        self._desk.tasks.sig_data_changed.emit(ChangeSet(entities=frozenset({"refresh"})), self)

    def _set_live(self, live: bool, reason: str) -> None:
        was_live = self.live
        self.live = live
        if live:
            self.live_label.setText(self.tr("● live"))
            self.live_label.setStyleSheet("color: #2e7d32; font-weight: bold;")
            self.banner.hide()
            return
        self.live_label.setText(self.tr("● reconnecting…"))
        self.live_label.setStyleSheet("color: #c62828; font-weight: bold;")
        if was_live or reason:
            self.banner.setText(
                self.tr(
                    "The connection to the database was lost ({reason}). Reconnecting by "
                    "itself; what you typed is kept."
                ).format(reason=reason or self.tr("no answer"))
            )
            self.banner.setVisible(bool(reason) and reason != self.tr("connecting…"))
        self.live_label.setAlignment(Qt.AlignmentFlag.AlignRight)
