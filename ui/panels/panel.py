"""What every panel of the main window is: a widget for one role's tab, whatever it
shows (queues, statistics, administration).

The main window knows panels only through this contract (and builds them from
``ui.panels.registry``): the tab's title, the role's tools, the window's shared map,
opening a case asked for elsewhere (a click on the map), the Find shortcut, and the
desk's data changes. A panel that is not a queue overrides what it needs and leaves
the rest as it is here.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QToolBar, QWidget

from seatdesk.domain.glossary import Role
from seatdesk.services.common import CaseId, ChangeSet
from ui.desk import Desk
from ui.labels import label
from ui.widgets.map_pane import MapPane


class Panel(QWidget):
    """One role's tab."""

    role: Role = Role.INSPECTOR

    sig_case_shown = Signal(object)
    """The panel now shows this case id (or None): the window centres the map on it."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.map_pane: MapPane | None = None
        desk.tasks.sig_data_changed.connect(self._on_tasks_data_changed)

    # ---- Public API (what the main window calls)

    def title(self) -> str:
        """The tab's title: the role's name."""
        return label(self.role)

    def add_tools(self, toolbar: QToolBar) -> None:
        """Add the role's own tools to the panel's tool bar (none here)."""
        del toolbar

    def set_map(self, map_pane: MapPane | None) -> None:
        """The window's shared map (the main window wires it; None without one)."""
        self.map_pane = map_pane

    def open_case(self, case_id: CaseId) -> None:
        """Show a case asked for from outside the panel (a click on the map)."""
        del case_id

    def focus_filter(self) -> None:
        """Ctrl+F: focus the panel's search field, if it has one."""

    def on_data_changed(self, changes: ChangeSet) -> None:
        """This or another seat changed data: reload what the panel shows, if it cares.
        (Widgets that read by themselves, as the queues do, need nothing here.)"""
        del changes

    # ---- Private slots

    @Slot(object, object)
    def _on_tasks_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        self.on_data_changed(changes)
