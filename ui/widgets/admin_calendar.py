"""The admin's calendar tab: a year as twelve month grids, statutory holidays, 调休
working days and the centre's own days in colours with a legend; a click on a day sets
or removes a local day off or working day; a year's schedule imported with progress.

``CalendarBanner`` is the line an admin panel shows in its header on every admin login
from 1 December when next year's holiday schedule is missing
(``seatdesk.services.calendar.calendar_warning``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtGui import QColor, QPalette, QShowEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from seatdesk.services import calendar
from seatdesk.services.calendar import DayKind, YearDays
from seatdesk.services.common import ChangeSet
from ui.desk import Desk
from ui.tasks import LongOp, MutationOp, QueryOp

COLOURS: dict[DayKind, str] = {
    DayKind.HOLIDAY: "#f4b6b6",
    DayKind.ADJUSTED_WORKDAY: "#b6d7f4",
    DayKind.LOCAL_DAY_OFF: "#f4d58d",
    DayKind.LOCAL_WORKDAY: "#b9e4b0",
}
#: The selected day of a month (see ``_build_ui``).
SELECTED_COLOUR = "#d6d6d6"
#: What the override box offers: working (True), day off (False), remove (None).
CHOICES = (False, True, None)


class AdminCalendarWidget(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._stale = True
        self._days: YearDays | None = None
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2004, 2050)
        self.year_spin.setValue(date.today().year)
        top.addWidget(QLabel(self.tr("Year")))
        top.addWidget(self.year_spin)
        self.source_label = QLabel()
        top.addWidget(self.source_label, 1)
        self.import_button = QPushButton(self.tr("Import a year's schedule…"))
        top.addWidget(self.import_button)
        layout.addLayout(top)
        self.banner = CalendarBanner(self._desk, self)
        layout.addWidget(self.banner)

        legend = QHBoxLayout()
        names = {
            DayKind.HOLIDAY: self.tr("Statutory holiday"),
            DayKind.ADJUSTED_WORKDAY: self.tr("Adjusted working day (调休)"),
            DayKind.LOCAL_DAY_OFF: self.tr("Local day off"),
            DayKind.LOCAL_WORKDAY: self.tr("Local working day"),
        }
        for kind, name in names.items():
            swatch = QLabel(name)
            swatch.setStyleSheet(f"background: {COLOURS[kind]}; padding: 2px 6px;")
            legend.addWidget(swatch)
        legend.addStretch(1)
        layout.addLayout(legend)

        grid = QGridLayout()
        self.months: list[QCalendarWidget] = []
        for month in range(12):
            cal = QCalendarWidget()
            cal.setNavigationBarVisible(False)
            cal.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
            cal.setGridVisible(True)
            cal.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
            # Every month always has a selected day; in the highlight's blue twelve of
            # them read as 调休 days. A neutral grey reads as "selected", no kind.
            palette = cal.palette()
            palette.setColor(QPalette.ColorRole.Highlight, QColor(SELECTED_COLOUR))
            palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#000000"))
            cal.setPalette(palette)
            cal.setObjectName(f"month_{month + 1}")
            grid.addWidget(QLabel(self.tr("Month {n}").format(n=month + 1)),
                           (month // 4) * 2, month % 4)
            grid.addWidget(cal, (month // 4) * 2 + 1, month % 4)
            self.months.append(cal)
        # The year scrolls: its twelve months need more height than a seat's 1280×720
        # screen leaves the admin panel, and the page must not push the window past it.
        year = QWidget()
        year.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(year)
        layout.addWidget(scroll, 1)

        override = QHBoxLayout()
        self.day_label = QLabel(self.tr("Click a day"))
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("Local day off"), CHOICES[0])
        self.kind_combo.addItem(self.tr("Local working day"), CHOICES[1])
        self.kind_combo.addItem(self.tr("Remove the local setting"), CHOICES[2])
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Name (e.g. 县庆)"))
        self.set_day_button = QPushButton(self.tr("Set day"))
        self.set_day_button.setEnabled(False)
        for w in (self.day_label, self.kind_combo, self.name_edit, self.set_day_button):
            override.addWidget(w)
        layout.addLayout(override)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        self._selected: date | None = None
        self._set_months()

    def _connect(self) -> None:
        self.year_spin.valueChanged.connect(self._on_year_spin_changed)
        for cal in self.months:
            cal.clicked.connect(self._on_month_clicked)
        self.set_day_button.clicked.connect(self._on_set_day_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self._desk.tasks.sig_data_changed.connect(self._on_data_changed)

    # ---- Public API

    def reload(self) -> None:
        year = self.year_spin.value()
        QueryOp(self._desk.tasks, self, op=lambda s: calendar.year_days(s, year),
                success=self._on_loaded, failure=self._on_failed).run()
        self.banner.check()

    def select_day(self, day: date) -> None:
        """As a click on ``day``: it becomes the day the override box sets."""
        self._selected = day
        self.day_label.setText(day.isoformat())
        self.set_day_button.setEnabled(True)
        if self._days is not None:
            self.name_edit.setText(self._days.names.get(day, ""))

    def import_file(self, path: Path) -> None:
        """Read ``path`` and enter its schedule, with a progress dialog."""
        self.error_label.clear()
        LongOp(self._desk.tasks, self, title=self.tr("Importing the schedule…"),
               op=lambda s, progress: calendar.import_schedule(
                   s, calendar.read_schedule(path), note=path.name, progress=progress),
               writes=True, changes=lambda c: c, failure=self._on_failed).run()

    # ---- Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    # ---- Private slots

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if changes.entities & {"calendar", "reconnected"}:
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def _on_year_spin_changed(self, _year: int) -> None:
        self._set_months()
        self.reload()

    def _on_month_clicked(self, when: QDate) -> None:
        self.select_day(date(when.year(), when.month(), when.day()))

    def _on_set_day_clicked(self) -> None:
        if self._selected is None:
            return
        day, working, name = self._selected, self.kind_combo.currentData(), self.name_edit.text()
        self.error_label.clear()
        MutationOp(self._desk.tasks, self,
                   op=lambda s: calendar.set_day(s, day, working=working, name=name),
                   failure=self._on_failed).run()

    def _on_import_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a year's schedule"), "",
            self.tr("Schedules (*.xlsx *.csv)"))
        if name:
            self.import_file(Path(name))

    def _on_loaded(self, days: YearDays) -> None:
        if days.year != self.year_spin.value():
            return  # an answer for a year no longer shown
        self._days = days
        sources = {"package": self.tr("Known from the published calendar"),
                   "entered": self.tr("Entered by an administrator"),
                   "weekdays": self.tr("Not known: plain weekdays")}
        self.source_label.setText(sources.get(days.source, days.source))
        for cal in self.months:
            cal.setDateTextFormat(QDate(), QTextCharFormat())  # clears every format
        for day, kind in days.kinds.items():
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(COLOURS[kind]))
            name = days.names.get(day)
            if name:
                fmt.setToolTip(name)
            self.months[day.month - 1].setDateTextFormat(QDate(day.year, day.month, day.day),
                                                         fmt)

    def _on_failed(self, error: BaseException) -> None:
        self.error_label.setText(str(error))

    def _set_months(self) -> None:
        year = self.year_spin.value()
        for i, cal in enumerate(self.months):
            first = QDate(year, i + 1, 1)
            cal.setDateRange(first, first.addDays(first.daysInMonth() - 1))
            cal.setCurrentPage(year, i + 1)

    def kind_of(self, day: date) -> DayKind | None:
        """The colour's meaning the year view shows for ``day`` (None: a plain day)."""
        return None if self._days is None else self._days.kinds.get(day)


