"""随机回访抽查: the random sample of replied complaints the inspector checks by callback.

Choose a period (last month by default) and draw: the database draws the sample once
for that period, at the centre's share (``StatsSettings.callback_sample_share``), and
keeps who drew it, when and the seed; drawing again shows the same sample, to every
inspector. The list shows each drawn complaint masked (the name as 王**, never the
phone) with its callback so far; the 12319 monitor seat records the callbacks (with the
audited reveal of the contacts), and the list follows them live.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.domain.glossary import ComplaintState
from seatdesk.services import supervision
from seatdesk.services.common import ChangeSet
from seatdesk.services.supervision import CallbackSample, SampleItem
from ui.desk import Desk
from ui.i18n import date_edit
from ui.labels import format_time, label
from ui.tasks import MutationOp, QueryOp

RELOAD_DELAY_MS = 300


def last_month(today: date) -> tuple[date, date]:
    """The first and the last day of the month before ``today``'s."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class CallbackSampleView(QWidget):
    """A period, its draw and the drawn complaints."""

    sig_sample_shown = Signal(object)
    """A sample (``CallbackSample``) or None (nothing drawn for the period) is shown."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.sample: CallbackSample | None = None
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._build_ui()
        self._connect()
        self.reload()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        start, end = last_month(date.today())
        self.from_edit = date_edit(QDate(start.year, start.month, start.day))
        self.from_edit.setObjectName("sample_from")
        self.to_edit = date_edit(QDate(end.year, end.month, end.day))
        self.to_edit.setObjectName("sample_to")
        bar.addWidget(QLabel(self.tr("Replied from")))
        bar.addWidget(self.from_edit)
        bar.addWidget(QLabel(self.tr("to")))
        bar.addWidget(self.to_edit)
        self.draw_button = QPushButton(self.tr("Draw the sample"))
        self.draw_button.setObjectName("draw_sample")
        self.draw_button.setToolTip(
            self.tr("Draw the callback sample of this period (once: it cannot be re-rolled)")
        )
        bar.addWidget(self.draw_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.summary = QLabel()
        self.summary.setObjectName("sample_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("sample_items")
        # The content last: it takes the width that is left.
        self.table.setHorizontalHeaderLabels([
            self.tr("No."), self.tr("Complaint"), self.tr("Channel"), self.tr("Complainant"),
            self.tr("Replied"), self.tr("Callback"), self.tr("Content"),
        ])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)

    def _connect(self) -> None:
        self._desk.tasks.sig_data_changed.connect(self._on_tasks_data_changed)
        self._reload_timer.timeout.connect(self.reload)
        self.from_edit.dateChanged.connect(self._on_period_changed)
        self.to_edit.dateChanged.connect(self._on_period_changed)
        self.draw_button.clicked.connect(self._on_draw_button_clicked)

    # ---- Public API

    def period(self) -> tuple[date, date]:
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()  # type: ignore[return-value]

    def set_period(self, start: date, end: date) -> None:
        for edit, day in ((self.from_edit, start), (self.to_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        start, end = self.period()
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: supervision.find_sample(s, period_from=start, period_to=end),
            success=self._show,
        ).run()

    def draw(self) -> None:
        start, end = self.period()

        def draw_and_read(session: Session) -> CallbackSample | None:
            sample_id = supervision.draw_sample(session, period_from=start, period_to=end)
            return supervision.get_sample(session, sample_id)

        self.draw_button.setEnabled(False)
        MutationOp(
            self._desk.tasks,
            self,
            op=draw_and_read,
            changes=lambda _sample: ChangeSet(),
            success=self._show,
            failure=self._on_draw_failed,
        ).run()

    # ---- Private slots

    @Slot(object, object)
    def _on_tasks_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if "complaints" in changes.entities and self.sample is not None:
            self._reload_timer.start()

    @Slot()
    def _on_period_changed(self) -> None:
        self._reload_timer.start()

    @Slot()
    def _on_draw_button_clicked(self) -> None:
        self.draw()

    def _on_draw_failed(self, error: BaseException) -> None:
        self.summary.setText(str(error))
        self.draw_button.setEnabled(True)

    def _show(self, sample: CallbackSample | None) -> None:
        if sample is not None and (sample.period_from, sample.period_to) != self.period():
            return  # another period was chosen meanwhile
        self.sample = sample
        start, end = self.period()
        self.draw_button.setEnabled(sample is None)
        if sample is None:
            self.summary.setText(messages.t("supervision.no_sample", start=start, end=end))
            self.table.setRowCount(0)
        else:
            self.summary.setText(messages.t(
                "supervision.sample_summary", drawn=len(sample.items),
                population=sample.population, start=start, end=end,
                share=f"{float(sample.share):.0%}", who=sample.drawn_by,
                when=format_time(sample.drawn_at), called=sample.called_back,
            ))
            self.table.setRowCount(len(sample.items))
            for row, item in enumerate(sample.items):
                for column, value in enumerate(self._cells(item)):
                    cell = QTableWidgetItem(value)
                    if column == 0:
                        cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.table.setItem(row, column, cell)
            self.table.resizeColumnsToContents()
        self.sig_sample_shown.emit(sample)

    def _cells(self, item: SampleItem) -> list[str]:
        if item.state is ComplaintState.CALLED_BACK:
            callback = (
                label(item.callback_satisfaction) if item.callback_reached
                else self.tr("Not reached")
            ) + " · " + format_time(item.called_back_at)
        else:
            callback = self.tr("Not yet called back")
        content = item.content if len(item.content) <= 60 else item.content[:59] + "…"
        return [
            str(item.rank), item.number, label(item.channel), item.complainant_masked or "",
            format_time(item.replied_at), callback, content,
        ]
