"""The case queue every panel uses: a filter bar over a lazily paged table.

Column widths, order and sort, and the filter choices are remembered per user and per
queue (QSettings); the free text is not (a search left over from yesterday would hide
today's work). Choices are stored by value — the state, the category's type and code,
the department's code — never by their place in a list, so a new department or
category cannot shift a saved filter onto another. Any active filter shows in a
coloured strip above the table with one button that clears them all.

The queue re-reads itself when ``sig_data_changed`` says cases changed — at once when
visible, on showing when hidden — and counts its cases (``sig_count_changed``) at most
once every ``COUNT_DELAY_MS`` however many notices arrive. Its category and department
filters follow the desk's reference data when an administrator changes it. Ctrl+F (the
main window's shortcut) focuses the free-text filter; there, Enter searches at once and
Down moves to the first row; in the table, Enter or a double click opens the case.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.glossary import DeadlineStatus, Source, State
from seatdesk.services import queues
from seatdesk.services.catalogue import CategoryInfo
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.queues import CaseRow, QueueCount, QueueQuery, queue_states
from seatdesk.terms import approximate_count, join
from ui.desk import Desk
from ui.labels import label
from ui.models.case_table_model import CASE_ROW_ROLE, SORT_KEYS, CaseTableModel, Column
from ui.reference import ReferenceData
from ui.tasks import QueryOp

#: Column widths before the person sets their own (then remembered per user).
DEFAULT_WIDTHS = {
    Column.NUMBER: 110,
    Column.STATE: 90,
    Column.DEADLINE_STATUS: 100,
    Column.TIME_LEFT: 100,
    Column.CATEGORY: 140,
    Column.ADDRESS: 260,
    Column.GRID: 140,
    Column.DEPARTMENT: 130,
}

#: Coalesces bursts of notifications into one re-read.
REFRESH_DELAY_MS = 150
#: Coalesces notices into one count of the queue (a count reads more than a page).
COUNT_DELAY_MS = 1000
#: The strip that says a filter is on.
FILTER_STRIP_STYLE = "QFrame#filter_strip { background: #fff3c4; border: 1px solid #e0b800; }"


def user_settings() -> QSettings:
    """The per-user settings file (an INI file, so tests can point it elsewhere)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "seatdesk", "seatdesk"
    )


