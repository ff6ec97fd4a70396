"""The dashboard's cards: each shows one statistic (a ``StatTable``) as a QtCharts
chart, a big number or a row of tiles, "No data" when its table is absent or empty,
and the figures' age when they come from a summary table (``StatTable.as_of``).

A card only reads the table it is given; which table goes to which card is the
dashboard's business (``ui.widgets.stats_dashboard``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QMargins, Qt, QTime
from PySide6.QtGui import QColor, QCursor, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from seatdesk import terms
from seatdesk.domain.statistics import StatTable

# The trend's lines: the column of "trend" each draws, and its colour.
TREND_COLUMNS = (("reported", "#1565c0"), ("registered", "#ef6c00"), ("closed", "#2e7d32"))
# At most this many day labels under the trend.
DAY_LABELS = 6
HALF_DAY_MS = 43_200_000.0
# A grid's name on the axis keeps this many characters (its end).
GRID_NAME_CHARS = 9
# How many of the hottest grids the chart shows.
TOP_GRIDS = 10


def format_age(as_of: datetime, now: datetime) -> str:
    """ "as of 10:05 (3 min ago)": how old a summary table's figures are."""
    minutes = max(0, int((now - as_of).total_seconds() // 60))
    if minutes < 1:
        age = QCoreApplication.translate("StatCard", "just now")
    elif minutes < 120:
        age = QCoreApplication.translate("StatCard", "{n} min ago").format(n=minutes)
    else:
        age = QCoreApplication.translate("StatCard", "{n} h ago").format(n=minutes // 60)
    when = as_of.astimezone().strftime("%m-%d %H:%M")
    return QCoreApplication.translate("StatCard", "as of {when} ({age})").format(when=when, age=age)


def day_msecs(day: date) -> float:
    """A day as the date axis counts it: its local midnight, in ms since the epoch."""
    return float(_midnight(day).toMSecsSinceEpoch())


def _midnight(day: date) -> QDateTime:
    return QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0))


class StatCard(QGroupBox):
    """A titled card: its content, or "No data"; and the figures' age, when known."""

    def __init__(
        self,
        title: str,
        content: QWidget,
        fill: Callable[[StatTable], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.content = content
        self._fill = fill
        self.age_label = QLabel()
        self.age_label.setObjectName("stats_age")
        self.age_label.setStyleSheet("color: #666;")
        self.age_label.hide()
        # An explicit context: ``self.tr`` would look the words up under each subclass.
        self.no_data_label = QLabel(QCoreApplication.translate("StatCard", "No data"))
        self.no_data_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_data_label.setStyleSheet("color: #888; font-size: 14pt;")
        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.stack.addWidget(self.no_data_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.age_label, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.stack, 1)
        self.content_layout = layout
        self.stack.setCurrentWidget(self.no_data_label)

    # ---- Public API

    def has_data(self) -> bool:
        return self.stack.currentWidget() is self.content

    def set_data(self, table: StatTable | None, now: datetime | None = None) -> None:
        """Show ``table`` (None or no rows: "No data") and its age."""
        if table is not None and table.as_of is not None:
            self.age_label.setText(format_age(table.as_of, now or datetime.now().astimezone()))
            self.age_label.show()
        else:
            self.age_label.hide()
        if table is None or not table.rows:
            self.stack.setCurrentWidget(self.no_data_label)
            return
        self._fill(table)
        self.stack.setCurrentWidget(self.content)


class ChartCard(StatCard):
    """A card around one QChart, redrawn from scratch for each table."""

    def __init__(
        self, title: str, fill: Callable[[StatTable], None], parent: QWidget | None = None
    ) -> None:
        self.chart = QChart()
        self.chart.setMargins(QMargins(2, 2, 2, 2))
        self.chart.setBackgroundRoundness(0)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(160)
        super().__init__(title, self.view, fill, parent)

    def clear(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)


class TrendCard(ChartCard):
    """Cases per day: reported, registered and closed (table "trend")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Cases per day"), self.fill, parent)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self._names = {
            "reported": self.tr("Reported"),
            "registered": self.tr("Registered"),
            "closed": self.tr("Closed"),
        }

    def fill(self, table: StatTable) -> None:
        self.clear()
        rows = sorted(table.as_dicts(), key=lambda r: r["day"])
        # Labels on whole days, every ``step``-th one: a date axis spaces its ticks
        # evenly, which puts them between days for most month lengths.
        x_axis = QCategoryAxis()
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        x_axis.setTruncateLabels(False)  # "11-…" names no day
        step = math.ceil(len(rows) / DAY_LABELS)
        for i, row in enumerate(rows):
            if i % step == 0:
                x_axis.append(row["day"].strftime("%m-%d"), day_msecs(row["day"]))
        first, last = day_msecs(rows[0]["day"]), day_msecs(rows[-1]["day"])
        margin = 0.0 if last > first else HALF_DAY_MS  # one day: a point in the middle
        x_axis.setRange(first - margin, last + margin)
        x_axis.setStartValue(first - margin)
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d")
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        top = 0
        for key, color in TREND_COLUMNS:
            if key not in (c.key for c in table.columns):
                continue
            series = QLineSeries()
            series.setObjectName(key)
            series.setName(self._names[key])
            series.setColor(QColor(color))
            series.setPointsVisible(len(rows) <= 31)
            for row in rows:
                value = row[key] or 0
                top = max(top, value)
                series.append(day_msecs(row["day"]), float(value))
            self.chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        y_axis.setRange(0, max(top, 4) * 1.1)
        y_axis.applyNiceNumbers()


class BarsCard(ChartCard):
    """Horizontal bars, one per row, the first row at the top (long Chinese names read
    across, not slanted under a column)."""

    def __init__(
        self,
        title: str,
        value_name: str,
        fill: Callable[[StatTable], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, fill, parent)
        self.chart.legend().hide()
        self.value_name = value_name
        self._tips: list[str] = []

    def bars(
        self,
        labels: list[str],
        values: list[float],
        *,
        maximum: float | None,
        label_format: str,
        color: str,
        tips: list[str] | None = None,
    ) -> None:
        """One bar per label (labels unique: the axis merges equal ones), the first at
        the top; ``tips`` (the full names) show when the mouse is on a bar."""
        self.clear()
        bar_set = QBarSet(self.value_name)
        bar_set.setColor(QColor(color))
        # The series draws its first category at the bottom.
        for value in reversed(values):
            bar_set.append(value)
        self._tips = list(reversed(tips or labels))
        bar_set.hovered.connect(self._on_bar_hovered)
        series = QHorizontalBarSeries()
        series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsFormat(label_format)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsInsideEnd)
        self.chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(list(reversed(labels)))
        font = names.labelsFont()
        font.setPointSizeF(max(font.pointSizeF() - 1, 8))
        names.setLabelsFont(font)
        # A name cut to "…" says nothing; the axis takes the width the names need.
        names.setTruncateLabels(False)
        amounts = QValueAxis()
        if maximum is not None:
            amounts.setRange(0, maximum)
        else:
            amounts.setRange(0, max(max(values), 1) * 1.1)
            amounts.applyNiceNumbers()
        amounts.setLabelFormat("%d")
        self.chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(amounts)

    def shown(self) -> list[tuple[str, float]]:
        """The bars as drawn, top to bottom: (label, value)."""
        series = self.chart.series()
        if not series or not self.has_data():
            return []
        bar_set = series[0].barSets()[0]  # type: ignore[attr-defined]
        axis = self.chart.axes(Qt.Orientation.Vertical)[0]
        labels = axis.categories()  # type: ignore[attr-defined]
        pairs = [(labels[i], bar_set.at(i)) for i in range(bar_set.count())]
        return list(reversed(pairs))

    def _on_bar_hovered(self, status: bool, index: int) -> None:
        if status and 0 <= index < len(self._tips):
            bar_set = self.sender()
            value = bar_set.at(index) if isinstance(bar_set, QBarSet) else ""
            tip = QCoreApplication.translate("BarsCard", "{name}: {value}").format(
                name=self._tips[index], value=f"{value:g}" if isinstance(value, float) else ""
            )
            QToolTip.showText(QCursor.pos(), tip, self.view)
        else:
            QToolTip.hideText()


class OnTimeCard(BarsCard):
    """On-time rate per department, in % (table "departments", column on_time_rate).

    A department with nothing due in the period has no rate (None): it gets no bar, so
    that an empty department does not read as 0 %, and is named under the chart.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("On-time rate per department"), self.tr("On-time rate"), self.fill, parent
        )
        self.no_rate_label = QLabel()
        self.no_rate_label.setObjectName("no_rate")
        self.no_rate_label.setWordWrap(True)
        self.no_rate_label.setStyleSheet("color: #666;")
        self.no_rate_label.hide()
        self.content_layout.addWidget(self.no_rate_label)

    def fill(self, table: StatTable) -> None:
        rated = [r for r in table.as_dicts() if r["on_time_rate"] is not None]
        unrated = [_department(r) for r in table.as_dicts() if r["on_time_rate"] is None]
        self.no_rate_label.setText(
            self.tr("Nothing due: {names}").format(names=terms.join(unrated)) if unrated else ""
        )
        self.no_rate_label.setVisible(bool(unrated))
        rated.sort(key=lambda r: (r["on_time_rate"], _department(r)))
        if not rated:
            self.clear()
            return
        self.bars(
            [_department(r) for r in rated],
            [round(r["on_time_rate"] * 100, 1) for r in rated],
            maximum=100,
            label_format="@value%",
            color="#1565c0",
        )

    def set_data(self, table: StatTable | None, now: datetime | None = None) -> None:
        if table is None or not table.rows:
            self.no_rate_label.hide()
        super().set_data(table, now)


class HotGridsCard(BarsCard):
    """The grids with the most reports (table "hot_grids"), the hottest at the top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Top grids"), self.tr("Reported"), self.fill, parent)

    def fill(self, table: StatTable) -> None:
        rows = sorted(table.as_dicts(), key=lambda r: (-(r["reported"] or 0), r["grid"]))
        rows = rows[:TOP_GRIDS]
        names = [r.get("grid_name") or r["grid"] for r in rows]
        labels = [short_name(n) for n in names]
        if len(set(labels)) < len(labels):  # two tails alike: the codes tell them apart
            labels = [r["grid"] for r in rows]
        self.bars(
            labels,
            [float(r["reported"] or 0) for r in rows],
            maximum=None,
            label_format="@value",
            color="#ef6c00",
            tips=names,
        )


class OverdueCard(StatCard):
    """How many cases are open past their deadline: the sum of the departments'
    超期待处置数 (table "departments", column overdue_open)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.number = QLabel()
        self.number.setObjectName("overdue_number")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setStyleSheet("font-size: 28pt; font-weight: bold; color: #c62828;")
        super().__init__(self.tr("Open and overdue"), self.number, self.fill, parent)

    def fill(self, table: StatTable) -> None:
        self.number.setText(str(sum(v or 0 for v in table.values("overdue_open"))))


#: Index tiles in one row of the indices card.
TILES_PER_ROW = 5


class IndicesCard(StatCard):
    """The indices (table "indices"), a tile each: its name and its value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.tiles = QWidget()
        # Tiles wrap after TILES_PER_ROW: ten in one row would take the width the
        # trend beside them needs.
        self._tiles = QGridLayout(self.tiles)
        self._tiles.setContentsMargins(0, 0, 0, 0)
        super().__init__(self.tr("Indices"), self.tiles, self.fill, parent)

    def fill(self, table: StatTable) -> None:
        while self._tiles.count():
            item = self._tiles.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for i, row in enumerate(table.as_dicts()):
            self._tiles.addWidget(
                self._tile(row["index_name"] or row["index_key"], row["value"], row["index_key"]),
                i // TILES_PER_ROW, i % TILES_PER_ROW,
            )

    def shown(self) -> list[tuple[str, str]]:
        """The tiles as shown: (name, value text)."""
        shown = []
        for i in range(self._tiles.count()):
            item = self._tiles.itemAt(i)
            tile = item.widget() if item is not None else None
            name = tile.findChild(QLabel, "index_name") if tile is not None else None
            value = tile.findChild(QLabel, "index_value") if tile is not None else None
            if name is not None and value is not None:
                shown.append((name.text(), value.text()))
        return shown

    def _tile(self, name: str, value: float | None, key: str) -> QFrame:
        tile = QFrame()
        tile.setObjectName(f"index_{key}")
        tile.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(tile)
        grid.setContentsMargins(8, 2, 8, 2)
        title = QLabel(name)
        title.setObjectName("index_name")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        number = QLabel(format_value(value))
        number.setObjectName("index_value")
        number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        number.setStyleSheet("font-size: 15pt; font-weight: bold; color: #1565c0;")
        grid.addWidget(title, 0, 0)
        grid.addWidget(number, 1, 0)
        return tile


def short_name(name: str, limit: int = GRID_NAME_CHARS) -> str:
    """A grid's name cut from the left (…城东社区第3网格): its street and community lead
    every name alike, and the axis would cut the part that tells them apart."""
    return name if len(name) <= limit else "…" + name[-(limit - 1) :]


def format_value(value: float | None) -> str:
    """An index or a score: three decimals below 10 (0.873), one above (85.3)."""
    if value is None:
        return "—"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"


def _department(row: dict[str, object]) -> str:
    return str(row.get("department_name") or row["department"])
