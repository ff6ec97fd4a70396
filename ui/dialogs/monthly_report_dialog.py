"""生成月报: which month's report to write, and into which folder.

The dialog only asks; the dashboard runs the report (a ``LongOp``) once it is accepted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.statistics import Month
from ui.i18n import date_edit


class MonthlyReportDialog(QDialog):
    """A month (last month by default) and a folder (the last one used)."""

    def __init__(self, month: Month, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthly_report_dialog")
        self.setWindowTitle(self.tr("Monthly report"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.month = date_edit(QDate(month.year, month.month, 1))
        self.month.setObjectName("report_month")
        self.month.setDisplayFormat("yyyy-MM")  # a month, not a day
        self.month.setMinimumDate(QDate(2000, 1, 1))
        self.month.setMaximumDate(QDate(2100, 12, 31))
        self.folder = QLineEdit(str(folder))
        self.folder.setObjectName("report_folder")
        self.folder.setMinimumWidth(320)
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Month:"), self.month)
        form.addRow(self.tr("Folder:"), row)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(self.tr("Write the report"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    # ---- Public API

    def set_choice(self, month: Month, folder: Path) -> None:
        self.month.setDate(QDate(month.year, month.month, 1))
        self.folder.setText(str(folder))

    def chosen_month(self) -> Month:
        day = self.month.date()
        return Month.of(date(day.year(), day.month(), 1))

    def chosen_folder(self) -> Path:
        return Path(self.folder.text().strip()).expanduser()

    # ---- Private slots

    @Slot()
    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Folder for the monthly report"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.folder.text().strip():
            self.accept()
        else:
            self.folder.setFocus()
