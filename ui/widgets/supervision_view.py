"""督办: the cases near or past their deadline, per department, and the urge of them.

The departments on the left with their yellow (near the deadline) and red (overdue)
counts, every department first; the chosen department's late cases on the right, red
first, a keyset-paged table (``CaseTableModel`` over ``supervision.late_query``). The
counts and the table follow the change notices: a case the sweep flags on any
workstation shows here without a click. "Urge all overdue…" urges every overdue case
of the chosen department with one note, in one transaction (``UrgeDepartmentDialog``);
one case is urged from the case detail beside (its 督办 button).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seatdesk import messages
from seatdesk.services import supervision
from seatdesk.services.common import ChangeSet
from seatdesk.services.queues import CaseRow
from seatdesk.services.supervision import DepartmentLate, DepartmentUrged
from ui.desk import Desk
from ui.models.case_table_model import CaseTableModel, Column
from ui.tasks import MutationOp, QueryOp

#: Coalesces a burst of notices (a sweep flags many cases) into one re-read.
RELOAD_DELAY_MS = 200
#: The data role of a department row: its code ("" for every department).
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
_RED = QColor("#c62828")
_YELLOW = QColor("#8d6e00")


class UrgeDepartmentDialog(QDialog):
    """The note of an urge of every overdue case of one department; sends it itself and
    stays open with the reason when the database refuses."""

    sig_done = Signal(object)
    """The urge was committed: the ``DepartmentUrged``."""

    def __init__(self, desk: Desk, department: str, overdue: int, parent: QWidget) -> None:
        super().__init__(parent)
        self._desk = desk
        self.department = department
        self.setObjectName("urge_department_dialog")
        name = desk.reference.department_name(department) or department
        self.setWindowTitle(self.tr("Urge a department"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            self.tr("Urge all {n} overdue cases of {department} with this note:").format(
                n=overdue, department=name)))
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("What the department must do, and by when"))
        layout.addWidget(self.note)
        self.message_label = QLabel()
        self.message_label.setObjectName("message")
        self.message_label.setStyleSheet("color: #c62828;")
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Urge"))
        self.ok_button.setEnabled(False)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(self._on_note_text_changed)

    @Slot()
    def _on_note_text_changed(self) -> None:
        self.ok_button.setEnabled(bool(self.note.toPlainText().strip()))

    @Slot()
    def _on_buttons_accepted(self) -> None:
        note = self.note.toPlainText().strip()
        department = self.department
        self.ok_button.setEnabled(False)
        self.message_label.clear()
        MutationOp(
            self._desk.tasks,
            self,
            op=lambda s: supervision.urge_department(s, department=department, note=note),
            changes=lambda done: done.changes,
            success=self._on_urged,
            failure=self._on_failed,
        ).run()

    def _on_urged(self, done: DepartmentUrged) -> None:
        self.sig_done.emit(done)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.message_label.setText(str(error))
        self.ok_button.setEnabled(True)


class SupervisionView(QWidget):
    """The late cases per department, live, and the urge of a department."""

    sig_case_selected = Signal(object)
    """The current case changed: the ``CaseRow``, or None."""

    sig_counts_changed = Signal(object)
    """The departments' counts were read again: the list of ``DepartmentLate``."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.counts: list[DepartmentLate] = []
        self.urge_dialog: UrgeDepartmentDialog | None = None
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._build_ui()
        self._connect()
        self.reload()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.departments = QTreeWidget()
        self.departments.setObjectName("late_departments")
        self.departments.setRootIsDecorated(False)
        self.departments.setHeaderLabels(
            [self.tr("Department"), self.tr("Near deadline"), self.tr("Overdue")]
        )
        header = self.departments.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.departments.setMinimumWidth(250)
        self.departments.setMaximumWidth(340)
        layout.addWidget(self.departments)
        right = QVBoxLayout()
        bar = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("late_summary")
        bar.addWidget(self.summary)
        # What the last urge of a department did (the summary is rewritten by each reload).
        self.outcome = QLabel()
        self.outcome.setObjectName("urge_outcome")
        self.outcome.setStyleSheet("color: #2e7d32;")
        bar.addWidget(self.outcome, 1)
        self.urge_button = QPushButton(self.tr("Urge all overdue…"))
        self.urge_button.setObjectName("urge_department")
        self.urge_button.setToolTip(
            self.tr("Urge every overdue case of the chosen department with one note")
        )
        self.urge_button.setEnabled(False)
        bar.addWidget(self.urge_button)
        right.addLayout(bar)
        self.model = CaseTableModel(self._desk.tasks, supervision.late_query(), self)
        self.table = QTableView()
        self.table.setObjectName("late_cases")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        for column in (Column.SOURCE, Column.GRID):
            self.table.hideColumn(column)
        self.table.setColumnWidth(Column.NUMBER, 110)
        self.table.setColumnWidth(Column.ADDRESS, 220)
        right.addWidget(self.table, 1)
        layout.addLayout(right, 1)

    def _connect(self) -> None:
        self._desk.tasks.sig_data_changed.connect(self._on_tasks_data_changed)
        self._reload_timer.timeout.connect(self.reload)
        self.departments.currentItemChanged.connect(self._on_departments_current_item_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.urge_button.clicked.connect(self._on_urge_button_clicked)

    # ---- Public API

    def reload(self) -> None:
        """Read the counts and the shown cases again."""
        QueryOp(
            self._desk.tasks, self, op=supervision.late_by_department, success=self._on_counts
        ).run()
        self.model.refresh()

    def department(self) -> str | None:
        """The chosen department's code; None for every department."""
        item = self.departments.currentItem()
        code = item.data(0, CODE_ROLE) if item is not None else None
        return str(code) if code else None

    def show_department(self, code: str | None) -> None:
        for i in range(self.departments.topLevelItemCount()):
            item = self.departments.topLevelItem(i)
            if item is not None and (item.data(0, CODE_ROLE) or None) == code:
                self.departments.setCurrentItem(item)
                return

    def current_case(self) -> CaseRow | None:
        index = self.table.currentIndex()
        return self.model.case_at(index.row()) if index.isValid() else None

    def overdue_of(self, code: str | None) -> int:
        if code is None:
            return sum(d.overdue for d in self.counts)
        return next((d.overdue for d in self.counts if d.code == code), 0)

    def open_urge_dialog(self) -> UrgeDepartmentDialog | None:
        """The urge of the chosen department's overdue cases (opened, not modal to the
        app); None without a department."""
        code = self.department()
        if code is None:
            return None
        dialog = UrgeDepartmentDialog(self._desk, code, self.overdue_of(code), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_done.connect(self._on_urged)
        self.urge_dialog = dialog
        dialog.open()
        return dialog

    # ---- Private slots

    @Slot(object, object)
    def _on_tasks_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if changes.case_ids or "cases" in changes.entities:
            self._reload_timer.start()

    def _on_counts(self, counts: list[DepartmentLate]) -> None:
        self.counts = counts
        chosen = self.department()
        self.departments.blockSignals(True)
        self.departments.clear()
        everyone = QTreeWidgetItem([
            self.tr("All departments"),
            str(sum(d.warning for d in counts)),
            str(sum(d.overdue for d in counts)),
        ])
        everyone.setData(0, CODE_ROLE, "")
        self._paint(everyone, sum(d.overdue for d in counts))
        self.departments.addTopLevelItem(everyone)
        current = everyone
        for d in counts:
            if d.code is None:
                continue  # still at the centre: counted in "All departments"
            name = d.name or self._desk.reference.department_name(d.code) or d.code
            item = QTreeWidgetItem([name, str(d.warning), str(d.overdue)])
            item.setData(0, CODE_ROLE, d.code)
            self._paint(item, d.overdue)
            self.departments.addTopLevelItem(item)
            if d.code == chosen:
                current = item
        self.departments.setCurrentItem(current)
        self.departments.blockSignals(False)
        warning = sum(d.warning for d in counts)
        overdue = sum(d.overdue for d in counts)
        self.summary.setText(
            self.tr("{overdue} overdue · {warning} near the deadline").format(
                overdue=overdue, warning=warning
            )
        )
        self._update_urge_button()
        if (current.data(0, CODE_ROLE) or None) != chosen:
            self._show_cases(None)  # the chosen department has nothing late any more
        self.sig_counts_changed.emit(counts)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_departments_current_item_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        code = current.data(0, CODE_ROLE) if current is not None else None
        self._show_cases(str(code) if code else None)
        self._update_urge_button()

    @Slot()
    def _on_table_current_changed(self) -> None:
        self.sig_case_selected.emit(self.current_case())

    @Slot()
    def _on_urge_button_clicked(self) -> None:
        self.open_urge_dialog()

    def _on_urged(self, done: DepartmentUrged) -> None:
        name = self._desk.reference.department_name(done.department) or done.department
        key = "supervision.department_urged" if done.urged else "supervision.nothing_overdue"
        self.outcome.setText(messages.t(key, count=done.urged, department=name))

    # ---- Private

    def _show_cases(self, code: str | None) -> None:
        self.model.set_query(supervision.late_query(code))
        self.sig_case_selected.emit(None)

    def _update_urge_button(self) -> None:
        code = self.department()
        self.urge_button.setEnabled(code is not None and self.overdue_of(code) > 0)

    def _paint(self, item: QTreeWidgetItem, overdue: int) -> None:
        item.setForeground(1, QBrush(_YELLOW))
        item.setForeground(2, QBrush(_RED))
        if overdue:
            font = item.font(2)
            font.setBold(True)
            item.setFont(2, font)
        for column in (1, 2):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
