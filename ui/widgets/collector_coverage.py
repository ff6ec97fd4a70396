"""The coverage and reports tabs of the collectors' view (``ui.widgets.admin_collectors``).

- ``CoverageTab``: the grids whose patrol density the last N days did not meet, first
  and red, then the covered ones; the uncovered grids' fills for the map
  (``sig_fills``), which the view shows while this tab is current.
- ``ReportTab``: the collectors' weekly (周报) or monthly (月报) report as a workbook,
  written off the GUI thread with progress and Cancel (``LongOp``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.progress import Progress
from seatdesk.services import collector_reports
from seatdesk.services.collector_reports import CoverageRow, ReportPeriod
from seatdesk.services.common import ChangeSet
from ui.desk import Desk
from ui.tasks import LongOp, QueryOp

#: The fill of a grid whose density was not met, on the map and in the table.
UNCOVERED_COLOUR = "#c62828"
DEFAULT_DAYS = 7


def fill_table(table: QTableWidget, rows: Sequence[Sequence[Any]]) -> None:
    """Replace the rows of a read-only table; column 0 keeps its text as the row's key."""
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def new_table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class CoverageTab(QWidget):
    """The grids' patrol over the last N days."""

    sig_fills = Signal(object)
    """The uncovered grids changed: carries {grid code: colour} for the map."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.rows: list[CoverageRow] = []
        self._build_ui()
        self._connect()
        self.refresh()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.days_spin = QSpinBox()
        self.days_spin.setObjectName("coverage_days")
        self.days_spin.setRange(1, 366)
        self.days_spin.setValue(DEFAULT_DAYS)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("coverage_refresh")
        row.addWidget(QLabel(self.tr("Last days:")))
        row.addWidget(self.days_spin)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.summary = QLabel()
        self.summary.setObjectName("coverage_summary")
        layout.addWidget(self.summary)
        self.table = new_table(
            [self.tr("Grid"), self.tr("Name"), self.tr("Type"), self.tr("Required"),
             self.tr("Visits"), self.tr("Collector"), self.tr("Covered")], "coverage_table")
        layout.addWidget(self.table)

    def _connect(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self._desk.tasks.sig_data_changed.connect(self._on_tasks_data_changed)

    # ---- Public API

    def refresh(self) -> None:
        """Count the visits again (a set-based query in the database)."""
        days = self.days_spin.value()
        QueryOp(self._desk.tasks, self,
                op=lambda s: collector_reports.coverage(s, days=days),
                success=self._on_coverage).run()

    def uncovered(self) -> list[str]:
        return [r.grid_code for r in self.rows if not r.covered]

    def fills(self) -> dict[str, str]:
        return {code: UNCOVERED_COLOUR for code in self.uncovered()}

    # ---- Private slots

    def _on_coverage(self, rows: list[CoverageRow]) -> None:
        self.rows = rows
        yes, no = self.tr("yes"), self.tr("no")
        fill_table(self.table, [
            (r.grid_code, r.grid_name, r.grid_type_name, r.required, r.visits,
             r.collector_name or r.collector_id or "", yes if r.covered else no)
            for r in rows])
        red = QBrush(QColor(UNCOVERED_COLOUR))
        for i, r in enumerate(rows):
            if not r.covered:
                for c in range(self.table.columnCount()):
                    item = self.table.item(i, c)
                    if item is not None:
                        item.setForeground(red)
        self.summary.setText(self.tr("{n} of {total} grids not covered in the last {days} days")
                             .format(n=len(self.uncovered()), total=len(rows),
                                     days=self.days_spin.value()))
        self.sig_fills.emit(self.fills())

    def _on_tasks_data_changed(self, changes: ChangeSet, initiator: object) -> None:
        del initiator
        if {"collectors", "grids"} & changes.entities:
            self.refresh()


class ReportTab(QWidget):
    """The weekly or monthly collector report, exported to Excel."""

    sig_written = Signal(object)
    """The workbook was written: carries its ``Path``."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.week_radio = QRadioButton(self.tr("Weekly report (周报)"))
        self.week_radio.setObjectName("report_week")
        self.month_radio = QRadioButton(self.tr("Monthly report (月报)"))
        self.month_radio.setObjectName("report_month")
        self.kind = QButtonGroup(self)
        self.kind.addButton(self.week_radio)
        self.kind.addButton(self.month_radio)
        self.month_radio.setChecked(True)
        layout.addWidget(self.week_radio)
        layout.addWidget(self.month_radio)
        row = QHBoxLayout()
        self.period_edit = QLineEdit()
        self.period_edit.setObjectName("report_period")
        row.addWidget(QLabel(self.tr("Period:")))
        row.addWidget(self.period_edit, 1)
        layout.addLayout(row)
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setObjectName("report_export")
        layout.addWidget(self.export_button)
        self.message = QLabel()
        self.message.setObjectName("report_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._on_kind_changed()

    def _connect(self) -> None:
        self.week_radio.toggled.connect(self._on_kind_changed)
        self.export_button.clicked.connect(self._on_export_button_clicked)

    # ---- Public API

    def period(self) -> ReportPeriod:
        """The period typed; ValueError when it is not one."""
        text = self.period_edit.text()
        return (ReportPeriod.week(text) if self.week_radio.isChecked()
                else ReportPeriod.month(text))

    def export_to(self, path: Path) -> None:
        """Write the report of the period typed to ``path``, with progress."""
        try:
            period = self.period()
        except ValueError:
            self.message.setText(self.tr("Type the period as 2026-W48 (a week) or 2026-11 "
                                         "(a month)."))
            return
        self.message.setText("")

        def op(s: Session, progress: Progress) -> Path:
            return collector_reports.write_collector_report(s, period, path, progress)

        LongOp(self._desk.tasks, self, op=op, title=self.tr("Collector report"),
               success=self._on_written, failure=self._on_failed,
               cancelled=lambda: self.message.setText(self.tr("Cancelled."))).run()

    # ---- Private slots

    @Slot()
    def _on_kind_changed(self) -> None:
        # The last full week or month: what a report is usually asked for.
        today = date.today()
        if self.week_radio.isChecked():
            year, week, _ = (today - timedelta(days=7)).isocalendar()
            self.period_edit.setText(f"{year}-W{week:02d}")
        else:
            last = today.replace(day=1) - timedelta(days=1)
            self.period_edit.setText(f"{last.year}-{last.month:02d}")

    @Slot()
    def _on_export_button_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the collector report"),
            f"collectors-{self.period_edit.text()}.xlsx", self.tr("Excel workbook (*.xlsx)"))
        if name:
            self.export_to(Path(name))

    def _on_written(self, path: Path) -> None:
        self.message.setText(self.tr("Written: {path}").format(path=path))
        self.sig_written.emit(path)

    def _on_failed(self, error: BaseException) -> None:
        self.message.setText(str(error))
