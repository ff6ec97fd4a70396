"""The Open311 service codes in the admin's catalogue tab: which minor class a request
of each ``service_code`` is filed under (the intake's mapping, migration 0017), set or
removed through ``seatdesk_set_open311_service`` (admin only, audited, announced)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.domain.glossary import CaseType
from seatdesk.services import intake
from seatdesk.services.common import ChangeSet
from seatdesk.services.intake import ServiceMapping
from ui.desk import Desk
from ui.labels import format_time, label
from ui.tasks import MutationOp, QueryOp

CATALOGUE = ChangeSet(entities=frozenset({"catalogue"}))


class Open311View(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._stale = True
        self._mappings: list[ServiceMapping] = []
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Service code"), self.tr("Category"), self.tr("By"), self.tr("When")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        edit = QHBoxLayout()
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("Service code"))
        self.category_combo = QComboBox()
        self.category_combo.setEditable(True)  # type to search the classes
        for c in self._desk.reference.categories:
            self.category_combo.addItem(
                f"{label(c.case_type)} {c.code} {c.major_name}/{c.name}",
                f"{c.case_type.value}:{c.code}")
        self.map_button = QPushButton(self.tr("Map"))
        self.remove_button = QPushButton(self.tr("Remove mapping"))
        for w in (self.code_edit, self.category_combo, self.map_button, self.remove_button):
            edit.addWidget(w)
        layout.addLayout(edit)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)

    def _connect(self) -> None:
        self.table.itemSelectionChanged.connect(self._on_table_selection)
        self.map_button.clicked.connect(self._on_map_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self._desk.tasks.sig_data_changed.connect(self._on_data_changed)

    # ---- Public API

    def reload(self) -> None:
        QueryOp(self._desk.tasks, self, op=intake.service_mappings, success=self._on_loaded,
                failure=self._on_failed).run()

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    # ---- Private slots

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if changes.entities & {"catalogue", "reconnected"}:
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def _on_loaded(self, mappings: list[ServiceMapping]) -> None:
        self._mappings = mappings
        self.table.setRowCount(len(mappings))
        for i, m in enumerate(mappings):
            values = (m.service_code, f"{label(m.case_type)} {m.category_code} "
                      f"{m.category_name}", m.updated_by, format_time(m.updated_at))
            for col, value in enumerate(values):
                self.table.setItem(i, col, QTableWidgetItem(value))

    def _on_table_selection(self) -> None:
        i = self.table.currentRow()
        if 0 <= i < len(self._mappings):
            m = self._mappings[i]
            self.code_edit.setText(m.service_code)
            index = self.category_combo.findData(f"{m.case_type.value}:{m.category_code}")
            if index >= 0:
                self.category_combo.setCurrentIndex(index)

    def _on_map_clicked(self) -> None:
        data = self.category_combo.currentData()
        if data is None:
            return
        case_type, category = str(data).split(":")
        self._map(self.code_edit.text(), str(category), CaseType(case_type))

    def _on_remove_clicked(self) -> None:
        self._map(self.code_edit.text(), None, None)

    def _on_failed(self, error: BaseException) -> None:
        self.error_label.setText(str(error))

    # ---- Private

    def _map(self, code: str, category: str | None, case_type: CaseType | None) -> None:
        self.error_label.clear()

        def op(s: Session) -> ChangeSet:
            intake.map_service(s, code, category, case_type)
            return CATALOGUE

        MutationOp(self._desk.tasks, self, op=op, failure=self._on_failed).run()
