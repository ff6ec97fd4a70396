"""A queue of complaints as a Qt table: a thin adapter over
``seatdesk.services.complaint_queues``, paged by keyset as the case queues are (the
view asks ``fetchMore`` near the end; each page is read on a worker thread). The
reply-deadline column is lit red and yellow with the case queues' colours."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush

from seatdesk.domain.glossary import DeadlineStatus
from seatdesk.services import complaint_queues
from seatdesk.services.complaint_queues import (
    ComplaintCursor,
    ComplaintPage,
    ComplaintQuery,
    ComplaintRow,
)
from seatdesk.services.complaints import ComplaintId
from seatdesk.services.queues import PAGE_SIZE
from ui.labels import format_time, format_time_left, label
from ui.models.case_table_model import _LIGHTS
from ui.tasks import QueryOp, TaskManager

Index = QModelIndex | QPersistentModelIndex

#: The data role that carries the row's ``ComplaintRow``.
COMPLAINT_ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class ComplaintColumn(IntEnum):
    NUMBER = 0
    STATE = 1
    REPLY_STATUS = 2
    TIME_LEFT = 3
    CONTENT = 4
    CHANNEL = 5
    RECEIVED = 6
    CASE = 7


class ComplaintTableModel(QAbstractTableModel):
    sig_loading = Signal(bool)
    sig_loaded = Signal()

    def __init__(
        self, tasks: TaskManager, query: ComplaintQuery, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._query = replace(query, after=None)
        self._rows: list[ComplaintRow] = []
        self._next: ComplaintCursor | None = None
        self._busy = False
        self._loaded_once = False
        self._generation = 0
        self.reads = 0

    # ---- Public API

    def query(self) -> ComplaintQuery:
        return self._query

    def set_query(self, query: ComplaintQuery) -> None:
        self._query = replace(query, after=None)
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._next = None
        self._loaded_once = False
        self.endResetModel()
        self._read(None, PAGE_SIZE, mode="first")

    def refresh(self) -> None:
        """Re-read the loaded rows (at least one page) after a change."""
        self._generation += 1
        self._read(None, max(len(self._rows), PAGE_SIZE), mode="refresh")

    def complaint_at(self, row: int) -> ComplaintRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, complaint_id: ComplaintId) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == complaint_id), -1)

    def row_of_number(self, number: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.number == number), -1)

    def is_busy(self) -> bool:
        return self._busy

    def has_more(self) -> bool:
        return self._next is not None

    # ---- Qt overrides

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(ComplaintColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(ComplaintColumn):
            return None
        return {
            ComplaintColumn.NUMBER: self.tr("Number"),
            ComplaintColumn.STATE: self.tr("State"),
            ComplaintColumn.REPLY_STATUS: self.tr("Reply deadline"),
            ComplaintColumn.TIME_LEFT: self.tr("Time left"),
            ComplaintColumn.CHANNEL: self.tr("Channel"),
            ComplaintColumn.RECEIVED: self.tr("Received"),
            ComplaintColumn.CONTENT: self.tr("Content"),
            ComplaintColumn.CASE: self.tr("Case"),
        }[ComplaintColumn(section)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = ComplaintColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == COMPLAINT_ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (ComplaintColumn.REPLY_STATUS, ComplaintColumn.TIME_LEFT):
                return self.tr("Reply due: {when}").format(when=format_time(row.reply_due))
            if column == ComplaintColumn.CONTENT:
                return row.content
            return None
        if column == ComplaintColumn.REPLY_STATUS and row.reply_status in _LIGHTS:
            background, foreground = _LIGHTS[row.reply_status]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(background)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(foreground)
        return None

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and self._next is not None and not self._busy

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self._read(self._next, PAGE_SIZE, mode="more")

    # ---- Private

    def _read(self, after: ComplaintCursor | None, limit: int, *, mode: str) -> None:
        self._busy = True
        self.sig_loading.emit(True)
        query = replace(self._query, after=after, limit=limit)
        generation = self._generation
        QueryOp(
            self._tasks,
            self,
            op=lambda s: complaint_queues.complaint_queue(s, query),
            success=lambda page: self._on_page(page, generation, mode),
            failure=lambda error: self._on_failed(error, generation),
        ).run()

    def _on_page(self, page: ComplaintPage, generation: int, mode: str) -> None:
        if generation != self._generation:
            return
        self._busy = False
        self.reads += 1
        if mode == "more":
            if page.rows:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
                self._rows.extend(page.rows)
                self._next = page.next
                self.endInsertRows()
            else:
                self._next = None
        elif mode == "refresh" and [r.id for r in page.rows] == [r.id for r in self._rows]:
            self._rows = list(page.rows)
            self._next = page.next
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._rows) - 1, len(ComplaintColumn) - 1)
                )
        else:
            self.beginResetModel()
            self._rows = list(page.rows)
            self._next = page.next
            self.endResetModel()
        self._loaded_once = True
        self.sig_loading.emit(False)
        self.sig_loaded.emit()

    def _on_failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self._busy = False
            self.sig_loading.emit(False)
        self._tasks.sig_error.emit(error)

    def _display(self, row: ComplaintRow, column: ComplaintColumn) -> str:
        if column == ComplaintColumn.NUMBER:
            return row.number
        if column == ComplaintColumn.STATE:
            return label(row.state)
        if column == ComplaintColumn.REPLY_STATUS:
            return status_text(row.reply_status)
        if column == ComplaintColumn.TIME_LEFT:
            if row.reply_status is None:
                return ""
            return format_time_left(row.reply_due, datetime.now(UTC))
        if column == ComplaintColumn.CHANNEL:
            return label(row.channel)
        if column == ComplaintColumn.RECEIVED:
            return format_time(row.received_at)
        if column == ComplaintColumn.CONTENT:
            return " ".join(row.content.split())
        if row.case_number:
            return row.case_number
        return row.forwarded_agency or ""


def status_text(status: DeadlineStatus | None) -> str:
    """A reply-deadline light in words (empty once replied)."""
    if status is None:
        return ""
    return {
        DeadlineStatus.NORMAL: QCoreApplication.translate("ReplyStatus", "Normal"),
        DeadlineStatus.WARNING: QCoreApplication.translate("ReplyStatus", "Near deadline"),
        DeadlineStatus.OVERDUE: QCoreApplication.translate("ReplyStatus", "Overdue"),
    }[status]
