"""The admin's tab of the centre's working rules: the stage limits per urgency, the
warning threshold and the office hours per weekday, each saved through the database's
functions (checked, audited, announced), with the latest changes listed below."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.glossary import TimeUnit
from seatdesk.errors import ValidationError
from seatdesk.services import rules
from seatdesk.services.common import ChangeSet
from seatdesk.services.rules import StageLimit, WorkingRules
from ui.desk import Desk
from ui.labels import label
from ui.tasks import MutationOp, QueryOp
from ui.widgets.admin_rules_audit import RulesAuditBox

#: The stage limits' units an admin picks from (the centre's own stages).
UNITS = (TimeUnit.WORKING_HOURS, TimeUnit.NATURAL_HOURS, TimeUnit.WORKING_DAYS,
         TimeUnit.NATURAL_DAYS, TimeUnit.EMERGENCY_HOURS)
AUDITED = ("time_limits", "centre_settings")


class AdminLimitsWidget(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._limits: list[StageLimit] = []
        self._stale = True
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)

        limits_box = QGroupBox(self.tr("Stage limits per urgency"))
        box = QVBoxLayout(limits_box)
        self.limits_table = QTableWidget(0, 3)
        self.limits_table.setHorizontalHeaderLabels(
            [self.tr("Stage"), self.tr("Urgency"), self.tr("Limit")])
        self.limits_table.verticalHeader().hide()
        self.limits_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.limits_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.limits_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.limits_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        box.addWidget(self.limits_table)
        edit = QHBoxLayout()
        self.amount_spin = QDoubleSpinBox()
        self.amount_spin.setDecimals(2)
        self.amount_spin.setRange(0, 9999)
        self.unit_combo = QComboBox()
        for unit in UNITS:
            self.unit_combo.addItem(label(unit), unit.value)
        self.save_limit_button = QPushButton(self.tr("Save limit"))
        self.save_limit_button.setEnabled(False)
        edit.addWidget(QLabel(self.tr("Limit")))
        edit.addWidget(self.amount_spin)
        edit.addWidget(self.unit_combo)
        edit.addWidget(self.save_limit_button)
        box.addLayout(edit)
        # Side by side: stacked, the two boxes and the audit needed more than the
        # 720 pixels of a seat's screen, and the ten limits showed three at a time.
        boxes = QHBoxLayout()
        boxes.addWidget(limits_box, 1)
        layout.addLayout(boxes, 3)

        rules_box = QGroupBox(self.tr("Warning threshold and office hours"))
        form = QFormLayout(rules_box)
        self.share_spin = QSpinBox()
        self.share_spin.setRange(1, 100)
        self.share_spin.setSuffix(" %")
        form.addRow(self.tr("Warn when this share of the limit is used"), self.share_spin)
        self.remainder_spin = QSpinBox()
        self.remainder_spin.setRange(0, 100000)
        form.addRow(self.tr("…or when this many minutes are left"), self.remainder_spin)
        days = [self.tr("Monday"), self.tr("Tuesday"), self.tr("Wednesday"),
                self.tr("Thursday"), self.tr("Friday"), self.tr("Saturday"), self.tr("Sunday")]
        self.hours_edits: list[QLineEdit] = []
        for day in days:
            edit_line = QLineEdit()
            edit_line.setPlaceholderText(self.tr("08:30-12:00, 14:00-17:30"))
            self.hours_edits.append(edit_line)
            form.addRow(day, edit_line)
        self.save_rules_button = QPushButton(self.tr("Save threshold and office hours"))
        form.addRow(self.save_rules_button)
        boxes.addWidget(rules_box, 1)

        self.audit_box = RulesAuditBox(self._desk, AUDITED,
                                       frozenset({"catalogue", "calendar"}))
        layout.addWidget(self.audit_box, 1)

    def _connect(self) -> None:
        self.limits_table.itemSelectionChanged.connect(self._on_limits_table_selection)
        self.save_limit_button.clicked.connect(self._on_save_limit_clicked)
        self.save_rules_button.clicked.connect(self._on_save_rules_clicked)
        self._desk.tasks.sig_data_changed.connect(self._on_data_changed)

    # ---- Public API

    def reload(self) -> None:
        QueryOp(self._desk.tasks, self,
                op=lambda s: (rules.stage_limits(s), rules.working_rules(s)),
                success=self._on_loaded, failure=self._on_failed).run()

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    # ---- Private slots

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if changes.entities & {"catalogue", "calendar", "reconnected"}:
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def _on_loaded(self, loaded: tuple[list[StageLimit], WorkingRules]) -> None:
        limits, working = loaded
        self._limits = limits
        selected = self.limits_table.currentRow()
        self.limits_table.setRowCount(len(limits))
        for i, limit in enumerate(limits):
            shown = "—" if limit.amount is None or limit.unit is None else (
                f"{limit.amount.normalize():f} {label(limit.unit)}")
            for col, value in enumerate((label(limit.stage), label(limit.urgency), shown)):
                self.limits_table.setItem(i, col, QTableWidgetItem(value))
        if selected >= 0:
            self.limits_table.selectRow(selected)
        self.share_spin.setValue(int(working.warning_share * 100))
        self.remainder_spin.setValue(working.warning_remainder_minutes)
        by_weekday = working.office_hours.by_weekday
        for wd, edit_line in enumerate(self.hours_edits):
            periods = by_weekday.get(wd, ())
            edit_line.setText(", ".join(
                f"{s.strftime('%H:%M')}-{e.strftime('%H:%M')}" for s, e in periods))

    def _on_limits_table_selection(self) -> None:
        row = self.limits_table.currentRow()
        self.save_limit_button.setEnabled(0 <= row < len(self._limits))
        if 0 <= row < len(self._limits):
            limit = self._limits[row]
            self.amount_spin.setValue(float(limit.amount or 0))
            if limit.unit is not None:
                self.unit_combo.setCurrentIndex(self.unit_combo.findData(limit.unit.value))

    def _on_save_limit_clicked(self) -> None:
        row = self.limits_table.currentRow()
        if not 0 <= row < len(self._limits):
            return
        limit = self._limits[row]
        amount = Decimal(str(round(self.amount_spin.value(), 2)))
        unit = TimeUnit(self.unit_combo.currentData())
        self.error_label.clear()
        MutationOp(self._desk.tasks, self,
                   op=lambda s: rules.set_stage_limit(s, limit.stage, limit.urgency, amount,
                                                      unit),
                   failure=self._on_failed).run()

    def _on_save_rules_clicked(self) -> None:
        self.error_label.clear()
        share = Decimal(self.share_spin.value()) / 100
        remainder = self.remainder_spin.value()
        texts = [e.text() for e in self.hours_edits]
        try:
            hours = rules.office_hours_of(texts)
        except ValidationError as error:  # naming the weekday and the period
            self._on_failed(error)
            return
        MutationOp(self._desk.tasks, self,
                   op=lambda s: rules.save_working_rules(
                       s, warning_share=share, warning_remainder_minutes=remainder,
                       office_hours=hours),
                   failure=self._on_failed).run()

    def _on_failed(self, error: BaseException) -> None:
        self.error_label.setText(str(error))