class CalendarBanner(QLabel):
    """The warning line of an admin login: hidden unless the calendar needs an admin.

    An admin panel adds it to its header and calls ``check()`` when shown."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._suppressed = False
        self._checked = False
        self._today: date | None = None  # the day the last check was for (None: today)
        self.setWordWrap(True)
        self.setStyleSheet("background: #fff3cd; color: #664d03; padding: 6px;")
        self.hide()
        # A schedule imported here or at another desk takes the warning away at once,
        # not at the next login.
        desk.tasks.sig_data_changed.connect(self._on_data_changed)

    def check(self, today: date | None = None) -> None:
        day = today or date.today()
        self._checked, self._today = True, today
        QueryOp(self._desk.tasks, self, op=lambda s: calendar.calendar_warning(s, day),
                success=self._on_checked).run()

    def set_suppressed(self, suppressed: bool) -> None:
        """Keep the banner hidden while another one says the same (the admin panel's
        while its calendar tab, which has its own, is shown)."""
        self._suppressed = suppressed
        self.setVisible(bool(self.text()) and not suppressed)

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if self._checked and changes.entities & {"calendar", "reconnected"}:
            self.check(self._today)

    def _on_checked(self, text: str | None) -> None:
        self.setText(text or "")
        self.setVisible(bool(text) and not self._suppressed)
