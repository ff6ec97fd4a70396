"""12319舆情监控岗: the complaints the centre owes an answer.

Queues as tabs with their counts — 新投诉 (new), 待答复 (the case ended or the
complaint was forwarded, not yet answered; the nearest reply deadline first, red and
yellow), 待回访 (answered, not yet called back), 全部 (all, searchable) — and the
selected complaint beside them with its case's progress (a case clicked on the map
shows its complaint). Ctrl+N records a complaint
from a call (``PhoneComplaintDialog``); the detail's buttons (and their shortcuts) turn
it into a case, link it, forward it, reply and call back. Everything follows the change
notices: another seat's step shows here without a refresh.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.glossary import ComplaintAction, Role
from seatdesk.services import complaints
from seatdesk.services.common import CaseId
from seatdesk.services.complaint_queues import ComplaintQuery, ComplaintQueue, ComplaintRow
from seatdesk.services.complaints import Complaint, ComplaintId
from seatdesk.services.queues import QueueCount
from ui.desk import Desk
from ui.dialogs.complaint_dialogs import (
    CallbackDialog,
    ComplaintStepDialog,
    ForwardDialog,
    LinkDialog,
    ReplyDialog,
    ToCaseDialog,
)
from ui.dialogs.phone_complaint_dialog import PhoneComplaintDialog
from ui.panels.panel import Panel
from ui.tasks import QueryOp
from ui.widgets.case_queue import format_count, user_settings
from ui.widgets.complaint_detail import ComplaintDetailWidget
from ui.widgets.complaint_queue import ComplaintQueueWidget

#: Each step's dialog, made from the desk, the complaint and the parent.
_DIALOGS: dict[ComplaintAction, Callable[[Desk, Complaint, QWidget], ComplaintStepDialog]] = {
    ComplaintAction.TO_CASE: ToCaseDialog,
    ComplaintAction.LINK: LinkDialog,
    ComplaintAction.FORWARD: ForwardDialog,
    ComplaintAction.REPLY: ReplyDialog,
    ComplaintAction.CALLBACK: CallbackDialog,
}


class MonitorPanel(Panel):
    role = Role.MONITOR

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.queue_widgets: dict[ComplaintQueue, ComplaintQueueWidget] = {}
        self._titles: dict[ComplaintQueue, str] = {}
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_tools(self.toolbar)
        layout.addWidget(self.toolbar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("complaint_queues")
        titles = {
            ComplaintQueue.NEW: self.tr("New complaints"),
            ComplaintQueue.AWAITING_REPLY: self.tr("Awaiting reply"),
            ComplaintQueue.CALLBACK: self.tr("Callbacks due"),
            ComplaintQueue.ALL: self.tr("All complaints"),
        }
        for queue, title in titles.items():
            widget = ComplaintQueueWidget(self._desk, ComplaintQuery(queue=queue))
            self.queue_widgets[queue] = widget
            self._titles[queue] = title
            self.tabs.addTab(widget, title)
        self.detail = ComplaintDetailWidget(self._desk)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([620, 420])
        state = user_settings().value(self._settings_key())
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        body = QHBoxLayout()
        body.addWidget(self.splitter)
        layout.addLayout(body, 1)

    def add_tools(self, toolbar: QToolBar) -> None:
        self.new_complaint_action = QAction(self.tr("Record a complaint…"), self)
        self.new_complaint_action.setObjectName("new_complaint")
        self.new_complaint_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_complaint_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        self.new_complaint_action.setToolTip(self.tr("Record a complaint from a call (Ctrl+N)"))
        self.addAction(self.new_complaint_action)
        toolbar.addAction(self.new_complaint_action)

    def _connect(self) -> None:
        self.new_complaint_action.triggered.connect(self._on_new_complaint_triggered)
        for queue, widget in self.queue_widgets.items():
            widget.sig_selected.connect(self._on_queue_selected)
            widget.sig_opened.connect(self._on_queue_opened)
            widget.sig_count_changed.connect(
                lambda count, q=queue: self._on_count_changed(q, count)
            )
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self.detail.sig_step_requested.connect(self.run_step)

    # ---- Public API

    def show_queue(self, queue: ComplaintQueue | str) -> ComplaintQueueWidget:
        widget = self.queue_widgets[ComplaintQueue(queue)]
        self.tabs.setCurrentWidget(widget)
        return widget

    def current_queue(self) -> ComplaintQueueWidget | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, ComplaintQueueWidget) else None

    def step_queue(self, step: int) -> None:
        count = self.tabs.count()
        if count:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def focus_filter(self) -> None:
        queue = self.current_queue()
        if queue is not None:
            queue.focus_filter()

    def open_case(self, case_id: CaseId) -> None:
        """A case clicked on the map: its (first) complaint in the detail, if it has one."""
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: complaints.complaints_of_case(s, case_id),
            success=self._on_case_complaints,
        ).run()

    def show_complaint(self, complaint_id: ComplaintId | None) -> None:
        self.detail.show_complaint(complaint_id)

    def phone_dialog(self) -> PhoneComplaintDialog:
        """The form the tool opens (not yet shown); the tests drive it."""
        dialog = PhoneComplaintDialog(self._desk, self, map_pane=self.map_pane)
        dialog.accepted.connect(lambda: self._on_complaint_recorded(dialog))
        return dialog

    def run_step(self, complaint: Complaint, step: ComplaintAction) -> ComplaintStepDialog:
        """Open the dialog of ``step`` on ``complaint``."""
        dialog = _DIALOGS[step](self._desk, complaint, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_done.connect(lambda _changes: self.detail.reload())
        dialog.open()
        return dialog

    # ---- Private slots

    def _on_case_complaints(self, found: list[Complaint]) -> None:
        if found:
            self.detail.show_complaint(found[0].id)

    @Slot()
    def _on_new_complaint_triggered(self) -> None:
        # Not modal: the operator may pick the place on the window's map meanwhile.
        self.phone_dialog().show()

    def _on_complaint_recorded(self, dialog: PhoneComplaintDialog) -> None:
        if dialog.created is None:
            return
        self.show_queue(ComplaintQueue.NEW if dialog.case_id is None else ComplaintQueue.ALL)
        self.detail.show_complaint(dialog.created)
        if dialog.case_id is not None:
            self.sig_case_shown.emit(dialog.case_id)

    @Slot(object)
    def _on_queue_selected(self, row: ComplaintRow | None) -> None:
        if self.sender() is not self.current_queue():
            return
        self.detail.show_complaint(row.id if row else None)
        if row is not None and row.case_id is not None:
            self.sig_case_shown.emit(row.case_id)

    @Slot(object)
    def _on_queue_opened(self, row: ComplaintRow) -> None:
        self.detail.show_complaint(row.id)
        enabled = [b for b in self.detail.step_buttons.values() if b.isEnabled()]
        if enabled:
            enabled[0].setFocus()

    def _on_count_changed(self, queue: ComplaintQueue, count: QueueCount) -> None:
        widget = self.queue_widgets[queue]
        title = self.tr("{title} ({n})").format(title=self._titles[queue], n=format_count(count))
        self.tabs.setTabText(self.tabs.indexOf(widget), title)

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        queue = self.current_queue()
        if queue is not None:
            row = queue.current()
            self.detail.show_complaint(row.id if row else None)

    @Slot()
    def _on_splitter_moved(self) -> None:
        user_settings().setValue(self._settings_key(), self.splitter.saveState())

    def _settings_key(self) -> str:
        return f"panels/{self._desk.actor.login}/{self.role.value}/splitter"
