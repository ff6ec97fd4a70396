"""The admin's catalogue tab: the major and minor classes and their filing conditions
(立案条件), searchable, added, edited and deactivated through the database's functions;
the city's standard sheet (preview, then apply; export); the Open311 service codes."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.domain.glossary import CaseType, TimeUnit
from seatdesk.domain.limits import format_limit
from seatdesk.services import catalogue, rules
from seatdesk.services.catalogue import FilingConditionInfo
from seatdesk.services.common import ChangeSet
from seatdesk.services.rules import ClassRow
from ui.desk import Desk
from ui.labels import label
from ui.tasks import MutationOp, QueryOp
from ui.widgets.admin_open311 import Open311View
from ui.widgets.admin_rules_audit import RulesAuditBox
from ui.widgets.admin_standard_sheet import StandardSheetView

ROLE_CLASS = Qt.ItemDataRole.UserRole
T = TypeVar("T")


class AdminCatalogueWidget(QWidget):
    """The three parts of the catalogue as tabs."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.classes = ClassesView(desk)
        self.standard = StandardSheetView(desk)
        self.open311 = Open311View(desk)
        self.tabs.addTab(self.classes, self.tr("Classes and filing conditions"))
        self.tabs.addTab(self.standard, self.tr("Standard sheet"))
        self.tabs.addTab(self.open311, self.tr("Open311 service codes"))
        self.audit = RulesAuditBox(desk, ("categories", "filing_conditions", "open311_services"),
                                   frozenset({"catalogue", "standards"}))
        self.tabs.addTab(self.audit, self.tr("Changes"))
        QVBoxLayout(self).addWidget(self.tabs)


