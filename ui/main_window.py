"""The main window: a tab per role the user holds and the map beside them on a splitter,
a reconnect banner, a menu bar (``ui.window_menus``) and a status bar with the database
and a live/reconnecting indicator; the title names the person and their roles once.
A case clicked on the map opens in the current role's panel; a case selected in a
queue is centred on the map. After the configured idle time the window locks itself
(``ui.idle_lock``, ``ui.dialogs.lock_dialog``).

The window's size, the splitter and whether the map shows are remembered per user
(``save_layout``/``restore_layout``). 文件 → 切换用户 closes the window and says so
(``sig_closed(True)``): ``ui.app`` shows the login window again without quitting.

It only builds the window and wires the panels; the panels never call each other.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from seatdesk import messages
from seatdesk.config import load_settings
from seatdesk.db.engine import connection_cause
from seatdesk.domain.glossary import Role
from seatdesk.errors import ConnectionProblem
from seatdesk.services.common import CaseId, ChangeSet
from ui.desk import Desk
from ui.dialogs.complaint_import_dialog import ComplaintImportDialog
from ui.dialogs.lock_dialog import LockDialog
from ui.dialogs.shortcuts_dialog import ShortcutsDialog, action_entries, case_action_entries
from ui.idle_lock import IdleWatcher
from ui.labels import database_place, roles_label
from ui.listener import NotifyListener
from ui.panels.panel import Panel
from ui.panels.queue_panel import QueuePanel
from ui.panels.registry import panels_for
from ui.widgets.case_queue import user_settings
from ui.widgets.map_pane import MapPane
from ui.window_menus import WindowMenus

log = logging.getLogger(__name__)

#: The smallest screen a seat works on (the window fits it, nothing clipped).
MIN_WIDTH, MIN_HEIGHT = 1280, 720
#: The queues and the map at first (the splitter's sizes): at 1280 px the panel needs
#: most of the width (queue, filters and case detail); width beyond it goes 3 : 2.
FIRST_SIZES = (1000, 280)


class MainWindow(QMainWindow):
    """One logged-in seat."""

    sig_closed = Signal(bool)
    """The window closed: True when the person chose Switch user (log in again),
    False when they quit."""

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
        self.switching_user = False
        self.listener = NotifyListener(desk.address, desk.tasks.session) if listen else None
        self.lock_dialog: LockDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.about_box: QMessageBox | None = None
        self.import_dialog: ComplaintImportDialog | None = None
        if idle_lock_ms is None:
            idle_lock_ms = int(load_settings().idle_lock_minutes * 60_000)
        self.idle = IdleWatcher(idle_lock_ms, self)
        self._build_ui()
        self.menus = WindowMenus(self, [panel.title() for panel in self.panels.values()])
        self._connect()
        self.restore_layout()
        if self.listener is not None:
            self.listener.start()

    def _build_ui(self) -> None:
        actor = self._desk.actor
        # The person and their roles, once: the status bar does not repeat them.
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
        self.map_pane = MapPane(self._desk)
        self.map_pane.setObjectName("map")
        # The queues and the map share the width: both grow with the window (3 : 2),
        # across a handle wide enough to see and to catch.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("desk_splitter")
        self.splitter.setHandleWidth(7)
        self.splitter.setStyleSheet(
            "QSplitter#desk_splitter::handle { background: palette(mid); margin: 0 2px; }"
        )
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.map_pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes(list(FIRST_SIZES))
        #: The splitter as it was while the map showed (kept while the map is hidden).
        self._shown_state: QByteArray | None = None
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        for panel in self.panels.values():
            panel.set_map(self.map_pane)
        status = self.statusBar()
        text, where = database_place(self._desk.address, self._desk.centre_name)
        self.database_label = QLabel(self.tr("Database: {where}").format(where=text))
        self.database_label.setObjectName("database")
        self.database_label.setToolTip(where)
        self.live_label = QLabel()
        self.live_label.setObjectName("live")
        self.live_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # an indeterminate bar while ops are under way
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(14)
        self.busy.hide()
        # Where the statistics read: shown only when the centre has a replica.
        self.reporting_label = QLabel()
        self.reporting_label.setObjectName("reporting")
        self.reporting_label.hide()
        status.addPermanentWidget(self.database_label)
        status.addPermanentWidget(self.reporting_label)
        status.addPermanentWidget(self.busy)
        status.addPermanentWidget(self.live_label)
        self._show_live(False)

    def _connect(self) -> None:
        tasks = self._desk.tasks
        tasks.sig_busy.connect(self._on_tasks_busy)
        tasks.sig_connection.connect(self._on_connection)
        tasks.sig_reporting.connect(self._on_reporting)
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

    def current_panel(self) -> Panel | None:
        panel = self.tabs.currentWidget()
        return panel if isinstance(panel, Panel) else None

    def set_map_visible(self, visible: bool) -> None:
        """Show or hide the map; shown again, it takes the share it had."""
        if not visible and self.map_pane.isVisibleTo(self) and self.splitter.sizes()[1] > 0:
            self._shown_state = self.splitter.saveState()
        self.map_pane.setVisible(visible)
        collapsed = visible and self.splitter.sizes()[1] == 0
        if collapsed and not (self._shown_state and self.splitter.restoreState(self._shown_state)):
            self.splitter.setSizes(list(FIRST_SIZES))
        self.menus.show_map.setChecked(visible)

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

    @Slot()
    def switch_user(self) -> None:
        """Log out: the window closes and the login window comes back (``ui.app``)."""
        self.switching_user = True
        if not self.close():
            self.switching_user = False

    def may_import_complaints(self) -> bool:
        """The monitor and admin seats import the city platform's complaints (the
        database refuses the others anyway)."""
        return self._desk.has(Role.MONITOR) or self._desk.has(Role.ADMIN)

    @Slot()
    def import_complaints(self) -> ComplaintImportDialog:
        """文件 → 导入投诉…: the import dialog (one at a time)."""
        if self.import_dialog is not None:
            self.import_dialog.deleteLater()
        self.import_dialog = ComplaintImportDialog(self._desk, self)
        self.import_dialog.open()
        return self.import_dialog

    @Slot()
    def show_shortcuts(self) -> ShortcutsDialog:
        """The shortcut sheet, collected from the window's actions now."""
        entries = action_entries(self.findChildren(QAction))
        entries += case_action_entries(self._desk.actor.roles)
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.deleteLater()
        self.shortcuts_dialog = ShortcutsDialog(entries, self)
        self.shortcuts_dialog.show()
        return self.shortcuts_dialog

    @Slot()
    def show_about(self) -> None:
        if self.about_box is None:
            self.about_box = QMessageBox(self)
            self.about_box.setWindowTitle(self.tr("About seatdesk"))
            self.about_box.setIconPixmap(self.windowIcon().pixmap(48, 48))
            self.about_box.setText(
                self.tr(
                    "<b>seatdesk {version}</b><br>The seat desk of the digital city "
                    "management command centre.<br>Every seat shares one database; the "
                    "database decides who may do what."
                ).format(version=_version())
            )
        self.about_box.open()

    @Slot()
    def find_in_queue(self) -> None:
        """Ctrl+F: the current queue's text filter."""
        panel = self.current_panel()
        if panel is not None:
            panel.focus_filter()

    @Slot()
    def refresh(self) -> None:
        """F5: every panel reads its data again."""
        self._desk.tasks.sig_data_changed.emit(ChangeSet(entities=frozenset({"refresh"})), self)

    def step_queue(self, step: int) -> None:
        """The next (1) or previous (-1) queue of the current role panel (Ctrl+Tab)."""
        panel = self.current_panel()
        if isinstance(panel, QueuePanel):  # a panel of queues; others have none to step
            panel.step_queue(step)

    def save_layout(self) -> None:
        """Remember the window's size and place, the splitter and the map, per user."""
        settings = user_settings()
        key = self._layout_key()
        settings.setValue(f"{key}/geometry", self.saveGeometry())
        settings.setValue(f"{key}/state", self.saveState())
        shown = self.map_pane.isVisibleTo(self)
        # With the map hidden, the share it had is kept for when it comes back.
        splitter = self.splitter.saveState() if shown else self._shown_state
        if splitter is not None:
            settings.setValue(f"{key}/splitter", splitter)
        settings.setValue(f"{key}/map", shown)

    def restore_layout(self) -> None:
        settings = user_settings()
        key = self._layout_key()
        geometry = settings.value(f"{key}/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value(f"{key}/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = settings.value(f"{key}/splitter")
        if isinstance(splitter, QByteArray) and self.splitter.restoreState(splitter):
            self._shown_state = splitter
        self.set_map_visible(str(settings.value(f"{key}/map", "true")).lower() != "false")

    @Slot()
    def reset_layout(self) -> None:
        """Back to the first layout (the splitter's shares, the map shown)."""
        self.set_map_visible(True)
        self.splitter.setSizes(list(FIRST_SIZES))
        self.save_layout()

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.idle.watch(self.windowHandle())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        self.idle.stop()
        if self.listener is not None:
            self.listener.stop()
        self._desk.tasks.shutdown()
        self.map_pane.dispose()
        super().closeEvent(event)
        self.sig_closed.emit(self.switching_user)

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
        panel = self.current_panel()
        if panel is not None:
            panel.open_case(CaseId(case_id))

    @Slot(bool, str)
    def _on_connection(self, live: bool, reason: str) -> None:
        self._show_live(live, reason)

    @Slot(bool, str)
    def _on_reporting(self, on_replica: bool, note: str) -> None:
        """The statistics moved between the replica and the main server: a short mark
        that stays, the core's sentence as its tooltip, and the sentence in the status
        bar for a while when the desk fell back."""
        self.reporting_label.setText(
            self.tr("Statistics: replica") if on_replica else self.tr("Statistics: main server")
        )
        self.reporting_label.setStyleSheet("" if on_replica else "color: #e65100;")
        self.reporting_label.setToolTip(note)
        self.reporting_label.show()
        if not on_replica:
            log.warning("statistics fall back to the main server: %s", note)
        self.statusBar().showMessage(note, 15_000)

    @Slot(int)
    def _on_tasks_busy(self, pending: int) -> None:
        self.busy.setVisible(pending > 0)

    @Slot(object)
    def _on_tasks_error(self, error: BaseException) -> None:
        if isinstance(error, ConnectionProblem):
            return  # the banner says it
        self.statusBar().showMessage(str(error), 15_000)

    # ---- Private

    def _show_live(self, live: bool, reason: str = "") -> None:
        """The indicator, and the banner while the connection is lost. The banner says
        why in one sentence of the person's language; libpq's own words (``reason``)
        go to the log and the banner's tooltip only."""
        self.live = live
        if live:
            self.live_label.setText(self.tr("● live"))
            self.live_label.setStyleSheet("color: #2e7d32; font-weight: bold;")
            self.banner.hide()
            return
        self.live_label.setStyleSheet("color: #c62828; font-weight: bold;")
        if not reason:  # still connecting for the first time
            self.live_label.setText(self.tr("connecting…"))
            return
        self.live_label.setText(self.tr("● reconnecting…"))
        log.warning("connection to the database lost: %s", reason)
        cause = messages.t(f"connection.{connection_cause(reason)}")
        self.banner.setText(
            self.tr(
                "The connection to the database was lost: {cause}. Reconnecting by "
                "itself; what you typed is kept."
            ).format(cause=cause)
        )
        self.banner.setToolTip(reason)
        self.banner.show()

    def _layout_key(self) -> str:
        return f"window/{self._desk.actor.login}"


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("seatdesk")
    except metadata.PackageNotFoundError:
        return "?"
