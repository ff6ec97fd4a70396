"""信息采集员: the administrator's view of the field collectors.

Tabs on the left, one map on the right that follows them:
- Register: the collectors, searchable; add, edit, deactivate (a deactivated collector's
  grids are unbound by the database in the same transaction);
- Grids: the active grids with their type and responsible collector, searchable, many
  selected at once (in the list, or by clicking on the map after "Pick on map"), bound
  to a collector, unbound, or given a type; the map fills the chosen collector's grids
  and the selection;
- Densities: each grid type's patrol density (visits per day);
- Coverage and Reports (``ui.widgets.collector_coverage``): the grids whose density the
  last N days did not meet, red on the map, and the weekly or monthly report export.

Every write is one ``MutationOp`` of ``seatdesk.services.collectors`` (the database
checks the admin role and audits); every change anywhere (kind ``collectors`` or
``grids``) re-reads the lists.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from seatdesk.services import collectors, grids
from seatdesk.services.collectors import BindingPeriod, Collector, GridBinding, GridType
from seatdesk.services.common import ChangeSet
from ui.desk import Desk
from ui.map import MapView
from ui.tasks import MutationOp, QueryOp
from ui.widgets.collector_coverage import CoverageTab, ReportTab, fill_table, new_table

RELOAD_DELAY_MS = 200
#: The map's fills on the Grids tab: the chosen collector's grids, the selection.
HELD_COLOUR = "#1565c0"
SELECTED_COLOUR = "#ef6c00"


class CollectorsView(QWidget):
    """The collectors, their grids and densities, coverage and reports, for the admin."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.setObjectName("collectors_view")
        self._collectors: list[Collector] = []
        self._bindings: list[GridBinding] = []
        self._types: list[GridType] = []
        self._picking = False
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._build_ui()
        self._connect()
        self.reload()
        QueryOp(desk.tasks, self, op=lambda s: grids.map_layers(s),
                success=self.map.set_grids).run()

    def _build_ui(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("collector_tabs")
        self.tabs.addTab(self._build_register(), self.tr("Register"))
        self.tabs.addTab(self._build_grids(), self.tr("Responsibility grids"))
        self.tabs.addTab(self._build_densities(), self.tr("Patrol densities"))
        self.coverage = CoverageTab(self._desk, self)
        self.tabs.addTab(self.coverage, self.tr("Coverage"))
        self.reports = ReportTab(self._desk, self)
        self.tabs.addTab(self.reports, self.tr("Reports"))
        self.map = MapView(self)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.tabs)
        box.addWidget(self.message)
        splitter.addWidget(left)
        splitter.addWidget(self.map)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([700, 700])  # the map as wide as the lists, not squeezed
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _build_register(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.search = QLineEdit()
        self.search.setObjectName("collector_search")
        self.search.setPlaceholderText(self.tr("Search id, name, staff number, phone, device"))
        layout.addWidget(self.search)
        self.register = new_table(
            [self.tr("ID"), self.tr("Name"), self.tr("Staff number"), self.tr("Phone"),
             self.tr("Device"), self.tr("Grids"), self.tr("Status")], "collector_table")
        self.register.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout.addWidget(self.register)
        form = QFormLayout()
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("collector_id")
        self.id_edit.setMaxLength(100)
        self.id_edit.setPlaceholderText(self.tr("The name the collector's reports carry"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("collector_name")
        self.name_edit.setMaxLength(100)
        self.staff_edit = QLineEdit()
        self.staff_edit.setObjectName("staff_number")
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("phone")
        self.device_edit = QLineEdit()
        self.device_edit.setObjectName("device_id")
        self.active_check = QCheckBox(self.tr("Active"))
        self.active_check.setObjectName("active")
        self.active_check.setChecked(True)
        form.addRow(self.tr("ID:"), self.id_edit)
        form.addRow(self.tr("Name:"), self.name_edit)
        form.addRow(self.tr("Staff number:"), self.staff_edit)
        form.addRow(self.tr("Phone:"), self.phone_edit)
        form.addRow(self.tr("Device (采集器):"), self.device_edit)
        form.addRow("", self.active_check)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New"))
        self.new_button.setObjectName("new_collector")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("save_collector")
        self.deactivate_button = QPushButton(self.tr("Deactivate"))
        self.deactivate_button.setObjectName("deactivate_collector")
        for b in (self.new_button, self.save_button, self.deactivate_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _build_grids(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.grid_search = QLineEdit()
        self.grid_search.setObjectName("grid_search")
        self.grid_search.setPlaceholderText(self.tr("Search grid code or name, or collector"))
        layout.addWidget(self.grid_search)
        self.grid_table = new_table(
            [self.tr("Grid"), self.tr("Name"), self.tr("Type"), self.tr("Collector")],
            "grid_table")
        self.grid_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout.addWidget(self.grid_table)
        self.history_label = QLabel()
        self.history_label.setObjectName("grid_history")
        self.history_label.setWordWrap(True)
        layout.addWidget(self.history_label)
        row = QHBoxLayout()
        self.collector_combo = QComboBox()
        self.collector_combo.setObjectName("bind_collector")
        self.bind_button = QPushButton(self.tr("Bind selected grids"))
        self.bind_button.setObjectName("bind_grids")
        self.unbind_button = QPushButton(self.tr("Unbind"))
        self.unbind_button.setObjectName("unbind_grids")
        self.pick_button = QPushButton(self.tr("Pick on map"))
        self.pick_button.setObjectName("pick_grids")
        self.pick_button.setCheckable(True)
        row.addWidget(QLabel(self.tr("Collector:")))
        row.addWidget(self.collector_combo, 1)
        row.addWidget(self.bind_button)
        row.addWidget(self.unbind_button)
        row.addWidget(self.pick_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("grid_type")
        self.set_type_button = QPushButton(self.tr("Set type of selected grids"))
        self.set_type_button.setObjectName("set_grid_type")
        row.addWidget(QLabel(self.tr("Grid type:")))
        row.addWidget(self.type_combo, 1)
        row.addWidget(self.set_type_button)
        layout.addLayout(row)
        return page

    def _build_densities(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.density_table = new_table(
            [self.tr("Type"), self.tr("Name"), self.tr("Visits per day")], "density_table")
        self.density_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout.addWidget(self.density_table)
        form = QFormLayout()
        self.type_code_edit = QLineEdit()
        self.type_code_edit.setObjectName("type_code")
        self.type_code_edit.setPlaceholderText(self.tr("Lower-case letters, e.g. market"))
        self.type_name_edit = QLineEdit()
        self.type_name_edit.setObjectName("type_name")
        self.visits_spin = QDoubleSpinBox()
        self.visits_spin.setObjectName("visits_per_day")
        self.visits_spin.setRange(0, 100)
        self.visits_spin.setDecimals(2)
        self.visits_spin.setSingleStep(0.5)
        self.visits_spin.setValue(1)
        form.addRow(self.tr("Type:"), self.type_code_edit)
        form.addRow(self.tr("Name:"), self.type_name_edit)
        form.addRow(self.tr("Visits per day:"), self.visits_spin)
        layout.addLayout(form)
        self.save_density_button = QPushButton(self.tr("Save density"))
        self.save_density_button.setObjectName("save_density")
        layout.addWidget(self.save_density_button, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _connect(self) -> None:
        self._desk.tasks.sig_data_changed.connect(self._on_tasks_data_changed)
        self._reload_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._reload_timer.start)
        self.grid_search.textChanged.connect(self._reload_timer.start)
        self.register.itemSelectionChanged.connect(self._on_register_selection_changed)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.deactivate_button.clicked.connect(self._on_deactivate_button_clicked)
        self.bind_button.clicked.connect(self._on_bind_button_clicked)
        self.unbind_button.clicked.connect(self._on_unbind_button_clicked)
        self.set_type_button.clicked.connect(self._on_set_type_button_clicked)
        self.pick_button.toggled.connect(self._on_pick_button_toggled)
        self.map.sig_point_picked.connect(self._on_map_point_picked)
        self.grid_table.itemSelectionChanged.connect(self._show_grid_fills)
        self.grid_table.itemSelectionChanged.connect(self._on_grid_selection_changed)
        self.collector_combo.currentIndexChanged.connect(self._show_grid_fills)
        self.density_table.itemSelectionChanged.connect(self._on_density_selection_changed)
        self.save_density_button.clicked.connect(self._on_save_density_button_clicked)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.coverage.sig_fills.connect(self._on_coverage_fills)

    # ---- Public API

    def reload(self) -> None:
        """Read the register, the grids and the densities again."""
        search, grid_search = self.search.text(), self.grid_search.text()

        def read(s: Any) -> tuple[list[Collector], list[GridBinding], list[GridType]]:
            return (collectors.list_collectors(s, search),
                    collectors.grid_bindings(s, grid_search), collectors.grid_types(s))

        QueryOp(self._desk.tasks, self, op=read, success=self._on_read).run()

    def selected_grids(self) -> list[str]:
        rows = sorted({i.row() for i in self.grid_table.selectedIndexes()})
        return [self._code_at(r) for r in rows]

    def _code_at(self, row: int) -> str:
        item = self.grid_table.item(row, 0)
        return item.text() if item is not None else ""

    # ---- Private slots

    def _on_read(self, data: tuple[list[Collector], list[GridBinding], list[GridType]]) -> None:
        self._collectors, self._bindings, self._types = data
        fill_table(self.register, [
            (c.collector_id, c.name, c.staff_number, c.phone, c.device_id, c.grids,
             self.tr("active") if c.active else self.tr("inactive"))
            for c in self._collectors])
        names = {t.code: t.name for t in self._types}
        selected = set(self.selected_grids())
        fill_table(self.grid_table, [
            (b.grid_code, b.grid_name, names.get(b.grid_type, b.grid_type),
             b.collector_name or "") for b in self._bindings])
        self._select_grids(selected)
        chosen = self.collector_combo.currentData()
        self.collector_combo.blockSignals(True)
        self.collector_combo.clear()
        for c in self._collectors:
            if c.active:
                self.collector_combo.addItem(f"{c.name} ({c.collector_id})", c.collector_id)
        index = self.collector_combo.findData(chosen)
        self.collector_combo.setCurrentIndex(max(index, 0))
        self.collector_combo.blockSignals(False)
        self.type_combo.clear()
        for t in self._types:
            self.type_combo.addItem(f"{t.name} ({t.visits_per_day:g}/d)", t.code)
        fill_table(self.density_table,
                   [(t.code, t.name, f"{t.visits_per_day:g}") for t in self._types])
        self._show_grid_fills()

    def _select_grids(self, codes: set[str]) -> None:
        self.grid_table.clearSelection()
        mode = self.grid_table.selectionMode()
        self.grid_table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r in range(self.grid_table.rowCount()):
            if self._code_at(r) in codes:
                self.grid_table.selectRow(r)
        self.grid_table.setSelectionMode(mode)

    def _on_tasks_data_changed(self, changes: ChangeSet, initiator: object) -> None:
        del initiator
        if {"collectors", "grids"} & changes.entities:
            self._reload_timer.start()

    def _mutate(self, op: Any, done: str) -> None:
        self.message.setText("")

        def succeeded(_result: object) -> None:
            self.message.setStyleSheet("color: #2e7d32;")
            self.message.setText(done)

        def failed(error: BaseException) -> None:
            self.message.setStyleSheet("color: #c62828;")
            self.message.setText(str(error))

        MutationOp(self._desk.tasks, self, op=op, success=succeeded, failure=failed).run()

    @Slot()
    def _on_register_selection_changed(self) -> None:
        rows = {i.row() for i in self.register.selectedIndexes()}
        if not rows:
            return
        c = self._collectors[min(rows)]
        self.id_edit.setText(c.collector_id)
        self.id_edit.setReadOnly(True)
        self.name_edit.setText(c.name)
        self.staff_edit.setText(c.staff_number or "")
        self.phone_edit.setText(c.phone or "")
        self.device_edit.setText(c.device_id or "")
        self.active_check.setChecked(c.active)

    @Slot()
    def _on_new_button_clicked(self) -> None:
        self.register.clearSelection()
        self.id_edit.setReadOnly(False)
        for edit in (self.id_edit, self.name_edit, self.staff_edit, self.phone_edit,
                     self.device_edit):
            edit.clear()
        self.active_check.setChecked(True)
        self.id_edit.setFocus()

    def _save(self, active: bool) -> None:
        collector_id, name = self.id_edit.text(), self.name_edit.text()
        staff, phone = self.staff_edit.text() or None, self.phone_edit.text() or None
        device = self.device_edit.text() or None
        self._mutate(lambda s: collectors.save_collector(
            s, collector_id=collector_id, name=name, staff_number=staff, phone=phone,
            device_id=device, active=active),
            self.tr("Collector {id} saved.").format(id=collector_id))

    @Slot()
    def _on_save_button_clicked(self) -> None:
        self._save(self.active_check.isChecked())

    @Slot()
    def _on_deactivate_button_clicked(self) -> None:
        self.active_check.setChecked(False)
        self._save(False)

    @Slot()
    def _on_bind_button_clicked(self) -> None:
        collector = self.collector_combo.currentData()
        chosen = self.selected_grids()
        if collector is None or not chosen:
            self.message.setText(self.tr("Choose a collector and at least one grid."))
            return
        self._mutate(lambda s: collectors.bind_grids(s, collector_id=collector, grids=chosen),
                     self.tr("{n} grids bound.").format(n=len(chosen)))

    @Slot()
    def _on_unbind_button_clicked(self) -> None:
        chosen = self.selected_grids()
        if not chosen:
            self.message.setText(self.tr("Choose at least one grid."))
            return
        self._mutate(lambda s: collectors.unbind_grids(s, grids=chosen),
                     self.tr("{n} grids unbound.").format(n=len(chosen)))

    @Slot()
    def _on_set_type_button_clicked(self) -> None:
        grid_type = self.type_combo.currentData()
        chosen = self.selected_grids()
        if grid_type is None or not chosen:
            self.message.setText(self.tr("Choose a grid type and at least one grid."))
            return
        self._mutate(lambda s: collectors.set_grid_type(s, grids=chosen, grid_type=grid_type),
                     self.tr("{n} grids typed.").format(n=len(chosen)))

    @Slot(bool)
    def _on_pick_button_toggled(self, on: bool) -> None:
        self._picking = on
        if on:
            self.map.start_pick()
        else:
            self.map.clear_pick()

    @Slot(float, float)
    def _on_map_point_picked(self, lon: float, lat: float) -> None:
        if not self._picking:
            return
        QueryOp(self._desk.tasks, self, op=lambda s: grids.locate(s, lon, lat),
                success=self._on_grid_picked).run()
        self.map.start_pick()  # the next click picks another grid

    def _on_grid_picked(self, code: str | None) -> None:
        if code is None:
            return
        chosen = set(self.selected_grids()) ^ {code}  # a second click leaves it out
        self._select_grids(chosen)

    @Slot()
    def _show_grid_fills(self) -> None:
        if self.tabs.currentIndex() == self.tabs.indexOf(self.coverage):
            return
        collector = self.collector_combo.currentData()
        fills = {b.grid_code: HELD_COLOUR for b in self._bindings
                 if collector is not None and b.collector_id == collector}
        fills.update({code: SELECTED_COLOUR for code in self.selected_grids()})
        self.map.set_fills(fills)

    @Slot()
    def _on_grid_selection_changed(self) -> None:
        chosen = self.selected_grids()
        self.history_label.clear()
        if len(chosen) == 1:
            code = chosen[0]
            QueryOp(self._desk.tasks, self, op=lambda s: collectors.grid_history(s, code),
                    success=self._on_grid_history).run()

    def _on_grid_history(self, periods: list[BindingPeriod]) -> None:
        names = {c.collector_id: c.name for c in self._collectors}
        parts = [
            self.tr("{name}: {start} – {end}").format(
                name=names.get(p.collector_id, p.collector_id),
                start=p.valid_from.astimezone().strftime("%Y-%m-%d %H:%M"),
                end=(p.valid_to.astimezone().strftime("%Y-%m-%d %H:%M")
                     if p.valid_to else self.tr("now")))
            for p in periods]
        self.history_label.setText(self.tr("History: {periods}").format(
            periods="; ".join(parts) if parts else self.tr("nobody yet")))

    @Slot()
    def _on_density_selection_changed(self) -> None:
        rows = {i.row() for i in self.density_table.selectedIndexes()}
        if rows:
            t = self._types[min(rows)]
            self.type_code_edit.setText(t.code)
            self.type_name_edit.setText(t.name)
            self.visits_spin.setValue(float(t.visits_per_day))

    @Slot()
    def _on_save_density_button_clicked(self) -> None:
        code, name = self.type_code_edit.text(), self.type_name_edit.text()
        visits = self.visits_spin.value()
        self._mutate(lambda s: collectors.set_patrol_density(s, code=code, name=name,
                                                             visits_per_day=visits),
                     self.tr("Density of {type} saved.").format(type=code))

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        if index == self.tabs.indexOf(self.coverage):
            self.map.set_fills(self.coverage.fills())
        else:
            self._show_grid_fills()

    def _on_coverage_fills(self, fills: dict[str, str]) -> None:
        if self.tabs.currentIndex() == self.tabs.indexOf(self.coverage):
            self.map.set_fills(fills)