class ClassesView(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._stale = True
        self._conditions: list[FilingConditionInfo] = []
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.type_combo = QComboBox()
        for case_type in CaseType:
            self.type_combo.addItem(label(case_type), case_type.value)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search code or name"))
        self.search_edit.setClearButtonEnabled(True)
        top.addWidget(self.type_combo)
        top.addWidget(self.search_edit, 1)
        layout.addLayout(top)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)

        split = QSplitter()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Code"), self.tr("Name"), self.tr("Conditions")])
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        split.addWidget(self.tree)
        right = QWidget()
        side = QVBoxLayout(right)
        class_box = QGroupBox(self.tr("Class"))
        # One line: the room below goes to the class's filing conditions.
        form = QHBoxLayout(class_box)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("01 for a major class, 0101 for a minor"))
        self.name_edit = QLineEdit()
        self.active_check = QCheckBox(self.tr("Active"))
        self.active_check.setChecked(True)
        self.save_class_button = QPushButton(self.tr("Save class"))
        form.addWidget(QLabel(self.tr("Code")))
        form.addWidget(self.code_edit, 1)
        form.addWidget(QLabel(self.tr("Name")))
        form.addWidget(self.name_edit, 2)
        form.addWidget(self.active_check)
        form.addWidget(self.save_class_button)
        side.addWidget(class_box)

        cond_box = QGroupBox(self.tr("Filing conditions of the minor class"))
        cond = QVBoxLayout(cond_box)
        self.conditions_table = QTableWidget(0, 5)
        self.conditions_table.setHorizontalHeaderLabels(
            [self.tr("No."), self.tr("Filing condition"), self.tr("Limit"),
             self.tr("Department"), self.tr("Closing condition")])
        self.conditions_table.verticalHeader().hide()
        self.conditions_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.conditions_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.conditions_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.conditions_table.horizontalHeader()
        for col in (0, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for col in (1, 4):  # the conditions' words take the width there is
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        cond.addWidget(self.conditions_table, 1)  # every condition of the class in sight
        cform = QFormLayout()
        self.description_edit = QLineEdit()
        self.closing_edit = QLineEdit()
        limit_row = QHBoxLayout()
        self.amount_spin = QDoubleSpinBox()
        self.amount_spin.setRange(0, 9999)
        self.amount_spin.setDecimals(2)
        self.unit_combo = QComboBox()
        for unit in TimeUnit:
            self.unit_combo.addItem(label(unit), unit.value)
        limit_row.addWidget(self.amount_spin)
        limit_row.addWidget(self.unit_combo)
        self.handling_combo = QComboBox()
        self.supervising_combo = QComboBox()
        self._fill_departments()
        cform.addRow(self.tr("Filing condition"), self.description_edit)
        cform.addRow(self.tr("Closing condition"), self.closing_edit)
        cform.addRow(self.tr("Limit"), limit_row)
        cform.addRow(self.tr("Department"), self.handling_combo)
        cform.addRow(self.tr("Supervising department"), self.supervising_combo)
        cond.addLayout(cform)
        buttons = QHBoxLayout()
        self.save_condition_button = QPushButton(self.tr("Save condition"))
        self.add_condition_button = QPushButton(self.tr("Add as new condition"))
        buttons.addWidget(self.save_condition_button)
        buttons.addWidget(self.add_condition_button)
        cond.addLayout(buttons)
        side.addWidget(cond_box, 1)
        split.addWidget(right)
        layout.addWidget(split, 1)
        self._enable_conditions()

    def _connect(self) -> None:
        self.type_combo.currentIndexChanged.connect(self.reload)
        self.search_edit.textChanged.connect(self._on_search_edit_changed)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.conditions_table.itemSelectionChanged.connect(self._on_conditions_selection)
        self.save_class_button.clicked.connect(self._on_save_class_clicked)
        self.save_condition_button.clicked.connect(lambda: self._save_condition(new=False))
        self.add_condition_button.clicked.connect(lambda: self._save_condition(new=True))
        self._desk.tasks.sig_data_changed.connect(self._on_data_changed)
        # A new centre adds its departments after this tab was built.
        self._desk.reference_store.sig_changed.connect(self._on_reference_changed)

    def _fill_departments(self) -> None:
        """The department pickers from the desk's reference data, the choice kept."""
        handling, supervising = self.handling_combo.currentData(), \
            self.supervising_combo.currentData()
        for combo in (self.handling_combo, self.supervising_combo):
            combo.blockSignals(True)
            combo.clear()
        self.supervising_combo.addItem(self.tr("(none)"), None)
        for d in self._desk.reference.departments:
            self.handling_combo.addItem(d.name, d.code)
            self.supervising_combo.addItem(d.name, d.code)
        self.handling_combo.setCurrentIndex(max(0, self.handling_combo.findData(handling)))
        self.supervising_combo.setCurrentIndex(max(0, self.supervising_combo.findData(supervising)))
        for combo in (self.handling_combo, self.supervising_combo):
            combo.blockSignals(False)

    # ---- Public API

    def reload(self) -> None:
        case_type = CaseType(self.type_combo.currentData())
        self._desk_query(lambda s: rules.classes(s, case_type), self._on_loaded)

    def selected_class(self) -> ClassRow | None:
        item = self.tree.currentItem()
        row = None if item is None else item.data(0, ROLE_CLASS)
        return row if isinstance(row, ClassRow) else None

    def select_code(self, code: str) -> None:
        """Make the class of ``code`` the current one (as a click on it)."""
        for item in self._items():
            row = item.data(0, ROLE_CLASS)
            if isinstance(row, ClassRow) and row.code == code:
                self.tree.setCurrentItem(item)
                return

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    # ---- Private slots

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if changes.entities & {"catalogue", "standards", "reconnected"}:
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def _on_loaded(self, rows: list[ClassRow]) -> None:
        current = self.selected_class()
        self.tree.clear()
        majors: dict[str, QTreeWidgetItem] = {}
        grey = QBrush(QColor("#9e9e9e"))
        for row in rows:
            item = QTreeWidgetItem([row.code, row.name, str(row.conditions)
                                    if row.major_code else ""])
            item.setData(0, ROLE_CLASS, row)
            if not row.active:
                item.setText(1, self.tr("{name} (deactivated)").format(name=row.name))
                for col in range(3):
                    item.setForeground(col, grey)
            parent = majors.get(row.major_code or "")
            if parent is None:
                self.tree.addTopLevelItem(item)
                majors[row.code] = item
            else:
                parent.addChild(item)
        self._on_search_edit_changed(self.search_edit.text())
        if current is not None:
            self.select_code(current.code)

    def _on_search_edit_changed(self, text: str) -> None:
        query = text.strip().casefold()
        for major, children in self._tree():
            hit_major = not query or query in (major.text(0) + major.text(1)).casefold()
            any_child = False
            for child in children:
                hit = hit_major or query in (child.text(0) + child.text(1)).casefold()
                child.setHidden(not hit)
                any_child = any_child or hit
            major.setHidden(not (hit_major or any_child))
            major.setExpanded(bool(query) and any_child)

    def _on_tree_current_changed(self, *_items: object) -> None:
        row = self.selected_class()
        self._conditions = []
        self.conditions_table.setRowCount(0)
        if row is not None:
            self.code_edit.setText(row.code)
            self.name_edit.setText(row.name)
            self.active_check.setChecked(row.active)
            if row.major_code is not None:
                category_id = row.id
                self._desk_query(lambda s: catalogue.filing_conditions(s, category_id),
                                 self._on_conditions_loaded)
        self._enable_conditions()

    def _on_conditions_loaded(self, conditions: list[FilingConditionInfo]) -> None:
        row = self.selected_class()
        if row is None or (conditions and conditions[0].category_id != row.id):
            return
        self._conditions = conditions
        self.conditions_table.setRowCount(len(conditions))
        names = self._desk.reference.department_name
        for i, c in enumerate(conditions):
            values = (str(c.seq), c.description, format_limit(c.limit_amount, c.limit_unit),
                      names(c.handling_department), c.closing_condition)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # a long condition is cut in its column
                self.conditions_table.setItem(i, col, item)
        self._enable_conditions()

    @Slot(object)
    def _on_reference_changed(self, _data: object) -> None:
        self._fill_departments()

    def _on_conditions_selection(self) -> None:
        i = self.conditions_table.currentRow()
        if 0 <= i < len(self._conditions):
            c = self._conditions[i]
            self.description_edit.setText(c.description)
            self.closing_edit.setText(c.closing_condition)
            self.amount_spin.setValue(float(c.limit_amount))
            self.unit_combo.setCurrentIndex(self.unit_combo.findData(c.limit_unit.value))
            self.handling_combo.setCurrentIndex(self.handling_combo.findData(c.handling_department))
            self.supervising_combo.setCurrentIndex(
                max(0, self.supervising_combo.findData(c.supervising_department)))
        self._enable_conditions()

    def _on_save_class_clicked(self) -> None:
        case_type = CaseType(self.type_combo.currentData())
        code, name = self.code_edit.text().strip(), self.name_edit.text()
        major = code[:2] if len(code) == 4 else None
        active = self.active_check.isChecked()
        self._mutate(lambda s: rules.save_class(s, case_type=case_type, code=code, name=name,
                                                major_code=major, active=active))

    def _save_condition(self, *, new: bool) -> None:
        row = self.selected_class()
        if row is None or row.major_code is None:
            return
        i = self.conditions_table.currentRow()
        seq = None if new or not 0 <= i < len(self._conditions) else self._conditions[i].seq
        category_id = row.id
        description, closing = self.description_edit.text(), self.closing_edit.text()
        amount = Decimal(str(round(self.amount_spin.value(), 2)))
        unit = TimeUnit(self.unit_combo.currentData())
        handling: str = self.handling_combo.currentData()
        supervising: str | None = self.supervising_combo.currentData()
        self._mutate(lambda s: rules.save_condition(
            s, category_id=category_id, seq=seq, description=description, amount=amount,
            unit=unit, closing=closing, handling=handling, supervising=supervising))

    # ---- Private

    def _enable_conditions(self) -> None:
        row = self.selected_class()
        minor = row is not None and row.major_code is not None
        self.add_condition_button.setEnabled(minor)
        self.save_condition_button.setEnabled(
            minor and 0 <= self.conditions_table.currentRow() < len(self._conditions))

    def _tree(self) -> list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]]:
        """Each major class's item with its minors' items."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            major = self.tree.topLevelItem(i)
            if major is not None:
                children = [major.child(j) for j in range(major.childCount())]
                out.append((major, [c for c in children if c is not None]))
        return out

    def _items(self) -> list[QTreeWidgetItem]:
        return [item for major, children in self._tree() for item in (major, *children)]

    def _desk_query(self, op: Callable[[Session], T], success: Callable[[T], None]) -> None:
        QueryOp(self._desk.tasks, self, op=op, success=success, failure=self._on_failed).run()

    def _mutate(self, op: Callable[[Session], ChangeSet]) -> None:
        self.error_label.clear()
        MutationOp(self._desk.tasks, self, op=op, failure=self._on_failed).run()

    def _on_failed(self, error: BaseException) -> None:
        self.error_label.setText(str(error))