class CaseQueueWidget(QWidget):
    """A filter bar and a table of one queue."""

    sig_case_selected = Signal(object)
    """The current row changed: the ``CaseRow``, or None when nothing is selected."""

    sig_case_opened = Signal(object)
    """Enter or double click on a row: the ``CaseRow``."""

    sig_count_changed = Signal(object)
    """The queue was counted: a ``QueueCount`` (its filters, free text aside)."""

    def __init__(
        self, desk: Desk, name: str, query: QueueQuery, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._name = name
        self._base = query
        self._stale = True
        self._selected: CaseId | None = None
        self._scroll = 0
        self.model = CaseTableModel(desk.tasks, query, self)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(300)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._counting = False
        self._count_again = False
        self._select_first_on_load = False
        self.count: QueueCount | None = None
        self._build_ui()
        self._restore()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.text_filter = QLineEdit()
        self.text_filter.setObjectName("text_filter")
        self.text_filter.setPlaceholderText(
            self.tr("Search number, phone, reporter, address (Ctrl+F)")
        )
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.installEventFilter(self)
        self.state_filter = self._combo(
            self.tr("All states"),
            [(label(s), s) for s in sorted(queue_states(self._base), key=list(State).index)],
        )
        self.category_filter = self._combo(
            self.tr("All categories"),
            [(f"{c.code} {c.name}", c.id) for c in self._desk.reference.categories],
        )
        self.category_filter.setEditable(True)
        self.category_filter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.category_filter.completer()
        if completer is not None:  # an editable combo box always has one
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.grid_filter = QLineEdit()
        self.grid_filter.setPlaceholderText(self.tr("Grid code"))
        self.grid_filter.setMaximumWidth(150)
        self.department_filter = self._combo(
            self.tr("All departments"),
            [(d.name, d.code) for d in self._desk.reference.departments],
        )
        self.source_filter = self._combo(self.tr("All sources"), [(label(s), s) for s in Source])
        self.status_filter = self._combo(
            self.tr("Any deadline"),
            [
                (self.tr("Normal"), DeadlineStatus.NORMAL),
                (self.tr("Near deadline"), DeadlineStatus.WARNING),
                (self.tr("Overdue"), DeadlineStatus.OVERDUE),
            ],
        )
        bar.addWidget(self.text_filter, 3)
        for widget in (
            self.state_filter,
            self.category_filter,
            self.grid_filter,
            self.department_filter,
            self.source_filter,
            self.status_filter,
        ):
            bar.addWidget(widget, 1)
        layout.addLayout(bar)
        self.filter_strip = QFrame()
        self.filter_strip.setObjectName("filter_strip")
        self.filter_strip.setStyleSheet(FILTER_STRIP_STYLE)
        strip = QHBoxLayout(self.filter_strip)
        strip.setContentsMargins(6, 2, 6, 2)
        self.filter_summary = QLabel()
        self.filter_summary.setObjectName("filter_summary")
        self.clear_filters_button = QPushButton(self.tr("Clear filters"))
        self.clear_filters_button.setObjectName("clear_filters")
        strip.addWidget(self.filter_summary, 1)
        strip.addWidget(self.clear_filters_button)
        self.filter_strip.hide()
        layout.addWidget(self.filter_strip)
        self.table = QTableView()
        self.table.setObjectName("queue_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in DEFAULT_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        sort_column = next(c for c, k in SORT_KEYS.items() if k == self._base.sort)
        order = (
            Qt.SortOrder.DescendingOrder if self._base.descending else Qt.SortOrder.AscendingOrder
        )
        header.setSortIndicator(sort_column, order)
        layout.addWidget(self.table, 1)
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: gray;")
        layout.addWidget(self.status_label)

    def _combo(self, everything: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox()
        # Sized by a few characters, not by the longest department name: the filter bar
        # must leave the map room at 1280 px (the open list still shows whole names).
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(5)
        combo.addItem(everything, None)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    def _connect(self) -> None:
        self.text_filter.textChanged.connect(self._text_timer.start)
        self.text_filter.returnPressed.connect(self._on_text_filter_return_pressed)
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self._count_timer.timeout.connect(self._count)
        self._text_timer.timeout.connect(self._apply_filters)
        self.grid_filter.editingFinished.connect(self._apply_filters)
        for combo in (
            self.state_filter,
            self.category_filter,
            self.department_filter,
            self.source_filter,
            self.status_filter,
        ):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.horizontalHeader().sectionResized.connect(self._save_header)
        self.table.horizontalHeader().sectionMoved.connect(self._save_header)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_changed)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.sig_loaded.connect(self._on_model_loaded)
        self.model.sig_loading.connect(self._on_model_loading)
        self._refresh_timer.timeout.connect(self.model.refresh)
        self._desk.tasks.sig_data_changed.connect(self._on_data_changed)
        self._desk.reference_store.sig_changed.connect(self._on_reference_changed)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self._open_current)

    # ---- Public API

    def clear_filters(self) -> None:
        """Every filter back to "all" and no free text: the whole queue."""
        widgets: list[QObject] = [self.text_filter, self.grid_filter, *self._combos().values()]
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.text_filter.clear()
            self.grid_filter.clear()
            for combo in self._combos().values():
                combo.setCurrentIndex(0)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._text_timer.stop()
        self._apply_filters()

    def active_filters(self) -> list[str]:
        """The filters in force, as the strip names them ("Category 0102 …")."""
        parts: list[str] = []
        names = {
            "state": self.tr("State"),
            "category": self.tr("Category"),
            "department": self.tr("Department"),
            "source": self.tr("Source"),
            "deadline_status": self.tr("Deadline"),
        }
        for name, combo in self._combos().items():
            if combo.currentIndex() > 0:
                parts.append(f"{names[name]} {combo.currentText()}")
        if self.grid_filter.text().strip():
            parts.append(self.tr("Grid {code}").format(code=self.grid_filter.text().strip()))
        if self.text_filter.text().strip():
            parts.append(self.tr("Search “{text}”").format(text=self.text_filter.text().strip()))
        return parts

    def recount(self) -> None:
        """Count the queue soon (coalesced with other requests)."""
        if not self._count_timer.isActive():
            self._count_timer.start()

    def focus_filter(self) -> None:
        self.text_filter.setFocus()
        self.text_filter.selectAll()

    def current_case(self) -> CaseRow | None:
        index = self.table.currentIndex()
        return self.model.case_at(index.row()) if index.isValid() else None

    def select_case(self, case_id: CaseId) -> bool:
        """Select the case's row if it is loaded; True when it was."""
        row = self.model.row_of(case_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def reload(self) -> None:
        self._refresh_timer.start()

    # ---- Qt overrides

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.text_filter
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self._focus_first_row()
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.model.refresh()

    # ---- Private slots

    @Slot()
    def _apply_filters(self) -> None:
        current = self.model.query()
        query = replace(
            self._filtered_query(), sort=current.sort, descending=current.descending
        )
        if query != self.model.query():
            self.model.set_query(query)
            self.recount()
        self._save_filters()
        self._show_filter_strip()

    @Slot(int, Qt.SortOrder)
    def _on_sort_changed(self, column: int, _order: Qt.SortOrder) -> None:
        if 0 <= column < len(Column) and Column(column) not in SORT_KEYS:
            # The queues cannot be sorted by this column (no keyset key): put the
            # indicator back where the rows really are sorted.
            query = self.model.query()
            current = next(c for c, k in SORT_KEYS.items() if k == query.sort)
            order = Qt.SortOrder.AscendingOrder
            if query.descending:
                order = Qt.SortOrder.DescendingOrder
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(current, order)
            header.blockSignals(False)
        self._save_header()

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if not changes.case_ids and not changes.entities:
            return
        self.recount()
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self._stale = True

    @Slot(object)
    def _on_reference_changed(self, reference: ReferenceData) -> None:
        _refill(self.category_filter,
                [(f"{c.code} {c.name}", c.id) for c in reference.categories])
        _refill(self.department_filter, [(d.name, d.code) for d in reference.departments])
        self._apply_filters()  # a filter on a retired department falls back to all

    @Slot(QModelIndex, QModelIndex)
    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.case_at(current.row()) if current.isValid() else None
        self._selected = row.id if row else None
        self.sig_case_selected.emit(row)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        row = index.data(CASE_ROW_ROLE)
        if row is not None:
            self.sig_case_opened.emit(row)

    @Slot()
    def _on_text_filter_return_pressed(self) -> None:
        self._text_timer.stop()
        self._apply_filters()

    def _focus_first_row(self) -> None:
        self._text_timer.stop()
        self._apply_filters()
        self.table.setFocus()
        if self.model.is_busy():
            self._select_first_on_load = True  # the search's rows are on their way
        else:
            self._select_first_row()

    def _select_first_row(self) -> None:
        self._select_first_on_load = False
        first = self.model.case_at(0)
        if first is not None and not self.table.currentIndex().isValid():
            self.select_case(first.id)

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
            op=lambda s: queues.count(s, query),
            success=self._on_counted,
            failure=self._on_count_failed,
        ).run()

    def _on_counted(self, count: QueueCount) -> None:
        self._counting = False
        self.count = count
        self.sig_count_changed.emit(count)
        self._on_model_loading(self.model.is_busy())
        if self._count_again:
            self.recount()

    def _on_count_failed(self, error: BaseException) -> None:
        self._counting = False
        self._desk.tasks.sig_error.emit(error)

    def _show_filter_strip(self) -> None:
        parts = self.active_filters()
        self.filter_strip.setVisible(bool(parts))
        self.filter_summary.setText(self.tr("Filtered: {filters}").format(filters=join(parts)))

    @Slot()
    def _open_current(self) -> None:
        row = self.current_case()
        if row is not None:
            self.sig_case_opened.emit(row)

    @Slot()
    def _remember_selection(self) -> None:
        self._scroll = self.table.verticalScrollBar().value()

    @Slot()
    def _on_model_loaded(self) -> None:
        # A reset forgets the selection: find the same case again, at the same scroll.
        # A case that left the queue (the person just acted on it) stays in the detail,
        # which shows its new state, until another row is chosen.
        if self._selected is not None and not self.select_case(self._selected):
            self._selected = None
        self.table.verticalScrollBar().setValue(self._scroll)
        if self._select_first_on_load:
            self._select_first_row()
        self._on_model_loading(False)

    @Slot(bool)
    def _on_model_loading(self, loading: bool) -> None:
        if self.model.query().text:
            shown = self.model.rowCount()
            if self.model.has_more():
                text = self.tr("{n} found so far, more as you scroll").format(n=shown)
            else:
                text = self.tr("{n} found").format(n=shown)
        elif self.count is not None:
            text = self.tr("{n} cases in all").format(n=format_count(self.count))
        else:
            text = self.tr("counting…")
        self.status_label.setText(text + (self.tr(" — loading…") if loading else ""))

    # ---- Settings

    def _key(self, what: str) -> str:
        return f"queues/{self._desk.actor.login}/{self._name}/{what}"

    @Slot()
    def _save_header(self) -> None:
        user_settings().setValue(self._key("header"), self.table.horizontalHeader().saveState())

    def _save_filters(self) -> None:
        settings = user_settings()
        settings.remove(self._key("text"))  # never remembered (older versions did)
        settings.setValue(self._key("grid"), self.grid_filter.text())
        for name, combo in self._combos().items():
            settings.setValue(self._key(name), self._stored_value(name, combo.currentData()))

    def _stored_value(self, name: str, data: Any) -> str:
        """A choice as it is stored: its value (a category by type and code)."""
        if data is None:
            return ""
        if name == "category":
            info = self._category_by_id().get(int(data))
            return f"{info.case_type.value}:{info.code}" if info else ""
        return str(data)

    def _data_of(self, name: str, stored: str) -> Any:
        """The combo box data of a stored choice, or None when it no longer exists."""
        if not stored:
            return None
        if name == "category":
            for info in self._desk.reference.categories:
                if f"{info.case_type.value}:{info.code}" == stored:
                    return info.id
            return None
        return stored

    def _category_by_id(self) -> dict[int, CategoryInfo]:
        return {c.id: c for c in self._desk.reference.categories}

    def _restore(self) -> None:
        settings = user_settings()
        state = settings.value(self._key("header"))
        if isinstance(state, QByteArray):
            header = self.table.horizontalHeader()
            header.restoreState(state)
            column = header.sortIndicatorSection()
            key = SORT_KEYS.get(Column(column)) if 0 <= column < len(Column) else None
            if key is not None:
                descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
                self._base = replace(self._base, sort=key, descending=descending)
        settings.remove(self._key("text"))
        self.grid_filter.setText(str(settings.value(self._key("grid"), "") or ""))
        for name, combo in self._combos().items():
            data = self._data_of(name, str(settings.value(self._key(name), "") or ""))
            index = combo.findData(data) if data is not None else 0
            combo.setCurrentIndex(max(index, 0))
        self.model.set_query_silently(self._filtered_query())
        self._show_filter_strip()
        self.recount()

    def _filtered_query(self) -> QueueQuery:
        # Qt hands StrEnum item data back as plain str: make each the enum again.
        state = self.state_filter.currentData()
        source = self.source_filter.currentData()
        status = self.status_filter.currentData()
        return replace(
            self._base,
            states=frozenset({State(state)}) if state is not None else self._base.states,
            category_id=self.category_filter.currentData(),
            grid_code=self.grid_filter.text().strip() or None,
            department=self.department_filter.currentData(),
            source=Source(source) if source is not None else None,
            deadline_status=DeadlineStatus(status) if status is not None else None,
            text=self.text_filter.text().strip(),
        )

    def _combos(self) -> dict[str, QComboBox]:
        return {
            "state": self.state_filter,
            "category": self.category_filter,
            "department": self.department_filter,
            "source": self.source_filter,
            "deadline_status": self.status_filter,
        }


def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
    """New items after the first ("all ..."), keeping the chosen value when it remains."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    try:
        while combo.count() > 1:
            combo.removeItem(combo.count() - 1)
        for text, value in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
    finally:
        combo.blockSignals(False)


def format_count(count: QueueCount) -> str:
    """A count as a seat reads it: exact, or about so many for an estimate (the words
    are the core's, as the exports and the CLI say them)."""
    return str(count.n) if count.exact else approximate_count(count.n)
