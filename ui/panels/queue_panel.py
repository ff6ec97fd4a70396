"""What a queue panel is made of: its queues as tabs on the left, the selected case
on the right, and a tool bar the role adds to.

A role panel subclasses this with its queues (``queues()``) and its own tools; the
actions themselves come from the case detail (the workflow table decides), which asks
the panel to run one: the panel opens the action's dialog (``ui.dialogs.registry``).
Every queue can be exported to Excel with its filters (a ``LongOp`` of
``seatdesk.services.exports.export_queue``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.glossary import Action
from seatdesk.services import exports
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.exports import ExportResult
from seatdesk.services.queues import CaseDetail, CaseRow, QueueCount, QueueQuery
from ui.desk import Desk
from ui.dialogs.registry import open_action_dialog
from ui.panels.panel import Panel
from ui.tasks import LongOp
from ui.widgets.case_detail import CaseDetailWidget
from ui.widgets.case_queue import CaseQueueWidget, format_count, user_settings


@dataclass(frozen=True, slots=True)
class QueueSpec:
    """One queue tab: its settings name, its title and its query."""

    name: str
    title: str
    query: QueueQuery


class QueuePanel(Panel):
    """A role's queues and the case detail."""

    sig_action_done = Signal(object, object)
    """An action on the shown case was committed: (Action, ChangeSet)."""

    sig_exported = Signal(object)
    """A queue was written to Excel: the ``ExportResult``."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.queue_widgets: dict[str, CaseQueueWidget] = {}
        self._build_ui()
        self._connect()

    # ---- For subclasses

    def queues(self) -> list[QueueSpec]:
        """The role's queues, first the one a shift starts with."""
        return [QueueSpec("all", self.tr("My queue"), QueueQuery(role=self.role))]

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
        self.export_action = QAction(self.tr("Export to Excel…"), self)
        self.export_action.setObjectName("export_queue")
        self.export_action.setToolTip(
            self.tr("Write the current queue, with its filters, to an Excel workbook")
        )
        self.toolbar.addAction(self.export_action)
        layout.addWidget(self.toolbar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("queues")
        self._titles: dict[str, str] = {}
        for spec in self.queues():
            widget = CaseQueueWidget(self._desk, f"{self.role.value}.{spec.name}", spec.query)
            self.queue_widgets[spec.name] = widget
            self._titles[spec.name] = spec.title
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
        for name, widget in self.queue_widgets.items():
            widget.sig_case_selected.connect(self._on_queue_case_selected)
            widget.sig_case_opened.connect(self._on_queue_case_opened)
            widget.sig_count_changed.connect(
                lambda count, name=name: self._on_queue_count_changed(name, count)
            )
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self.detail.sig_action_requested.connect(self._on_detail_action_requested)
        self.export_action.triggered.connect(self._on_export_action_triggered)

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

    def open_case(self, case_id: CaseId) -> None:
        """Show a case in the detail, whichever queue it is in (a click on the map)."""
        self.detail.show_case(case_id)

    def focus_filter(self) -> None:
        queue = self.current_queue()
        if queue is not None:
            queue.focus_filter()

    def export_queue(self, path: Path) -> LongOp[ExportResult] | None:
        """Export the current queue, as filtered now, to ``path`` (what the tool does
        once the file is chosen); None when no queue tab is current."""
        queue = self.current_queue()
        if queue is None:
            return None
        query = queue.model.query()
        op = LongOp(
            self._desk.tasks,
            self,
            title=self.tr("Exporting the queue to Excel…"),
            op=lambda s, progress: exports.export_queue(s, query, path, progress),
            success=self._on_exported,
            failure=self._on_export_failed,
        )
        op.run()
        return op

    def run_action(self, case: CaseDetail, action: Action) -> None:
        """Open the dialog of ``action`` on ``case`` (what the detail asks for)."""
        dialog = open_action_dialog(self._desk, case, action, self)
        dialog.sig_done.connect(lambda changes, a=action: self._on_action_done(a, changes))
        dialog.open()

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

    def _on_queue_count_changed(self, name: str, count: QueueCount) -> None:
        widget = self.queue_widgets[name]
        title = self.tr("{title} ({n})").format(title=self._titles[name], n=format_count(count))
        self.tabs.setTabText(self.tabs.indexOf(widget), title)

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        queue = self.current_queue()
        if queue is not None:
            row = queue.current_case()
            self.detail.show_case(row.id if row else None)

    @Slot(object, object)
    def _on_detail_action_requested(self, case: CaseDetail, action: Action) -> None:
        self.run_action(case, action)

    def _on_action_done(self, action: Action, changes: ChangeSet) -> None:
        self.sig_action_done.emit(action, changes)

    @Slot()
    def _on_export_action_triggered(self) -> None:
        queue_title = self.tabs.tabText(self.tabs.currentIndex())
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export to Excel"),
            str(Path.home() / f"{self.title()}-{queue_title}.xlsx"),
            self.tr("Excel workbook (*.xlsx)"),
        )
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.export_queue(Path(path))

    def _on_exported(self, result: ExportResult) -> None:
        self.sig_exported.emit(result)
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(
                self.tr("{count} cases exported to {path}").format(
                    count=result.rows, path=result.path
                ),
                15_000,
            )

    def _on_export_failed(self, error: BaseException) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Export to Excel"), str(error), parent=self
        )
        box.setObjectName("export_failed")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    @Slot()
    def _on_splitter_moved(self) -> None:
        user_settings().setValue(self._settings_key(), self.splitter.saveState())

    def _settings_key(self) -> str:
        return f"panels/{self._desk.actor.login}/{self.role.value}/splitter"
