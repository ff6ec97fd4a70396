"""A queue of cases as a Qt table: a thin adapter over ``seatdesk.services.queues``.

Rows arrive a keyset page at a time: the view asks ``canFetchMore``/``fetchMore`` when
it scrolls near the end, and the page is read on a worker thread (``ui.tasks``), so a
queue of a million cases opens with one page. ``refresh()`` re-reads as many rows as are
loaded, in one query, when the data changed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from seatdesk.domain.glossary import DeadlineStatus
from seatdesk.services import queues
from seatdesk.services.common import CaseId
from seatdesk.services.queues import PAGE_SIZE, CaseRow, Page, QueueQuery, SortKey
from ui.labels import format_time, format_time_left, label
from ui.tasks import QueryOp, TaskManager

Index = QModelIndex | QPersistentModelIndex

#: The data role that carries the row's ``CaseRow``.
CASE_ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    NUMBER = 0
    STATE = 1
    DEADLINE_STATUS = 2
    TIME_LEFT = 3
    CATEGORY = 4
    ADDRESS = 5
    GRID = 6
    DEPARTMENT = 7
    SOURCE = 8


#: The service's sort key behind a column; a column without one is not sortable.
SORT_KEYS: dict[Column, SortKey] = {
    Column.NUMBER: SortKey.NUMBER,
    Column.STATE: SortKey.STATE,
    Column.DEADLINE_STATUS: SortKey.URGENT,
    Column.TIME_LEFT: SortKey.DEADLINE,
    Column.ADDRESS: SortKey.ADDRESS,
    Column.GRID: SortKey.GRID,
    Column.DEPARTMENT: SortKey.DEPARTMENT,
    Column.SOURCE: SortKey.SOURCE,
}

_LIGHTS = {
    DeadlineStatus.WARNING: (QColor("#ffe082"), QColor("#5d4200")),
    DeadlineStatus.OVERDUE: (QColor("#e53935"), QColor("#ffffff")),
}


class CaseTableModel(QAbstractTableModel):
    """One role queue; filters and sort come in as a ``QueueQuery``."""

    sig_loading = Signal(bool)
    """A page or a refresh is being read (True) or has arrived (False)."""

    sig_loaded = Signal()
    """Rows arrived (first page, next page or refresh)."""

    def __init__(
        self, tasks: TaskManager, query: QueueQuery, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._query = replace(query, after=None)
        self._rows: list[CaseRow] = []
        self._next: queues.Cursor | None = None
        self._loaded_once = False
        self._busy = False
        self._generation = 0  # a reply to an older query is dropped
        #: Rows received from the database, and how many reads brought them.
        self.rows_fetched = 0
        self.reads = 0
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)  # time left is shown to the minute
        self._clock.timeout.connect(self._on_clock_timeout)
        self._clock.start()

    # ---- Public API

    def query(self) -> QueueQuery:
        return self._query

    def set_query(self, query: QueueQuery) -> None:
        """Show another filter or sort: starts over at the first page."""
        self._query = replace(query, after=None)
        self._generation += 1
        self._busy = False
        self.beginResetModel()
        self._rows = []
        self._next = None
        self._loaded_once = False
        self.endResetModel()
        self._read(None, PAGE_SIZE, mode="first")

    def set_query_silently(self, query: QueueQuery) -> None:
        """Set the query before the first read (restored filters), without reading."""
        self._query = replace(query, after=None)

    def refresh(self) -> None:
        """Re-read the loaded rows (at least one page) after a change."""
        if not self._loaded_once:
            if not self._busy:
                self._read(None, PAGE_SIZE, mode="first")
            return
        self._generation += 1
        self._read(None, max(len(self._rows), PAGE_SIZE), mode="refresh")

    def case_at(self, row: int) -> CaseRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: CaseId) -> int:
        for i, r in enumerate(self._rows):
            if r.id == case_id:
                return i
        return -1

    def row_of_number(self, number: str) -> int:
        for i, r in enumerate(self._rows):
            if r.number == number:
                return i
        return -1

    def is_busy(self) -> bool:
        return self._busy

    def has_more(self) -> bool:
        return self._next is not None

    # ---- Qt overrides

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(Column):
            return None
        return self._header(Column(section))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == CASE_ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (Column.DEADLINE_STATUS, Column.TIME_LEFT) and row.stage_deadline:
                return self.tr("Deadline: {when}").format(when=format_time(row.stage_deadline))
            if column == Column.ADDRESS:
                return row.address
            return None
        if column == Column.DEADLINE_STATUS and row.deadline_status in _LIGHTS:
            background, foreground = _LIGHTS[row.deadline_status]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(background)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(foreground)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.TIME_LEFT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and self._next is not None and not self._busy

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self._read(self._next, PAGE_SIZE, mode="more")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(Column(column)) if 0 <= column < len(Column) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort and descending == self._query.descending:
            return
        self.set_query(replace(self._query, sort=key, descending=descending))

    # ---- Private

    def _read(self, after: queues.Cursor | None, limit: int, *, mode: str) -> None:
        self._busy = True
        self.sig_loading.emit(True)
        query = replace(self._query, after=after, limit=limit)
        generation = self._generation
        QueryOp(
            self._tasks,
            self,
            op=lambda s: queues.queue(s, query),
            success=lambda page: self._on_page(page, generation, mode),
            failure=lambda error: self._on_failed(error, generation),
        ).run()

    def _on_page(self, page: Page, generation: int, mode: str) -> None:
        if generation != self._generation:
            return  # a newer query or refresh is on its way
        self._busy = False
        self.reads += 1
        self.rows_fetched += len(page.rows)
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
            # The same cases in the same order: repaint them, keep selection and scroll.
            self._rows = list(page.rows)
            self._next = page.next
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1)
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
        # The task manager already reported a lost connection; other errors are shown
        # in the one default place.
        self._tasks.sig_error.emit(error)

    def _on_clock_timeout(self) -> None:
        if self._rows:
            top = self.index(0, Column.TIME_LEFT)
            bottom = self.index(len(self._rows) - 1, Column.TIME_LEFT)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def _display(self, row: CaseRow, column: Column) -> str:
        if column == Column.NUMBER:
            return row.number
        if column == Column.STATE:
            return label(row.state)
        if column == Column.DEADLINE_STATUS:
            return self._status_text(row.deadline_status)
        if column == Column.TIME_LEFT:
            return format_time_left(row.stage_deadline, datetime.now(UTC))
        if column == Column.CATEGORY:
            return f"{row.category_code} {row.category_name}"
        if column == Column.ADDRESS:
            return row.address
        if column == Column.GRID:
            return row.grid_code or ""
        if column == Column.DEPARTMENT:
            return row.department_name or row.department or ""
        return label(row.source)

    def _status_text(self, status: DeadlineStatus) -> str:
        return {
            DeadlineStatus.NORMAL: self.tr("Normal"),
            DeadlineStatus.WARNING: self.tr("Near deadline"),
            DeadlineStatus.OVERDUE: self.tr("Overdue"),
        }[status]

    def _header(self, column: Column) -> str:
        return {
            Column.NUMBER: self.tr("Number"),
            Column.STATE: self.tr("State"),
            Column.DEADLINE_STATUS: self.tr("Deadline"),
            Column.TIME_LEFT: self.tr("Time left"),
            Column.CATEGORY: self.tr("Category"),
            Column.ADDRESS: self.tr("Address"),
            Column.GRID: self.tr("Grid"),
            Column.DEPARTMENT: self.tr("Department"),
            Column.SOURCE: self.tr("Source"),
        }[column]
