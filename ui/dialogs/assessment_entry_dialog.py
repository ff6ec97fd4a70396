"""The entry of the staff assessment (考核): who, which rule, how many, when, why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from seatdesk import messages
from seatdesk.domain.glossary import RuleUnit
from seatdesk.services import assessment
from seatdesk.services.assessment import RuleRow, Staff
from seatdesk.services.common import ChangeSet
from seatdesk.terms import term
from ui.desk import Desk
from ui.i18n import date_edit
from ui.models.assessment_ranking_model import points_text
from ui.tasks import MutationOp


def assessment_changes(_result: object) -> ChangeSet:
    """What an assessment write changed, for ``sig_data_changed``."""
    return assessment.CHANGES


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
                f"{r.title(lang)}  {points_text(r.points * r.multiplier)} / {term(r.unit)}", r)
        form.addRow(self.tr("Rule"), self.rule)
        self.count = QDoubleSpinBox()
        self.count.setObjectName("count")
        self.count.setRange(0.5, 1000)
        self.count.setValue(1)
        form.addRow(self.tr("Count"), self.count)
        self.day = date_edit(QDate(day.year, day.month, day.day))
        self.day.setObjectName("day")
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
            changes=assessment_changes, success=self._on_recorded, failure=self._on_failed,
        ).run()

    def _on_recorded(self, entry: object) -> None:
        self.sig_recorded.emit(entry)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.message_label.setText(str(error))
        self.ok_button.setEnabled(True)


