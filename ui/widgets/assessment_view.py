"""考核: the staff assessment of a month, for the admin panel (and the inspector).

A month picker; the month's ranking (best first, equal scores sharing a rank), the
bottom's rows in pale red and the ones at the bottom two months running (末位淘汰) in
bold red; the entry dialog (staff, rule, count, date, reason), which records through the
database's function and stays open with the reason when it refuses; the suggestions
the data offer (late steps, overdue tasks), each accepted or dismissed by the manager;
and the export of the month to Excel with progress and Cancel. Everything reloads on
the "assessment" change notice, whichever desk wrote.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seatdesk import messages
from seatdesk.domain.glossary import Role, RuleUnit
from seatdesk.domain.statistics import Month
from seatdesk.services import assessment, assessment_workbook
from seatdesk.services.assessment import MonthView, RankRow, RuleRow, Staff, Suggestion
from seatdesk.services.common import ChangeSet
from seatdesk.terms import term
from ui.desk import Desk
from ui.tasks import LongOp, MutationOp, QueryOp

RELOAD_DELAY_MS = 200
_BOTTOM = QColor("#f8d7da")
_RED = QColor("#c62828")


def _changes(_result: object) -> ChangeSet:
    return assessment.CHANGES


def _number(value: Decimal) -> str:
    """97.00 → "97", 1.50 → "1.5" (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def _points(value: Decimal) -> str:
    return ("+" if value > 0 else "") + _number(value) if value else "0"


class AssessmentEntryDialog(QDialog):
    """One entry: who, which rule, how many, when, why. Records it itself and stays open
    with the database's reason when it refuses."""

    sig_recorded = Signal(object)
    """The entry was committed: its ``EntryId``."""

    def __init__(self, desk: Desk, staff: list[Staff], rules: list[RuleRow], day: date,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self._desk = desk
        self.setObjectName("assessment_entry_dialog")
        self.setWindowTitle(self.tr("New assessment entry"))
        form = QFormLayout(self)
        self.staff = QComboBox()
        self.staff.setObjectName("staff")
        for s in staff:
            self.staff.addItem(f"{s.name} ({term(s.kind)} {s.staff_id})", s)
        form.addRow(self.tr("Staff member"), self.staff)
        lang = messages.language()
        self.rule = QComboBox()
        self.rule.setObjectName("rule")
        for r in rules:
            self.rule.addItem(
                f"{r.title(lang)}  {_points(r.points * r.multiplier)} / {term(r.unit)}", r)
        form.addRow(self.tr("Rule"), self.rule)
        self.count = QDoubleSpinBox()
        self.count.setObjectName("count")
        self.count.setRange(0.5, 1000)
        self.count.setValue(1)
        form.addRow(self.tr("Count"), self.count)
        self.day = QDateEdit(QDate(day.year, day.month, day.day))
        self.day.setObjectName("day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        form.addRow(self.tr("Date"), self.day)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("What happened, and who found it"))
        form.addRow(self.tr("Reason"), self.reason)
        self.message_label = QLabel()
        self.message_label.setObjectName("message")
        self.message_label.setStyleSheet("color: #c62828;")
        self.message_label.setWordWrap(True)
        form.addRow(self.message_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Record"))
        self.ok_button.setEnabled(False)
        form.addRow(buttons)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._on_reason_text_changed)
        self.rule.currentIndexChanged.connect(self._on_rule_current_index_changed)
        self._on_rule_current_index_changed()

    @Slot()
    def _on_reason_text_changed(self) -> None:
        self.ok_button.setEnabled(bool(self.reason.toPlainText().strip()))

    @Slot()
    def _on_rule_current_index_changed(self) -> None:
        rule = self.rule.currentData()
        # Points of a check may be fractions; occurrences and ten-yuan steps are whole.
        whole = rule is None or rule.unit is not RuleUnit.POINT
        self.count.setDecimals(0 if whole else 1)
        self.count.setSingleStep(1 if whole else 0.5)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        who: Staff = self.staff.currentData()
        rule: RuleRow = self.rule.currentData()
        count = Decimal(str(round(self.count.value(), 1)))
        picked = self.day.date()
        day = date(picked.year(), picked.month(), picked.day())
        reason = self.reason.toPlainText().strip()
        self.ok_button.setEnabled(False)
        self.message_label.clear()
        MutationOp(
            self._desk.tasks, self,
            op=lambda s: assessment.record(s, kind=who.kind, staff_id=who.staff_id,
                                           rule=rule.code, count=count, occurred_on=day,
                                           reason=reason),
            changes=_changes, success=self._on_recorded, failure=self._on_failed,
        ).run()

    def _on_recorded(self, entry: object) -> None:
        self.sig_recorded.emit(entry)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.message_label.setText(str(error))
        self.ok_button.setEnabled(True)


class AssessmentView(QWidget):
    """The month's ranking, its entries' dialog, the suggestions and the export."""

    sig_ranking_changed = Signal(object)
    """The ranking was read again: the list of ``RankRow``."""

    sig_exported = Signal(object)
    """An export was written: its ``Path``."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.rows: list[RankRow] = []
        self.pending: list[Suggestion] = []
        self.staff: list[Staff] = []
        self.rules: list[RuleRow] = []
        self.entry_dialog: AssessmentEntryDialog | None = None
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._build_ui()
        self._connect()
        self.reload()

    def _build_ui(self) -> None:
        # Recording and deciding are the managers' (the database refuses anyone else);
        # the shift leader reads and exports.
        manages = self._desk.has(Role.ADMIN) or self._desk.has(Role.INSPECTOR)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Month")))
        today = QDate.currentDate()
        self.month_edit = QDateEdit(QDate(today.year(), today.month(), 1))
        self.month_edit.setObjectName("month")
        self.month_edit.setDisplayFormat("yyyy-MM")
        self.month_edit.setCalendarPopup(True)
        bar.addWidget(self.month_edit)
        self.summary = QLabel()
        self.summary.setObjectName("assessment_summary")
        bar.addWidget(self.summary, 1)
        self.entry_button = QPushButton(self.tr("New entry…"))
        self.entry_button.setObjectName("new_entry")
        self.entry_button.setVisible(manages)
        bar.addWidget(self.entry_button)
        self.suggest_button = QPushButton(self.tr("Suggest from the data"))
        self.suggest_button.setObjectName("suggest")
        self.suggest_button.setVisible(manages)
        self.suggest_button.setToolTip(self.tr(
            "Offer entries for late steps of seat users and overdue tasks of collectors"))
        bar.addWidget(self.suggest_button)
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setObjectName("export")
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical)
        headers = [self.tr("Rank"), self.tr("Type"), self.tr("Staff id"), self.tr("Name"),
                   self.tr("Deductions"), self.tr("Additions"), self.tr("Score"),
                   self.tr("Bottom"), self.tr("Bottom two months")]
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName("ranking")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        split.addWidget(self.table)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(QLabel(self.tr("Suggested entries (nothing counts until accepted)")))
        self.suggestions = QTableWidget(0, 4)
        self.suggestions.setObjectName("suggestions")
        self.suggestions.setHorizontalHeaderLabels(
            [self.tr("Staff member"), self.tr("Rule"), self.tr("Points"), self.tr("Why")])
        self.suggestions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.suggestions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.suggestions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.suggestions.verticalHeader().hide()
        self.suggestions.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        lower_layout.addWidget(self.suggestions)
        buttons = QHBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("assessment_message")
        self.message.setWordWrap(True)
        buttons.addWidget(self.message, 1)
        self.accept_button = QPushButton(self.tr("Accept"))
        self.accept_button.setObjectName("accept_suggestion")
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setObjectName("dismiss_suggestion")
        for button in (self.accept_button, self.dismiss_button):
            button.setEnabled(False)
            button.setVisible(manages)
            buttons.addWidget(button)
        lower_layout.addLayout(buttons)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)

    def _connect(self) -> None:
        self._desk.tasks.sig_data_changed.connect(self._on_tasks_data_changed)
        self._reload_timer.timeout.connect(self.reload)
        self.month_edit.dateChanged.connect(self._on_month_edit_date_changed)
        self.entry_button.clicked.connect(self._on_entry_button_clicked)
        self.suggest_button.clicked.connect(self._on_suggest_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.accept_button.clicked.connect(self._on_accept_button_clicked)
        self.dismiss_button.clicked.connect(self._on_dismiss_button_clicked)
        self.suggestions.itemSelectionChanged.connect(self._on_suggestions_selection_changed)

    # ---- Public API

    def month(self) -> Month:
        d = self.month_edit.date()
        return Month(d.year(), d.month())

    def set_month(self, month: Month) -> None:
        self.month_edit.setDate(QDate(month.year, month.month, 1))

    def reload(self) -> None:
        """Read the month's ranking and pending suggestions (and the choices) again."""
        month = self.month()

        QueryOp(self._desk.tasks, self, op=lambda s: assessment.month_view(s, month),
                success=self._on_read, failure=self._on_failed).run()

    def open_entry_dialog(self) -> AssessmentEntryDialog:
        """The entry dialog (opened, not modal to the app), dated today within the
        shown month or its last day."""
        month = self.month()
        last = date.fromordinal(month.next().first_day.toordinal() - 1)
        day = min(date.today(), last)
        dialog = AssessmentEntryDialog(self._desk, self.staff, self.rules, day, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.entry_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> LongOp[Path]:
        """Write the shown month to ``path`` off the GUI thread, with progress."""
        month = self.month()
        op = LongOp(
            self._desk.tasks, self,
            title=self.tr("Exporting the assessment of {month}…").format(month=month),
            op=lambda s, progress: assessment_workbook.export_month(s, month, path, progress),
            success=self._on_exported, failure=self._on_failed,
        )
        op.run()
        return op

    # ---- Private slots

    @Slot(object, object)
    def _on_tasks_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if "assessment" in changes.entities or "users" in changes.entities:
            self._reload_timer.start()

    @Slot()
    def _on_month_edit_date_changed(self) -> None:
        self._reload_timer.start()

    @Slot()
    def _on_entry_button_clicked(self) -> None:
        self.open_entry_dialog()

    @Slot()
    def _on_suggest_button_clicked(self) -> None:
        month = self.month()
        MutationOp(self._desk.tasks, self, op=lambda s: assessment.suggest(s, month),
                   changes=_changes, success=self._on_suggested, failure=self._on_failed).run()

    @Slot()
    def _on_export_button_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the assessment"),
            self.tr("assessment-{month}.xlsx").format(month=self.month()),
            self.tr("Excel workbook (*.xlsx)"))
        if name:
            self.export_to(Path(name))

    @Slot()
    def _on_accept_button_clicked(self) -> None:
        self._decide(accept=True)

    @Slot()
    def _on_dismiss_button_clicked(self) -> None:
        self._decide(accept=False)

    @Slot()
    def _on_suggestions_selection_changed(self) -> None:
        chosen = self._chosen_suggestion() is not None
        self.accept_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen)

    def _on_read(self, view: MonthView) -> None:
        self.rows, self.pending = view.ranking, view.suggestions
        self.staff, self.rules = view.staff, view.rules
        self._fill_ranking()
        self._fill_suggestions()
        self.sig_ranking_changed.emit(self.rows)

    def _on_suggested(self, count: int) -> None:
        self.message.setText(self.tr("{n} new suggestions.").format(n=count))

    def _on_exported(self, path: Path) -> None:
        self.message.setText(messages.t("assessment.written", month=str(self.month()),
                                        path=path))
        self.sig_exported.emit(path)

    def _on_failed(self, error: BaseException) -> None:
        self.message.setText(str(error))

    # ---- Private

    def _chosen_suggestion(self) -> Suggestion | None:
        rows = self.suggestions.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.pending):
            return None
        return self.pending[rows[0].row()]

    def _decide(self, *, accept: bool) -> None:
        chosen = self._chosen_suggestion()
        if chosen is None:
            return
        sid = chosen.suggestion_id
        MutationOp(self._desk.tasks, self,
                   op=lambda s: assessment.decide(s, suggestion_id=sid, accept=accept),
                   changes=_changes, success=lambda _e: None, failure=self._on_failed).run()

    def _fill_ranking(self) -> None:
        self.table.setRowCount(len(self.rows))
        yes = self.tr("yes")
        bold = QFont()
        bold.setBold(True)
        for i, r in enumerate(self.rows):
            cells = [str(r.rank), term(r.kind), r.staff_id, r.name, _points(r.deductions),
                     _points(r.additions), _number(r.score), yes if r.bottom else "",
                     self.tr("Eliminate") if r.eliminate else ""]
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if col in (0, 4, 5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if r.bottom:
                    item.setBackground(QBrush(_BOTTOM))
                if r.eliminate:
                    item.setForeground(QBrush(_RED))
                    item.setFont(bold)
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        bottom = sum(r.bottom for r in self.rows)
        eliminate = sum(r.eliminate for r in self.rows)
        self.summary.setText(self.tr(
            "{n} ranked · {bottom} at the bottom · {eliminate} two months running").format(
                n=len(self.rows), bottom=bottom, eliminate=eliminate))

    def _fill_suggestions(self) -> None:
        rules = {r.code: r for r in self.rules}
        lang = messages.language()
        self.suggestions.setRowCount(len(self.pending))
        for i, s in enumerate(self.pending):
            rule = rules.get(s.rule)
            points = rule.points * rule.multiplier * s.count if rule else Decimal(0)
            cells = [f"{s.name} ({term(s.kind)})", rule.title(lang) if rule else s.rule,
                     _points(points),
                     messages.t(f"assessment.suggested_by.{s.counter}", value=s.value)]
            for col, value in enumerate(cells):
                self.suggestions.setItem(i, col, QTableWidgetItem(value))
        self.suggestions.resizeColumnsToContents()
        self.suggestions.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self._on_suggestions_selection_changed()
