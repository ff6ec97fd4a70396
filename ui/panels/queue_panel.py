"""What every role panel is made of: its queues as tabs on the left, the selected
case on the right, and a tool bar the role adds to.

A role panel subclasses this with its queues (``queues()``) and its own tools; the
actions themselves come from the case detail (the workflow table decides).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QTabWidget, QToolBar, QVBoxLayout, QWidget

from seatdesk.domain.glossary import Role
from seatdesk.services.common import CaseId
from seatdesk.services.queues import CaseRow, QueueQuery
from ui.desk import Desk
from ui.widgets.case_detail import CaseDetailWidget
from ui.widgets.case_queue import CaseQueueWidget, user_settings
from ui.widgets.map_pane import MapPane


@dataclass(frozen=True, slots=True)
class QueueSpec:
    """One queue tab: its settings name, its title and its query."""

    name: str
    title: str
    query: QueueQuery


class QueuePanel(QWidget):
    """A role's queues and the case detail."""

    role: Role = Role.INSPECTOR

    sig_case_shown = Signal(object)
    """The detail now shows this case id (or None)."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.queue_widgets: dict[str, CaseQueueWidget] = {}
        self.map_pane: MapPane | None = None
        self._build_ui()
        self._connect()

    # ---- For subclasses

    def queues(self) -> list[QueueSpec]:
        """The role's queues, first the one a shift starts with."""
        return [QueueSpec("all", self.tr("My queue"), QueueQuery(role=self.role))]

    def add_tools(self, toolbar: QToolBar) -> None:
        """Add the role's own tools (none here)."""
        del toolbar

    def extra_tabs(self) -> list[tuple[str, QWidget]]:
        """Tabs beside the queues that are not queues (the shift overview)."""
        return []

    # ---- Building

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_tools(self.toolbar)
        if self.toolbar.actions():
            layout.addWidget(self.toolbar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("queues")
        for spec in self.queues():
            widget = CaseQueueWidget(self._desk, f"{self.role.value}.{spec.name}", spec.query)
            self.queue_widgets[spec.name] = widget
            self.tabs.addTab(widget, spec.title)
        for title, extra in self.extra_tabs():
            self.tabs.addTab(extra, title)
        self.detail = CaseDetailWidget(self._desk)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        # The detail's share from the start (3 : 2 by weight), not its scroll area's small
        # size hint: at 1280 px it would be left 190 px and its values cut.
        self.splitter.setSizes([600, 400])
        state = user_settings().value(self._settings_key())
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        body = QHBoxLayout()
        body.addWidget(self.splitter)
        layout.addLayout(body, 1)

    def _connect(self) -> None:
        for widget in self.queue_widgets.values():
            widget.sig_case_selected.connect(self._on_queue_case_selected)
            widget.sig_case_opened.connect(self._on_queue_case_opened)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.splitter.splitterMoved.connect(self._on_splitter_moved)

    # ---- Public API

    def current_queue(self) -> CaseQueueWidget | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, CaseQueueWidget) else None

    def show_queue(self, name: str) -> CaseQueueWidget:
        widget = self.queue_widgets[name]
        self.tabs.setCurrentWidget(widget)
        return widget

    def step_queue(self, step: int) -> None:
        """Show the next (1) or previous (-1) tab, wrapping around (Ctrl+Tab)."""
        count = self.tabs.count()
        if count:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def set_map(self, map_pane: MapPane | None) -> None:
        """The window's shared map (the main window wires it; None without one)."""
        self.map_pane = map_pane

    def open_case(self, case_id: CaseId) -> None:
        """Show a case in the detail, whichever queue it is in (a click on the map)."""
        self.detail.show_case(case_id)

    def focus_filter(self) -> None:
        queue = self.current_queue()
        if queue is not None:
            queue.focus_filter()

    # ---- Private slots

    @Slot(object)
    def _on_queue_case_selected(self, row: CaseRow | None) -> None:
        if self.sender() is not self.current_queue():
            return
        self.detail.show_case(row.id if row else None)
        self.sig_case_shown.emit(row.id if row else None)

    @Slot(object)
    def _on_queue_case_opened(self, row: CaseRow) -> None:
        self.open_case(row.id)
        buttons = list(self.detail.action_buttons.values())
        if buttons:
            buttons[0].setFocus()

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        queue = self.current_queue()
        if queue is not None:
            row = queue.current_case()
            self.detail.show_case(row.id if row else None)

    @Slot()
    def _on_splitter_moved(self) -> None:
        user_settings().setValue(self._settings_key(), self.splitter.saveState())

    def _settings_key(self) -> str:
        return f"panels/{self._desk.actor.login}/{self.role.value}/splitter"
