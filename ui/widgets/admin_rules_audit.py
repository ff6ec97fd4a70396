"""The latest audited changes of some of the centre's rules (``rules_events``), newest
first, re-read when they change: a box the admin's rule widgets share."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seatdesk.services import rules
from seatdesk.services.common import ChangeSet
from seatdesk.services.rules import RulesEvent
from ui.desk import Desk
from ui.labels import format_time
from ui.tasks import QueryOp

# The audited tables and kinds of change in the reader's words (context
# ``RulesAuditBox``); one not listed shows as it is stored.
WORDS: dict[str, str] = {
    "time_limits": str(QT_TRANSLATE_NOOP("RulesAuditBox", "Stage limits")),
    "centre_settings": str(QT_TRANSLATE_NOOP("RulesAuditBox", "Centre settings")),
    "categories": str(QT_TRANSLATE_NOOP("RulesAuditBox", "Classes")),
    "filing_conditions": str(QT_TRANSLATE_NOOP("RulesAuditBox", "Filing conditions")),
    "open311_services": str(QT_TRANSLATE_NOOP("RulesAuditBox", "Open311 service codes")),
    "grids": str(QT_TRANSLATE_NOOP("RulesAuditBox", "Grids")),
    "insert": str(QT_TRANSLATE_NOOP("RulesAuditBox", "Added")),
    "update": str(QT_TRANSLATE_NOOP("RulesAuditBox", "Changed")),
    "delete": str(QT_TRANSLATE_NOOP("RulesAuditBox", "Removed")),
}


def word(stored: str) -> str:
    source = WORDS.get(stored)
    return stored if source is None else QCoreApplication.translate("RulesAuditBox", source)


# How many changes the box shows.
SHOWN = 50


class RulesAuditBox(QGroupBox):
    def __init__(self, desk: Desk, subjects: tuple[str, ...], entities: frozenset[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Latest changes"))
        self._desk = desk
        self._subjects = subjects
        self._entities = entities | {"reconnected"}
        self._stale = True
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("By"), self.tr("Table"), self.tr("Change"),
             self.tr("What")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for col in range(4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        QVBoxLayout(self).addWidget(self.table)
        desk.tasks.sig_data_changed.connect(self._on_data_changed)

    # ---- Public API

    def reload(self) -> None:
        subjects = self._subjects
        QueryOp(self._desk.tasks, self, op=lambda s: rules.rules_events(s, subjects, SHOWN),
                success=self._on_loaded).run()

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    # ---- Private slots

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if changes.entities & self._entities:
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def _on_loaded(self, events: list[RulesEvent]) -> None:
        self.table.setRowCount(len(events))
        for i, e in enumerate(events):
            values = (format_time(e.at), e.actor, word(e.subject), word(e.action),
                      rules.describe_event(e))
            for col, value in enumerate(values):
                self.table.setItem(i, col, QTableWidgetItem(value))
