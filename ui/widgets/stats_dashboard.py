"""The inspector's statistics dashboard: cases per day, the on-time rate per
department, the overdue count, the top grids and the indices, for the period and the
filters of its bar; with the Excel export and the monthly report a click away.

The figures come from an injected ``StatsLoader`` (the core's statistics, as
``StatTable``s): the dashboard knows the tables' contract, not how they are computed.
It loads through ``ui.tasks.QueryOp`` (never on the GUI thread), lets a newer request
supersede an older one (an older result arriving late is dropped, never painted over
the newer), and follows the desk's change notices by itself, at most once every
``REFRESH_INTERVAL_MS`` after the last load ended: a busy centre changes cases every
second, and each reload runs every statistic again (a slow load is followed by a
pause, not by the next load at once).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.db.reporting import Workload
from seatdesk.domain.statistics import Month, StatsFilter, StatTable
from seatdesk.progress import Progress
from seatdesk.services.common import ChangeSet
from ui.desk import Desk
from ui.dialogs.monthly_report_dialog import MonthlyReportDialog
from ui.tasks import LongOp, QueryOp
from ui.widgets.case_queue import user_settings
from ui.widgets.stats_charts import (
    HotGridsCard,
    IndicesCard,
    OnTimeCard,
    OverdueCard,
    StatCard,
    TrendCard,
)
from ui.widgets.stats_filter_bar import StatsFilterBar

# Computes the statistics of a filter (worker thread): the lead passes the core's.
StatsLoader = Callable[[Session, StatsFilter], Sequence[StatTable]]
# Writes the statistics of a filter to an Excel workbook at a path; returns the path.
StatsExporter = Callable[[Session, StatsFilter, Path, Progress], Path]
# Writes a month's report into a folder; returns the workbook's path.
MonthlyReporter = Callable[[Session, Month, Path, Progress], Path]


class StatsDashboard(QWidget):
    """The charts of the statistics of one period and filter."""

    sig_loaded = Signal(object, object)
    """New figures were painted: (the StatsFilter, the tuple of StatTables)."""

    sig_exported = Signal(object)
    """The statistics were written to Excel: the workbook's Path."""

    sig_reported = Signal(object)
    """A monthly report was written: the workbook's Path."""

    # Change notices reload the figures at most this often (ms after a load ended).
    REFRESH_INTERVAL_MS = 5_000
    # A change of the period or a filter loads once it has rested this long (ms).
    FILTER_DELAY_MS = 250

    def __init__(
        self,
        desk: Desk,
        loader: StatsLoader,
        parent: QWidget | None = None,
        *,
        exporter: StatsExporter | None = None,
        reporter: MonthlyReporter | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._loader = loader
        self._exporter = exporter
        self._reporter = reporter
        self.refresh_interval_ms = self.REFRESH_INTERVAL_MS
        self._generation = 0
        self._loading = False
        self._again = False  # a notice came while loading: reload once it is done
        self._stale = True  # not loaded since it was built or last hidden with news
        self._last_load = float("-inf")
        self.stats_filter: StatsFilter | None = None
        self.tables: dict[str, StatTable] = {}
        self._report_dialog: MonthlyReportDialog | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        # A day field's arrows or a few quick choices make one load, not one each: a
        # superseded load still runs to its end on a worker the queues share.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(self.FILTER_DELAY_MS)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.filter_bar = StatsFilterBar(self._desk)
        top.addWidget(self.filter_bar, 1)
        self.export_button = QPushButton(self.tr("Export statistics…"))
        self.export_button.setObjectName("export_statistics")
        self.export_button.setToolTip(
            self.tr("Write these statistics, with their period and filters, to Excel")
        )
        self.report_button = QPushButton(self.tr("Monthly report…"))
        self.report_button.setObjectName("monthly_report")
        self.report_button.setToolTip(self.tr("Write a month's operations report to Excel"))
        self.export_button.setVisible(self._exporter is not None)
        self.report_button.setVisible(self._reporter is not None)
        top.addWidget(self.export_button)
        top.addWidget(self.report_button)
        layout.addLayout(top)
        self.status_label = QLabel()
        self.status_label.setObjectName("stats_status")
        self.status_label.setStyleSheet("color: #666;")
        layout.addWidget(self.status_label)
        self.overdue_card = OverdueCard()
        self.indices_card = IndicesCard()
        self.trend_card = TrendCard()
        self.on_time_card = OnTimeCard()
        self.hot_grids_card = HotGridsCard()
        grid = QGridLayout()
        grid.setSpacing(6)
        # The charts side by side, each the full height: the bar charts list a dozen
        # departments or grids by name, which a half-height card cramps at 768 px.
        grid.addWidget(self.overdue_card, 0, 0)
        grid.addWidget(self.indices_card, 0, 1, 1, 2)
        grid.addWidget(self.trend_card, 1, 0)
        grid.addWidget(self.on_time_card, 1, 1)
        grid.addWidget(self.hot_grids_card, 1, 2)
        grid.setRowStretch(1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 4)
        grid.setColumnStretch(2, 3)
        layout.addLayout(grid, 1)

    def _connect(self) -> None:
        self.filter_bar.sig_changed.connect(self._on_filter_bar_changed)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        self._filter_timer.timeout.connect(self.reload)
        self._desk.tasks.sig_data_changed.connect(self._on_data_changed)

    # ---- Public API

    def cards(self) -> dict[str, StatCard]:
        """Each card by the table it shows."""
        return {
            "trend": self.trend_card,
            "departments": self.on_time_card,
            "hot_grids": self.hot_grids_card,
            "indices": self.indices_card,
        }

    def reload(self) -> None:
        """Load the figures of the bar's period and filters (off the GUI thread); any
        load still running is superseded."""
        self._stale = False
        self._again = False
        self._refresh_timer.stop()
        self._filter_timer.stop()
        stats_filter = self.filter_bar.stats_filter()
        self._generation += 1
        generation = self._generation
        self._loading = True
        self._last_load = time.monotonic()
        self.status_label.setText(self.tr("Loading…"))
        loader = self._loader
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: tuple(loader(s, stats_filter)),
            workload=Workload.DASHBOARD,
            success=lambda tables: self._on_loaded(generation, stats_filter, tables),
            failure=lambda error: self._on_load_failed(generation, error),
        ).run()

    def export_statistics(self, path: Path) -> LongOp[Path] | None:
        """Write the statistics of the bar's period and filters to ``path`` (what the
        button does once the file is chosen); None without an exporter."""
        exporter = self._exporter
        if exporter is None:
            return None
        stats_filter = self.filter_bar.stats_filter()
        op = LongOp(
            self._desk.tasks,
            self,
            title=self.tr("Exporting the statistics to Excel…"),
            op=lambda s, progress: exporter(s, stats_filter, path, progress),
            workload=Workload.EXPORT,
            success=self._on_exported,
            failure=self._on_written_failed,
        )
        op.run()
        return op

    def write_report(self, month: Month, folder: Path) -> LongOp[Path] | None:
        """Write ``month``'s report into ``folder``; None without a reporter."""
        reporter = self._reporter
        if reporter is None:
            return None
        op = LongOp(
            self._desk.tasks,
            self,
            title=self.tr("Writing the monthly report of {month}…").format(month=month),
            op=lambda s, progress: reporter(s, month, folder, progress),
            workload=Workload.MONTHLY_REPORT,
            success=self._on_reported,
            failure=self._on_written_failed,
        )
        op.run()
        return op

    def report_dialog(self) -> MonthlyReportDialog:
        """The month and folder dialog, set to last month and the folder used last (the
        button opens it; the report runs when it is accepted). One dialog, kept."""
        month = Month.of(self.filter_bar.today()).previous()
        folder = Path(str(user_settings().value(self._folder_key(), str(Path.home()))))
        if self._report_dialog is None:
            self._report_dialog = MonthlyReportDialog(month, folder, self)
            self._report_dialog.accepted.connect(self._on_report_dialog_accepted)
        else:
            self._report_dialog.set_choice(month, folder)
        return self._report_dialog

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    # ---- Private slots

    @Slot(object)
    def _on_filter_bar_changed(self, _stats_filter: StatsFilter) -> None:
        if self.isVisible():
            self._filter_timer.start()
        else:
            self._stale = True

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if not changes.case_ids and not changes.entities:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._schedule_refresh()

    @Slot()
    def _on_refresh_timer_timeout(self) -> None:
        if self._loading:
            self._again = True  # the load that runs ends by scheduling one more
        else:
            self.reload()

    def _on_loaded(
        self, generation: int, stats_filter: StatsFilter, tables: tuple[StatTable, ...]
    ) -> None:
        if generation != self._generation:
            return  # a newer request was made meanwhile: its result is the one to show
        self._finish_load()
        self.stats_filter = stats_filter
        self.tables = {t.key: t for t in tables}
        now = datetime.now().astimezone()
        for key, card in self.cards().items():
            card.set_data(self.tables.get(key), now)
        self.overdue_card.set_data(self.tables.get("departments"), now)
        self.status_label.setText(
            self.tr("Updated at {time}").format(time=now.strftime("%H:%M:%S"))
        )
        self.sig_loaded.emit(stats_filter, tables)

    def _on_load_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._finish_load()
        self.status_label.setText(
            self.tr("The statistics could not be loaded: {error}").format(error=error)
        )

    def _finish_load(self) -> None:
        self._loading = False
        self._last_load = time.monotonic()
        if self._again:
            self._again = False
            self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        if self._refresh_timer.isActive():
            return  # one reload is already due: it will show this change too
        waited_ms = (time.monotonic() - self._last_load) * 1000
        self._refresh_timer.start(int(max(0.0, self.refresh_interval_ms - waited_ms)))

    @Slot()
    def _on_export_button_clicked(self) -> None:
        start = self.filter_bar.stats_filter().start
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export statistics"),
            str(
                Path.home() / self.tr("statistics-{day}.xlsx").format(day=start.strftime("%Y%m%d"))
            ),
            self.tr("Excel workbook (*.xlsx)"),
        )
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.export_statistics(Path(path))

    @Slot()
    def _on_report_button_clicked(self) -> None:
        self.report_dialog().open()

    @Slot()
    def _on_report_dialog_accepted(self) -> None:
        dialog = self._report_dialog
        assert dialog is not None, "only the dialog's own signal calls this"
        folder = dialog.chosen_folder()
        user_settings().setValue(self._folder_key(), str(folder))
        self.write_report(dialog.chosen_month(), folder)

    def _on_exported(self, path: Path) -> None:
        self._tell(self.tr("Statistics written to {path}").format(path=path))
        self.sig_exported.emit(path)

    def _on_reported(self, path: Path) -> None:
        self._tell(self.tr("Monthly report written to {path}").format(path=path))
        self.sig_reported.emit(path)

    def _on_written_failed(self, error: BaseException) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Statistics"), str(error), parent=self)
        box.setObjectName("stats_write_failed")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _tell(self, message: str) -> None:
        self.status_label.setText(message)
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 15_000)

    def _folder_key(self) -> str:
        return f"stats/{self._desk.actor.login}/report_folder"
