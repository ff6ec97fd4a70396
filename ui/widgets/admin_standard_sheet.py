"""The city's standard sheet (立结案标准) in the admin's catalogue tab: open a sheet and
see every row it would add, change (old → new) or leave, and every bad row with its
sentence; apply it (one transaction) only when nothing is bad; export the catalogue."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.glossary import CaseType
from seatdesk.services import standard_preview, standards
from seatdesk.services.common import ChangeSet
from seatdesk.services.standard_preview import RowChange, StandardPreview
from ui.desk import Desk
from ui.labels import label
from ui.tasks import LongOp


class StandardSheetView(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.preview: StandardPreview | None = None
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.type_combo = QComboBox()
        for case_type in CaseType:
            self.type_combo.addItem(label(case_type), case_type.value)
        self.open_button = QPushButton(self.tr("Open a standard sheet…"))
        self.export_button = QPushButton(self.tr("Export the standard sheet…"))
        top.addWidget(self.type_combo)
        top.addWidget(self.open_button)
        top.addWidget(self.export_button)
        top.addStretch(1)
        layout.addLayout(top)
        self.summary_label = QLabel(self.tr("Open a sheet to see what it would change."))
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Change"), self.tr("Class"), self.tr("No."),
             self.tr("What")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.apply_button = QPushButton(self.tr("Apply the sheet"))
        self.apply_button.setEnabled(False)
        bottom.addWidget(self.error_label, 1)
        bottom.addWidget(self.apply_button)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.open_button.clicked.connect(self._on_open_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.type_combo.currentIndexChanged.connect(self._on_type_changed)

    # ---- Public API

    def preview_file(self, path: Path) -> None:
        """Read ``path`` and show what it would change (writes nothing)."""
        case_type = CaseType(self.type_combo.currentData())
        self.error_label.clear()
        LongOp(self._desk.tasks, self, title=self.tr("Reading the standard sheet…"),
               op=lambda s, progress: standard_preview.preview_standard(
                   s, path, case_type.value, progress),
               success=self._on_previewed, failure=self._on_failed).run()

    def export_file(self, path: Path) -> None:
        case_type = CaseType(self.type_combo.currentData())
        self.error_label.clear()
        LongOp(self._desk.tasks, self, title=self.tr("Exporting the standard sheet…"),
               op=lambda s, _progress: standards.export_standard(s, path, case_type.value),
               success=lambda n: self.summary_label.setText(
                   self.tr("{n} filing conditions written to {file}").format(
                       n=n, file=path.name)),
               failure=self._on_failed).run()

    # ---- Private slots

    def _on_open_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Open a standard sheet"), "",
                                              self.tr("Excel workbooks (*.xlsx)"))
        if name:
            self.preview_file(Path(name))

    def _on_export_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export the standard sheet"),
                                              "standard.xlsx",
                                              self.tr("Excel workbooks (*.xlsx)"))
        if name:
            self.export_file(Path(name))

    def _on_type_changed(self, _index: int) -> None:
        self._show(None)

    def _on_apply_clicked(self) -> None:
        preview = self.preview
        if preview is None or not preview.can_apply:
            return
        self.apply_button.setEnabled(False)
        LongOp(self._desk.tasks, self, title=self.tr("Applying the standard sheet…"),
               op=lambda s, progress: standard_preview.apply_preview(s, preview, progress),
               writes=True, changes=lambda c: c, success=self._on_applied,
               failure=self._on_failed).run()

    def _on_previewed(self, preview: StandardPreview) -> None:
        self._show(preview)

    def _on_applied(self, _changes: ChangeSet) -> None:
        self._show(None)
        self.summary_label.setText(self.tr("The standard sheet was applied."))

    def _on_failed(self, error: BaseException) -> None:
        self.error_label.setText(str(error))
        self.apply_button.setEnabled(self.preview is not None and self.preview.can_apply)

    # ---- Private

    def _show(self, preview: StandardPreview | None) -> None:
        self.preview = preview
        self.apply_button.setEnabled(preview is not None and preview.can_apply)
        if preview is None:
            self.table.setRowCount(0)
            self.summary_label.setText(self.tr("Open a sheet to see what it would change."))
            return
        self.summary_label.setText(
            self.tr("Added {added} · changed {changed} · unchanged {unchanged} · "
                    "bad rows {bad} · new classes {classes}").format(
                added=preview.count(RowChange.ADDED),
                changed=preview.count(RowChange.CHANGED),
                unchanged=preview.count(RowChange.UNCHANGED), bad=len(preview.bad),
                classes=len(preview.new_classes)))
        words = {RowChange.ADDED: self.tr("Added"), RowChange.CHANGED: self.tr("Changed"),
                 RowChange.UNCHANGED: self.tr("Unchanged")}
        lines: list[tuple[int, str, str, str, str]] = [
            (b.row, self.tr("Bad row"), "", "", b.sentence()) for b in preview.bad
        ]
        for r in preview.rows:
            what = "; ".join(c.describe() for c in r.changes) if r.changes else (
                f"{r.condition} ({r.limit})")
            lines.append((r.row, words[r.change], f"{r.minor_code} {r.minor_name}",
                           str(r.seq), what))
        lines.sort(key=lambda line: line[0])
        self.table.setRowCount(len(lines))
        for i, line in enumerate(lines):
            for col, value in enumerate((str(line[0]), *line[1:])):
                self.table.setItem(i, col, QTableWidgetItem(value))
