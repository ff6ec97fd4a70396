"""The shape every admin list shares: a filter line, a table of records, the buttons
that change the chosen one, a line for the last refusal, and the audit of changes.

A subclass says what it lists (``load``, ``cells``, ``key``), which entities of a
``ChangeSet`` make it read again (``RELOAD_ON``), and what its audit shows
(``load_audit``, ``audit_cells``). Rows are read off the GUI thread (``ui.tasks``); the
filter hides rows whose text does not hold every word typed, as the person types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.services.common import ChangeSet
from ui.desk import Desk
from ui.hooks import require_hooks
from ui.tasks import MutationOp, QueryOp

R = TypeVar("R")


class AdminListView(QWidget, Generic[R]):
    """A searchable list of records with its actions and its audit."""

    RELOAD_ON: ClassVar[frozenset[str]] = frozenset()

    sig_loaded = Signal()
    """The list was read again and shown."""
    sig_audit_loaded = Signal()
    """The audit below the list was read again and shown."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.rows: list[R] = []
        self._build_ui()
        self._connect()
        # The first read's rows (and the first update_buttons) arrive after the
        # subclass has added its buttons: through the task manager, never inline.
        self.reload()

    # ---- What a subclass says: every one, or the subclass is refused when defined
    # (ui.hooks; Shiboken's metaclass rules out abc).
    HOOKS: ClassVar[tuple[str, ...]] = (
        "headers", "load", "cells", "key", "audit_headers", "load_audit", "audit_cells")
    headers: Callable[[], list[str]]
    load: Callable[[Session], list[R]]
    cells: Callable[[R], list[str]]
    key: Callable[[R], str]
    audit_headers: Callable[[], list[str]]
    load_audit: Callable[[str | None], Callable[[Session], Sequence[Any]]]
    audit_cells: Callable[[Any], list[str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        require_hooks(cls, cls.HOOKS)

    def update_buttons(self, row: R | None) -> None:
        """Enable the actions that fit the chosen row."""

    # ---- Building

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.filter = QLineEdit()
        self.filter.setObjectName("filter")
        self.filter.setPlaceholderText(
            QCoreApplication.translate("AdminListView", "Search: any words of any column"))
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.button_bar = QHBoxLayout()
        layout.addLayout(self.button_bar)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = self._table(self.headers())
        self.table.setObjectName("records")
        split.addWidget(self.table)
        self.audit = self._table(self.audit_headers())
        self.audit.setObjectName("audit")
        split.addWidget(self.audit)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        # The last column takes the rest of the width, also for a list first filled
        # (its columns fitted to their contents) while its tab was hidden.
        table.horizontalHeader().setSectionResizeMode(len(headers) - 1,
                                                      QHeaderView.ResizeMode.Stretch)
        return table

    def add_button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        self.button_bar.addWidget(button)
        return button

    def _connect(self) -> None:
        self._desk.tasks.sig_data_changed.connect(self._on_tasks_data_changed)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)

    # ---- Public API

    def reload(self) -> None:
        QueryOp(self._desk.tasks, self, op=self.load, success=self._show).run()

    def current(self) -> R | None:
        index = self.table.currentRow()
        if index < 0 or self.table.isRowHidden(index):
            return None
        item = self.table.item(index, 0)
        key = item.text() if item is not None else None
        return next((r for r in self.rows if self.key(r) == key), None)

    def select(self, key: str) -> bool:
        """Choose the row of ``key``; False when it is not listed (or filtered out)."""
        for index, row in enumerate(self.rows):
            if self.key(row) == key and not self.table.isRowHidden(index):
                self.table.selectRow(index)
                return True
        return False

    def visible_keys(self) -> list[str]:
        return [self.key(r) for i, r in enumerate(self.rows) if not self.table.isRowHidden(i)]

    def run_dialog(self, dialog: QDialog) -> None:
        """Show a change dialog (it runs its own change); the list follows the change."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(True)
        dialog.open()

    def change(self, op: Callable[[Session], ChangeSet], done: str) -> None:
        """Run a change of the chosen record; say ``done`` or the refusal."""
        self.message.clear()
        MutationOp(self._desk.tasks, self, op=op,
                   success=lambda _c: self.message.setText(done),
                   failure=self._on_change_failed).run()

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        # Shown again (another tab was in front): what changed meanwhile shows now.
        if not event.spontaneous() and self.rows:
            self.reload()
        super().showEvent(event)

    # ---- Private slots

    def _show(self, rows: list[R]) -> None:
        chosen = self.current()
        self.rows = rows
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for column, value in enumerate(self.cells(row)):
                self.table.setItem(index, column, QTableWidgetItem(value))
        _fit_columns(self.table)
        self._apply_filter()
        if chosen is not None:
            # The same row chosen again emits nothing, yet its record (and so its
            # buttons and audit) may have changed: one update below, in either case.
            self.table.blockSignals(True)
            self.select(self.key(chosen))
            self.table.blockSignals(False)
        self._on_table_selection_changed()
        self.sig_loaded.emit()

    def _apply_filter(self) -> None:
        words = self.filter.text().casefold().split()
        for index, row in enumerate(self.rows):
            text = " ".join(self.cells(row)).casefold()
            self.table.setRowHidden(index, not all(w in text for w in words))

    def _on_change_failed(self, error: BaseException) -> None:
        self.message.setText(str(error))

    @Slot(str)
    def _on_filter_text_changed(self, _text: str) -> None:
        self._apply_filter()

    @Slot()
    def _on_table_selection_changed(self) -> None:
        row = self.current()
        self.update_buttons(row)
        QueryOp(self._desk.tasks, self, op=self.load_audit(self.key(row) if row else None),
                success=self._show_audit).run()

    def _show_audit(self, events: Sequence[Any]) -> None:
        self.audit.setRowCount(len(events))
        for index, event in enumerate(events):
            for column, value in enumerate(self.audit_cells(event)):
                self.audit.setItem(index, column, QTableWidgetItem(value))
        _fit_columns(self.audit)
        self.sig_audit_loaded.emit()

    @Slot(object, object)
    def _on_tasks_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if changes.entities & self.RELOAD_ON:
            self.reload()


def _fit_columns(table: QTableWidget) -> None:
    """Every column but the last to its contents; the last keeps stretching (fitting
    it too, while its tab was hidden, left it at its text's width for good)."""
    for column in range(table.columnCount() - 1):
        table.resizeColumnToContents(column)
