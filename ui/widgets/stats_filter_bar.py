"""The statistics' filter bar: a period (this month, last month, or from one day to
another) in the centre's time zone, and the department, category, area and source.

It turns what is chosen into a ``seatdesk.domain.statistics.StatsFilter`` and says so
with ``sig_changed`` whenever the choice changes. The area is a code typed as it is
(a street, community or grid code) or a grid picked by name from the active grids,
read through ``QueryOp`` and again when the grids change.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from seatdesk.domain.glossary import Source
from seatdesk.domain.statistics import StatsFilter
from seatdesk.notices import Kind
from seatdesk.services.common import ChangeSet
from seatdesk.services.grids.layers import grids_as_of
from ui.desk import Desk, ReferenceData
from ui.i18n import date_edit
from ui.labels import label
from ui.tasks import RECONNECTED, QueryOp

# The lengths of the area codes of GB/T 30428.1: a street (county 6 + street 3), a
# community (+3) and a unit grid (+3).
STREET_DIGITS, COMMUNITY_DIGITS, GRID_DIGITS = 9, 12, 15
# The entities of a ChangeSet after which the grid picker reads the grids again.
GRIDS_RELOAD_ON = frozenset({Kind.GRIDS.value, RECONNECTED})


class Period(StrEnum):
    """The periods the bar offers."""

    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    CUSTOM = "custom"


def period_days(period: Period, today: date, first: date, last: date) -> tuple[date, date]:
    """The first and last day (both included) of ``period`` seen on ``today``.

    "This month" runs to today, not to the month's end: the trend then stops at today,
    and no figure is computed at an end that has not come yet. A custom period given
    backwards is read forwards.
    """
    if period is Period.THIS_MONTH:
        return today.replace(day=1), today
    if period is Period.LAST_MONTH:
        last_day = today.replace(day=1) - timedelta(days=1)
        return last_day.replace(day=1), last_day
    return (first, last) if first <= last else (last, first)


def period_bounds(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The half-open period [first 00:00, the day after ``last`` 00:00) in ``tz``."""
    return (
        datetime.combine(first, time(0), tzinfo=tz),
        datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz),
    )


def area_filter(text: str) -> dict[str, str] | None:
    """The StatsFilter field an area code fills, by its length: ``{}`` for no code,
    None for a code that is not 9, 12 or 15 digits. A picked grid reads "code name":
    the code is the first word."""
    words = text.split()
    if not words:
        return {}
    code = words[0]
    if not code.isascii() or not code.isdigit():
        return None
    field = {STREET_DIGITS: "street", COMMUNITY_DIGITS: "community", GRID_DIGITS: "grid"}
    name = field.get(len(code))
    return {name: code} if name is not None else None


