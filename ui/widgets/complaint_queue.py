"""One complaint queue of the monitor panel: a search field over a lazily paged table.
Its column widths and order are remembered per user and per queue.

It behaves as the case queues do (``ui.widgets.case_queue``): it re-reads itself when
``sig_data_changed`` says something changed — at once when visible, on showing when
hidden — and counts its complaints at most once a second however many notices arrive
(``sig_count_changed``). Ctrl+F focuses the search; there, Enter searches at once and
Down moves to the first row; in the table, Enter or a double click opens the complaint.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from seatdesk.services import complaint_queues
from seatdesk.services.common import ChangeSet
from seatdesk.services.complaint_queues import ComplaintQuery, ComplaintRow
from seatdesk.services.complaints import ComplaintId
from seatdesk.services.queues import QueueCount
from ui.desk import Desk
from ui.models.complaint_table_model import (
    COMPLAINT_ROW_ROLE,
    ComplaintColumn,
    ComplaintTableModel,
)
from ui.tasks import QueryOp
from ui.widgets.case_queue import (
    COUNT_DELAY_MS,
    REFRESH_DELAY_MS,
    format_count,
    user_settings,
)

DEFAULT_WIDTHS = {
    ComplaintColumn.NUMBER: 115,
    ComplaintColumn.STATE: 80,
    ComplaintColumn.REPLY_STATUS: 90,
    ComplaintColumn.TIME_LEFT: 85,
    ComplaintColumn.CONTENT: 240,
    ComplaintColumn.CHANNEL: 90,
    ComplaintColumn.RECEIVED: 125,
}


class ComplaintQueueWidget(QWidget):
    sig_selected = Signal(object)
    """The current row changed: the ``ComplaintRow``, or None."""

    sig_opened = Signal(object)
    """Enter or double click on a row: the ``ComplaintRow``."""

    sig_count_changed = Signal(object)
    """The queue was counted: a ``QueueCount``."""

    def __init__(self, desk: Desk, query: ComplaintQuery, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._name = query.queue.value
        self._stale = True
        self._selected: ComplaintId | None = None
        self._counting = False
        self._count_again = False
        self.count: QueueCount | None = None
        self.model = ComplaintTableModel(desk.tasks, query, self)
        self._refresh_timer = self._timer(REFRESH_DELAY_MS)
        self._text_timer = self._timer(300)
        self._count_timer = self._timer(COUNT_DELAY_MS)
        self._build_ui()
        self._connect()
        self.recount()

    def _timer(self, ms: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        return timer

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text_filter = QLineEdit()
        self.text_filter.setObjectName("text_filter")
        self.text_filter.setPlaceholderText(
            self.tr("Search number, platform reference, beginning of the content (Ctrl+F)")
        )
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.installEventFilter(self)
        layout.addWidget(self.text_filter)
        self.table = QTableView()
        self.table.setObjectName("complaint_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(True)
        for column, width in DEFAULT_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        state = user_settings().value(self._header_key())
        if isinstance(state, QByteArray):
            header.restoreState(state)  # the person's own widths and order
        layout.addWidget(self.table, 1)
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: gray;")
        layout.addWidget(self.status_label)

    def _connect(self) -> None:
        self.text_filter.textChanged.connect(self._text_timer.start)
        self.text_filter.returnPressed.connect(self._apply_text)
        self._text_timer.timeout.connect(self._apply_text)
        self._refresh_timer.timeout.connect(self.model.refresh)
        self._count_timer.timeout.connect(self._count)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.table.horizontalHeader().sectionResized.connect(self._save_header)
        self.table.horizontalHeader().sectionMoved.connect(self._save_header)
        self.model.sig_loaded.connect(self._on_loaded)
        self.model.sig_loading.connect(self._show_status)
        self._desk.tasks.sig_data_changed.connect(self._on_data_changed)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self._open_current)

    # ---- Public API

    def current(self) -> ComplaintRow | None:
        index = self.table.currentIndex()
        return self.model.complaint_at(index.row()) if index.isValid() else None

    def select(self, complaint_id: ComplaintId) -> bool:
        row = self.model.row_of(complaint_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def focus_filter(self) -> None:
        self.text_filter.setFocus()
        self.text_filter.selectAll()

    def reload(self) -> None:
        self._refresh_timer.start()

    def recount(self) -> None:
        if not self._count_timer.isActive():
            self._count_timer.start()

    # ---- Qt overrides

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.text_filter
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self.table.setFocus()
            first = self.model.complaint_at(0)
            if first is not None and not self.table.currentIndex().isValid():
                self.select(first.id)
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.model.refresh()

    # ---- Private slots

    @Slot()
    def _apply_text(self) -> None:
        self._text_timer.stop()
        text = self.text_filter.text().strip()
        if text != self.model.query().text:
            self.model.set_query(replace(self.model.query(), text=text))

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if not changes.case_ids and not changes.entities:
            return
        self.recount()
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self._stale = True

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.complaint_at(current.row()) if current.isValid() else None
        self._selected = row.id if row else None
        self.sig_selected.emit(row)

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        row = index.data(COMPLAINT_ROW_ROLE)
        if row is not None:
            self.sig_opened.emit(row)

    @Slot()
    def _open_current(self) -> None:
        row = self.current()
        if row is not None:
            self.sig_opened.emit(row)

    @Slot()
    def _on_loaded(self) -> None:
        if self._selected is not None and not self.select(self._selected):
            self._selected = None
        self._show_status(False)

    @Slot()
    def _count(self) -> None:
        if self._counting:
            self._count_again = True
            return
        self._counting = True
        self._count_again = False
        query = self.model.query()
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: complaint_queues.count_complaints(s, query),
            success=self._on_counted,
            failure=self._on_count_failed,
        ).run()

    def _on_counted(self, count: QueueCount) -> None:
        self._counting = False
        self.count = count
        self.sig_count_changed.emit(count)
        self._show_status(self.model.is_busy())
        if self._count_again:
            self.recount()

    def _on_count_failed(self, error: BaseException) -> None:
        self._counting = False
        self._desk.tasks.sig_error.emit(error)

    @Slot()
    def _save_header(self) -> None:
        user_settings().setValue(
            self._header_key(), self.table.horizontalHeader().saveState()
        )

    def _header_key(self) -> str:
        return f"complaint_queues/{self._desk.actor.login}/{self._name}/header"

    @Slot(bool)
    def _show_status(self, loading: bool) -> None:
        if self.model.query().text:
            text = self.tr("{n} found").format(n=self.model.rowCount())
        elif self.count is not None:
            text = self.tr("{n} complaints in all").format(n=format_count(self.count))
        else:
            text = self.tr("counting…")
        self.status_label.setText(text + (self.tr(" — loading…") if loading else ""))
