"""考核: the staff assessment of a month, for the admin panel (and the inspector).

A month picker; the month's ranking (best first, equal scores sharing a rank), the
bottom's rows in pale red and the ones at the bottom two months running (末位淘汰) in
bold red; the entry dialog (staff, rule, count, date, reason), which records through the
database's function and stays open with the reason when it refuses; the suggestions
the data offer (late steps, a collector's overdue tasks and grids not patrolled to their
density), each accepted or dismissed by the manager; and the export of the month to
Excel with progress and Cancel. Everything reloads on the "assessment" change notice,
whichever desk wrote (and on "collectors": the register names and ranks them).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from seatdesk import messages
from seatdesk.domain.glossary import Role
from seatdesk.domain.statistics import Month
from seatdesk.services import assessment, assessment_workbook
from seatdesk.services.assessment import Entry, MonthView, RankRow, RuleRow, Staff, Suggestion
from seatdesk.services.common import ChangeSet
from seatdesk.terms import term
from ui.desk import Desk
from ui.dialogs.assessment_entry_dialog import AssessmentEntryDialog, assessment_changes
from ui.i18n import date_edit
from ui.models.assessment_ranking_model import AssessmentRankingModel, RankColumn, points_text
from ui.tasks import LongOp, MutationOp, QueryOp

RELOAD_DELAY_MS = 200


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
        self.recorded: list[Entry] = []
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
        self.month_edit = date_edit(QDate(today.year(), today.month(), 1))
        self.month_edit.setObjectName("month")
        # A month is what is ranked: the day of the date field is not shown.
        self.month_edit.setDisplayFormat("yyyy-MM")
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
            "Offer entries for seat users' late steps, and for collectors' overdue tasks "
            "and grids not patrolled to their density"))
        bar.addWidget(self.suggest_button)
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setObjectName("export")
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical)
        self.model = AssessmentRankingModel(self)
        self.table = QTableView()
        self.table.setObjectName("ranking")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            RankColumn.NAME, QHeaderView.ResizeMode.Stretch)
        split.addWidget(self.table)
        tabs = QTabWidget()
        tabs.setObjectName("assessment_tabs")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.suggestions = self._table("suggestions", [
            self.tr("Staff member"), self.tr("Rule"), self.tr("Points"), self.tr("Why")])
        lower_layout.addWidget(self.suggestions)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.accept_button = QPushButton(self.tr("Accept"))
        self.accept_button.setObjectName("accept_suggestion")
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setObjectName("dismiss_suggestion")
        for button in (self.accept_button, self.dismiss_button):
            button.setEnabled(False)
            button.setVisible(manages)
            buttons.addWidget(button)
        lower_layout.addLayout(buttons)
        tabs.addTab(lower, self.tr("Suggested entries (nothing counts until accepted)"))
        recorded = QWidget()
        recorded_layout = QVBoxLayout(recorded)
        recorded_layout.setContentsMargins(0, 0, 0, 0)
        self.entries = self._table("entries", [
            self.tr("No."), self.tr("Date"), self.tr("Staff member"), self.tr("Rule"),
            self.tr("Points"), self.tr("Reason"), self.tr("Recorded by"), self.tr("Reversal")])
        recorded_layout.addWidget(self.entries)
        reverse_bar = QHBoxLayout()
        self.reverse_reason = QLineEdit()
        self.reverse_reason.setObjectName("reverse_reason")
        self.reverse_reason.setPlaceholderText(self.tr("Why the chosen entry is reversed"))
        reverse_bar.addWidget(self.reverse_reason, 1)
        self.reverse_button = QPushButton(self.tr("Reverse"))
        self.reverse_button.setObjectName("reverse_entry")
        self.reverse_button.setToolTip(self.tr(
            "Entries are never changed: a new entry of the opposite points corrects one"))
        self.reverse_button.setEnabled(False)
        for widget in (self.reverse_reason, self.reverse_button):
            widget.setVisible(manages)
        reverse_bar.addWidget(self.reverse_button)
        recorded_layout.addLayout(reverse_bar)
        tabs.addTab(recorded, self.tr("Entries of the month"))
        self.tabs = tabs
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(tabs, 1)
        self.message = QLabel()
        self.message.setObjectName("assessment_message")
        self.message.setWordWrap(True)
        bottom_layout.addWidget(self.message)
        lower = bottom
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
        self.entries.itemSelectionChanged.connect(self._on_entries_selection_changed)
        self.reverse_reason.textChanged.connect(self._on_entries_selection_changed)
        self.reverse_button.clicked.connect(self._on_reverse_button_clicked)

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
        if changes.entities & {"assessment", "users", "collectors"}:
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
                   changes=assessment_changes, success=self._on_suggested,
                   failure=self._on_failed).run()

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

    @Slot()
    def _on_entries_selection_changed(self) -> None:
        entry = self._chosen_entry()
        self.reverse_button.setEnabled(
            entry is not None and entry.reverses is None and entry.reversed_by is None
            and bool(self.reverse_reason.text().strip()))

    @Slot()
    def _on_reverse_button_clicked(self) -> None:
        entry = self._chosen_entry()
        reason = self.reverse_reason.text().strip()
        if entry is None or not reason:
            return
        entry_id = entry.entry_id
        self.reverse_button.setEnabled(False)
        MutationOp(self._desk.tasks, self,
                   op=lambda s: assessment.reverse(s, entry_id=entry_id, reason=reason),
                   changes=assessment_changes, success=self._on_reversed,
                   failure=self._on_failed).run()

    def _on_reversed(self, _entry: object) -> None:
        self.reverse_reason.clear()

    def _on_read(self, view: MonthView) -> None:
        self.rows, self.pending = view.ranking, view.suggestions
        self.staff, self.rules, self.recorded = view.staff, view.rules, view.entries
        self._fill_ranking()
        self._fill_suggestions()
        self._fill_entries()
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

    def _table(self, name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        return table

    def _chosen_entry(self) -> Entry | None:
        rows = self.entries.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.recorded):
            return None
        return self.recorded[rows[0].row()]

    def _fill_entries(self) -> None:
        rules = {r.code: r for r in self.rules}
        names = {(s.kind, s.staff_id): s.name for s in self.staff}
        lang = messages.language()
        self.entries.setRowCount(len(self.recorded))
        for i, e in enumerate(self.recorded):
            rule = rules.get(e.rule)
            if e.reverses is not None:
                note = self.tr("reverses No. {n}").format(n=e.reverses)
            elif e.reversed_by is not None:
                note = self.tr("reversed by No. {n}").format(n=e.reversed_by)
            else:
                note = ""
            cells = [str(e.entry_id), e.occurred_on.isoformat(),
                     names.get((e.kind, e.staff_id), e.staff_id),
                     rule.title(lang) if rule else e.rule, points_text(e.points), e.reason,
                     e.recorded_by, note]
            for col, value in enumerate(cells):
                self.entries.setItem(i, col, QTableWidgetItem(value))
        self.entries.resizeColumnsToContents()
        self._on_entries_selection_changed()

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
                   changes=assessment_changes, success=lambda _e: None,
                   failure=self._on_failed).run()

    def _fill_ranking(self) -> None:
        self.model.set_rows(self.rows)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(
            RankColumn.NAME, QHeaderView.ResizeMode.Stretch)
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
                     points_text(points),
                     messages.t(f"assessment.suggested_by.{s.counter}", value=s.value)]
            for col, value in enumerate(cells):
                self.suggestions.setItem(i, col, QTableWidgetItem(value))
        self.suggestions.resizeColumnsToContents()
        self.suggestions.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self._on_suggestions_selection_changed()