class StatsFilterBar(QWidget):
    """The period and the filters of the dashboard."""

    sig_changed = Signal(object)
    """The person changed the period or a filter: the new ``StatsFilter``."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        # The centre's time zone, as the desk's connections and scheduler use it: a
        # day's statistics are the centre's day, whatever the workstation's clock says.
        self.tz = ZoneInfo(desk.address.timezone)
        self._area: dict[str, str] = {}
        self._build_ui()
        self._connect()
        self._on_period_changed()
        self.load_grids()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.period = QComboBox()
        self.period.setObjectName("stats_period")
        for text, value in (
            (self.tr("This month"), Period.THIS_MONTH),
            (self.tr("Last month"), Period.LAST_MONTH),
            (self.tr("From … to …"), Period.CUSTOM),
        ):
            self.period.addItem(text, value)
        today = self.today()
        self.first_day = date_edit(QDate(today.year, today.month, 1))
        self.last_day = date_edit(QDate(today.year, today.month, today.day))
        self.department = _combo(self.tr("All departments"), _departments(self._desk.reference))
        self.category = _combo(self.tr("All categories"), _categories(self._desk.reference))
        self.category.setEditable(True)
        self.category.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.category.completer()
        if completer is not None:  # an editable combo box always has one
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.area = QLineEdit()
        self.area.setObjectName("stats_area")
        self.area.setClearButtonEnabled(True)
        self.area.setPlaceholderText(self.tr("Street, community or grid code or name"))
        self.area.setToolTip(
            self.tr(
                "A street (9 digits), community (12 digits) or unit grid (15 digits) code,"
                " or a grid's name"
            )
        )
        self.area.setMaximumWidth(190)
        self.grid_names = QStringListModel(self)
        completer = QCompleter(self.grid_names, self.area)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(15)
        self.area.setCompleter(completer)
        self.source = _combo(self.tr("All sources"), [(label(s), s) for s in Source])
        layout.addWidget(QLabel(self.tr("Period")))
        layout.addWidget(self.period)
        layout.addWidget(self.first_day)
        layout.addWidget(QLabel("–"))
        layout.addWidget(self.last_day)
        for widget in (self.department, self.category, self.area, self.source):
            layout.addWidget(widget)

    def _connect(self) -> None:
        self.period.currentIndexChanged.connect(self._on_period_changed)
        self.first_day.dateChanged.connect(self._on_day_changed)
        self.last_day.dateChanged.connect(self._on_day_changed)
        for combo in (self.department, self.category, self.source):
            combo.currentIndexChanged.connect(self._emit)
        self.area.editingFinished.connect(self._on_area_editing_finished)
        completer = self.area.completer()
        if completer is not None:
            completer.activated.connect(self._on_area_editing_finished)
        self._desk.reference_store.sig_changed.connect(self._on_reference_changed)
        self._desk.tasks.sig_data_changed.connect(self._on_data_changed)

    # ---- Public API

    def today(self) -> date:
        """Today in the centre's time zone."""
        return datetime.now(self.tz).date()

    def load_grids(self) -> None:
        """Read the active grids for the picker (off the GUI thread)."""
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: [f"{g.code} {g.name}" for g in grids_as_of(s)],
            success=self.grid_names.setStringList,
        ).run()

    def current_period(self) -> Period:
        # A combo box hands a StrEnum back as its plain string.
        return Period(self.period.currentData())

    def stats_filter(self) -> StatsFilter:
        """What the bar shows, as the statistics' filter."""
        first, last = period_days(
            self.current_period(),
            self.today(),
            _day(self.first_day.date()),
            _day(self.last_day.date()),
        )
        start, end = period_bounds(first, last, self.tz)
        source = self.source.currentData()
        return StatsFilter(
            start=start,
            end=end,
            department=self.department.currentData(),
            category_id=self.category.currentData(),
            source=str(source) if source is not None else None,
            **self._area,
        )

    def set_period(
        self, period: Period, first: date | None = None, last: date | None = None
    ) -> None:
        """Choose a period (custom days when given); ``sig_changed`` follows."""
        for edit, day in ((self.first_day, first), (self.last_day, last)):
            if day is not None:
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        if self.current_period() is period:
            self._emit()
        else:
            self.period.setCurrentIndex(self.period.findData(period))

    # ---- Private slots

    @Slot()
    def _on_period_changed(self) -> None:
        period = self.current_period()
        custom = period is Period.CUSTOM
        if not custom:
            # The day fields show what a fixed period means, ready to be adjusted.
            first, last = period_days(period, self.today(), date.min, date.min)
            for edit, day in ((self.first_day, first), (self.last_day, last)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self.first_day.setEnabled(custom)
        self.last_day.setEnabled(custom)
        self._emit()

    @Slot()
    def _on_day_changed(self) -> None:
        if self.current_period() is Period.CUSTOM:
            self._emit()

    @Slot()
    def _on_area_editing_finished(self) -> None:
        area = area_filter(self.area.text())
        if area is None:
            # Not applied: the figures keep the last valid area, and the field says why.
            self.area.setStyleSheet("QLineEdit { border: 1px solid #c62828; }")
            return
        self.area.setStyleSheet("")
        if area != self._area:
            self._area = area
            self._emit()

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if changes.entities & GRIDS_RELOAD_ON:
            self.load_grids()

    @Slot(object)
    def _on_reference_changed(self, reference: ReferenceData) -> None:
        changed = _refill(self.department, _departments(reference))
        changed |= _refill(self.category, _categories(reference))
        if changed:  # a filter on a retired department falls back to all
            self._emit()

    @Slot()
    def _emit(self) -> None:
        self.sig_changed.emit(self.stats_filter())


def _day(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _departments(reference: ReferenceData) -> list[tuple[str, Any]]:
    return [(d.name, d.code) for d in reference.departments]


def _categories(reference: ReferenceData) -> list[tuple[str, Any]]:
    return [(f"{c.code} {c.name}", c.id) for c in reference.categories]


def _combo(everything: str, items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    # Sized by a few characters, not by the longest name: the bar must fit at 1366 px.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    combo.addItem(everything, None)
    for text, value in items:
        combo.addItem(text, value)
    return combo


def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> bool:
    """New items after the first ("all ..."), keeping the chosen value when it remains;
    True when the chosen value is gone."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    try:
        while combo.count() > 1:
            combo.removeItem(1)
        for text, value in items:
            combo.addItem(text, value)
        index = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(index, 0))
    finally:
        combo.blockSignals(False)
    return chosen is not None and index < 0
