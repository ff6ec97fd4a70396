"""文件 → 导入投诉…: import the complaints the city platform forwards (.xlsx or .csv).

Choose the file, 预览 reads and checks every row on a worker thread (a ``LongOp`` with
its progress dialog and Cancel): the table lists every bad row with its row number and
reason, then the first good rows. 导入 is enabled only once a preview has good rows; it
writes them in one transaction (``seatdesk.services.complaint_import``), with progress
and Cancel: a cancelled import writes nothing. Importing the same file again creates
nothing new. For the monitor and admin seats (``ui.window_menus``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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

from seatdesk import messages
from seatdesk.services import complaint_import as importer
from seatdesk.services.common import ChangeSet
from seatdesk.services.complaint_import import ImportPreview, ImportResult
from seatdesk.terms import term
from ui.desk import Desk
from ui.dialogs.parts import message_label
from ui.tasks import LongOp

#: Bad rows the table lists (a file that is wrong in every row would fill it for long);
#: the summary says how many more, the command line lists them all.
BAD_ROWS_SHOWN = 2000


class ComplaintImportDialog(QDialog):
    """Preview, then import, one file of forwarded complaints."""

    sig_done = Signal(object)
    """The import wrote its rows: its ``ChangeSet``."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.preview: ImportPreview | None = None
        self.imported: ImportResult | None = None
        self.op: LongOp[ImportPreview] | LongOp[ImportResult] | None = None
        self.setObjectName("complaint_import_dialog")
        self.setWindowTitle(self.tr("Import complaints"))
        self.resize(900, 560)

        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("path")
        self.path_edit.setPlaceholderText(
            self.tr("An .xlsx or .csv file the city platform exported")
        )
        self.path_edit.textChanged.connect(self._on_path_edit_text_changed)
        self.browse_button = QPushButton(self.tr("&Choose file…"))
        self.browse_button.setObjectName("browse")
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.preview_button = QPushButton(self.tr("&Preview"))
        self.preview_button.setObjectName("preview")
        self.preview_button.setEnabled(False)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("File:")))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        row.addWidget(self.preview_button)

        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("rows")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Result"), self.tr("Reason or complaint")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.message = message_label()

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("import")
        self.import_button.setEnabled(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    # ---- Public API

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))

    def run_preview(self) -> LongOp[ImportPreview]:
        """Read and check the file (what 预览 does)."""
        path = Path(self.path_edit.text().strip())
        self._clear()
        op: LongOp[ImportPreview] = LongOp(
            self._desk.tasks,
            self,
            title=self.tr("Reading the complaints…"),
            op=lambda s, progress: importer.preview_import(s, path, progress=progress),
            success=self._on_previewed,
            failure=self._on_failed,
        )
        self.op = op
        op.run()
        return op

    def run_import(self) -> LongOp[ImportResult] | None:
        """Write the previewed good rows (what 导入 does)."""
        preview = self.preview
        if preview is None or not preview.good:
            return None
        self.import_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        op: LongOp[ImportResult] = LongOp(
            self._desk.tasks,
            self,
            title=self.tr("Importing the complaints…"),
            op=lambda s, progress: importer.import_complaints(s, preview, progress=progress),
            writes=True,
            changes=lambda result: result.changes,
            success=self._on_imported,
            failure=self._on_failed,
            cancelled=self._on_cancelled,
        )
        self.op = op
        op.run()
        return op

    # ---- Private

    def _clear(self) -> None:
        self.preview = None
        self.table.setRowCount(0)
        self.summary.clear()
        self.message.hide()
        self.import_button.setEnabled(False)

    def _show(self, preview: ImportPreview) -> None:
        shown: list[importer.BadRow | importer.ImportRow] = [
            *preview.bad[:BAD_ROWS_SHOWN], *preview.first_good()
        ]
        self.table.setRowCount(len(shown))
        bad_text, good_text = self.tr("Problem"), self.tr("Can be imported")
        for i, entry in enumerate(shown):
            if isinstance(entry, importer.BadRow):
                cells = [str(entry.row), bad_text, entry.reason]
            else:
                cells = [str(entry.row), good_text,
                         f"{term(entry.channel)} · {entry.received_at:%Y-%m-%d %H:%M} · "
                         f"{entry.content}"]
            for column, value in enumerate(cells):
                self.table.setItem(i, column, QTableWidgetItem(value))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        summary = messages.t(
            "import.summary", file=preview.file_name, rows=preview.rows,
            good=len(preview.good), bad=len(preview.bad))
        if len(preview.bad) > BAD_ROWS_SHOWN:
            summary += " " + messages.t("import.more_bad", count=len(preview.bad) - BAD_ROWS_SHOWN)
        self.summary.setText(summary)

    # ---- Private slots

    @Slot(str)
    def _on_path_edit_text_changed(self, value: str) -> None:
        self._clear()
        self.preview_button.setEnabled(bool(value.strip()))

    @Slot()
    def _on_browse_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the file of forwarded complaints"), "",
            self.tr("Spreadsheets (*.xlsx *.csv)"),
        )
        if path:
            self.set_path(Path(path))
            self.run_preview()

    @Slot()
    def _on_preview_button_clicked(self) -> None:
        self.run_preview()

    @Slot()
    def _on_import_clicked(self) -> None:
        self.run_import()

    def _on_previewed(self, preview: ImportPreview) -> None:
        self.preview = preview
        self._show(preview)
        self.import_button.setEnabled(bool(preview.good))
        if not preview.good:
            self._say(messages.t("import.nothing", file=preview.file_name))

    def _on_imported(self, result: ImportResult) -> None:
        self.imported = result
        self.preview = None
        self.preview_button.setEnabled(True)
        self.summary.setText(messages.t(
            "import.done", created=result.created, present=result.present, bad=result.bad))
        self.sig_done.emit(result.changes if result.created else ChangeSet())

    def _on_cancelled(self) -> None:
        self.preview_button.setEnabled(True)
        self.import_button.setEnabled(self.preview is not None and bool(self.preview.good))
        self._say(messages.t("import.cancelled"))

    def _on_failed(self, error: BaseException) -> None:
        self.preview_button.setEnabled(bool(self.path_edit.text().strip()))
        self._say(str(error))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
