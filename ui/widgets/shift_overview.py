"""The shift overview of the shift leader: open cases per state, each seat's actions
since the shift began, and the yellow and red deadline counts. Re-read on changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.glossary import State
from seatdesk.services import ui_queries
from seatdesk.services.common import ChangeSet
from seatdesk.services.ui_queries import ShiftOverview
from ui.desk import Desk
from ui.labels import format_time, label
from ui.tasks import QueryOp

#: Shifts change at 08:00 and 20:00 (the centre's two 12-hour shifts).
SHIFT_STARTS = (8, 20)


def shift_start(now: datetime) -> datetime:
    """When the current shift began, in local time."""
    local = now.astimezone()
    starts = [local.replace(hour=h, minute=0, second=0, microsecond=0) for h in SHIFT_STARTS]
    starts.append(starts[-1] - timedelta(days=1))
    return max(s for s in starts if s <= local)


class ShiftOverviewWidget(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(500)
        self._build_ui()
        self._timer.timeout.connect(self.reload)
        desk.tasks.sig_data_changed.connect(self._on_data_changed)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.since_label = QLabel()
        layout.addWidget(self.since_label)
        lights = QGridLayout()
        self.warning_label = QLabel("—")
        self.overdue_label = QLabel("—")
        for i, (text, value, color) in enumerate(
            (
                (self.tr("Near deadline"), self.warning_label, "#b28704"),
                (self.tr("Overdue"), self.overdue_label, "#c62828"),
            )
        ):
            lights.addWidget(QLabel(text), 0, 2 * i)
            value.setObjectName(f"lights_{i}")
            value.setStyleSheet(f"font-size: 20pt; font-weight: bold; color: {color};")
            lights.addWidget(value, 0, 2 * i + 1)
        layout.addLayout(lights)
        states_box = QGroupBox(self.tr("Open cases per state"))
        self.states_table = self._table(states_box, [self.tr("State"), self.tr("Cases")])
        seats_box = QGroupBox(self.tr("Actions per seat this shift"))
        self.seats_table = self._table(seats_box, [self.tr("Seat"), self.tr("Actions")])
        layout.addWidget(states_box, 1)
        layout.addWidget(seats_box, 1)

    def _table(self, box: QGroupBox, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, 2)
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        QVBoxLayout(box).addWidget(table)
        return table

    # ---- Public API

    def reload(self) -> None:
        since = shift_start(datetime.now().astimezone())
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: ui_queries.shift_overview(s, since),
            success=self._on_loaded,
        ).run()

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    # ---- Private slots

    @Slot(object, object)
    def _on_data_changed(self, _changes: ChangeSet, _initiator: object) -> None:
        if self.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def _on_loaded(self, overview: ShiftOverview) -> None:
        self.since_label.setText(
            self.tr("Shift since {when}").format(when=format_time(overview.since))
        )
        self.warning_label.setText(str(overview.warning))
        self.overdue_label.setText(str(overview.overdue))
        states = sorted(overview.per_state.items(), key=lambda kv: list(State).index(kv[0]))
        self._fill(self.states_table, [(label(s), n) for s, n in states])
        self._fill(
            self.seats_table,
            [(f"{a.display_name} ({a.login})", a.actions) for a in overview.per_seat],
        )

    def _fill(self, table: QTableWidget, rows: list[tuple[str, int]]) -> None:
        table.setRowCount(len(rows))
        for i, (name, n) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(name))
            count = QTableWidgetItem(str(n))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(i, 1, count)
