"""The statistics dashboard: hand-made StatTables drawn into its charts (read back from
the QChart series), the period and filters it asks the loader for, reloads on change
notices without a click (at most once per interval), a slow older load never painted
over a newer one, and the export and report buttons calling their injected functions."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from seatdesk.domain.statistics import Column, ColumnKind, Month, StatsFilter, StatTable
from seatdesk.progress import Cancelled
from seatdesk.services.common import ChangeSet
from tests.ui.conftest import Owner, wait_idle
from ui.dialogs.monthly_report_dialog import MonthlyReportDialog
from ui.i18n import install_translators
from ui.progress_dialog import DialogProgress
from ui.widgets.stats_charts import short_name
from ui.widgets.stats_dashboard import StatsDashboard
from ui.widgets.stats_filter_bar import Period, area_filter, period_bounds, period_days

SHANGHAI = ZoneInfo("Asia/Shanghai")
K = ColumnKind


def _trend() -> StatTable:
    columns = (Column("day", K.DATE), Column("reported", K.COUNT),
               Column("registered", K.COUNT), Column("closed", K.COUNT))
    rows = ((date(2026, 11, 2), 7, 6, 3), (date(2026, 11, 1), 5, 4, 1),
            (date(2026, 11, 3), 2, 2, 4))
    return StatTable("trend", columns, rows)


def _departments(as_of: datetime | None = None, sz_overdue: int = 3) -> StatTable:
    columns = (Column("department", K.CODE), Column("department_name", K.TEXT),
               Column("on_time_rate", K.RATE), Column("overdue_open", K.COUNT),
               Column("score", K.SCORE))
    rows = (("SZ", "市政公用", 0.75, sz_overdue, 80.0), ("YL", "园林绿化", None, 0, None),
            ("HW", "环境卫生", 0.5, 4, 61.5))
    return StatTable("departments", columns, rows, as_of=as_of)


def _hot_grids() -> StatTable:
    columns = (Column("grid", K.CODE), Column("grid_name", K.TEXT), Column("reported", K.COUNT))
    rows = (("330326001001001", "昆阳一网格", 12), ("330326001001002", "昆阳二网格", 30),
            ("330326002001001", "鳌江网格", 7))
    return StatTable("hot_grids", columns, rows)


def _indices() -> StatTable:
    columns = (Column("index_key", K.CODE), Column("index_name", K.TEXT),
               Column("value", K.SCORE))
    rows = (("operation", "运行指数 S", 0.8734), ("efficiency", "效能指数 N", 85.34),
            ("coverage", "覆盖率", None))
    return StatTable("indices", columns, rows)


def _all_tables(**departments) -> tuple[StatTable, ...]:
    return (_trend(), _departments(**departments), _hot_grids(), _indices())


class Loader:
    """A StatsLoader over hand-made tables that remembers what it was asked."""

    def __init__(self, tables=None) -> None:
        self.filters: list[StatsFilter] = []
        self.tables = tables if tables is not None else (lambda f: _all_tables())
        self.threads: set[int] = set()
        self.started: list[float] = []
        self.ended: list[float] = []

    def __call__(self, session, stats_filter):
        assert session.is_active  # a real session of the seat, on a worker thread
        self.started.append(time.monotonic())
        self.threads.add(threading.get_ident())
        self.filters.append(stats_filter)
        tables = self.tables(stats_filter)
        self.ended.append(time.monotonic())
        return tables


def _dashboard(qtbot, desk, loader, **kwargs) -> StatsDashboard:
    dashboard = StatsDashboard(desk, loader, **kwargs)
    qtbot.addWidget(dashboard)
    dashboard.resize(1280, 700)
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        dashboard.show()
    return dashboard


def _day(x: float) -> date:
    return QDateTime.fromMSecsSinceEpoch(int(x)).date().toPython()


# ---- The periods and the area codes, on fixed days


def test_the_periods_on_fixed_days():
    assert period_days(Period.THIS_MONTH, date(2026, 3, 31), date.min, date.min) == (
        date(2026, 3, 1), date(2026, 3, 31))
    assert period_days(Period.LAST_MONTH, date(2026, 1, 15), date.min, date.min) == (
        date(2025, 12, 1), date(2025, 12, 31))
    assert period_days(Period.LAST_MONTH, date(2024, 3, 1), date.min, date.min) == (
        date(2024, 2, 1), date(2024, 2, 29))
    # A custom period given backwards is read forwards.
    assert period_days(Period.CUSTOM, date(2026, 1, 1), date(2026, 11, 30),
                       date(2026, 11, 1)) == (date(2026, 11, 1), date(2026, 11, 30))
    start, end = period_bounds(date(2026, 11, 1), date(2026, 11, 30), SHANGHAI)
    assert start == datetime(2026, 10, 31, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert end == datetime(2026, 11, 30, 16, 0, tzinfo=ZoneInfo("UTC"))


def test_an_area_code_fills_the_field_its_length_names():
    assert area_filter("  ") == {}
    assert area_filter("330326001") == {"street": "330326001"}
    assert area_filter("330326001002") == {"community": "330326001002"}
    assert area_filter("330326001002003") == {"grid": "330326001002003"}
    assert area_filter("3303260010") is None
    assert area_filter("33032600100A") is None
    assert area_filter("３３０３２６００１") is None  # full-width digits are not a code


def test_a_long_grid_name_keeps_its_end():
    # Every demo name starts with its street and community: the end tells them apart.
    assert short_name("昆阳镇城东社区第21网格") == "…东社区第21网格"
    assert short_name("昆阳镇城东社区第6网格") == "…城东社区第6网格"
    assert short_name("鳌江网格") == "鳌江网格"


def test_grids_whose_names_end_alike_are_shown_by_code(desk_for, qtbot):
    desk = desk_for("inspector1")
    columns = _hot_grids().columns
    rows = (("330326001001003", "昆阳镇城东社区第3网格", 9),
            ("330326002001003", "鳌江镇城东社区第3网格", 4))
    dashboard = _dashboard(qtbot, desk, Loader(lambda f: (StatTable("hot_grids", columns, rows),)))
    assert dashboard.hot_grids_card.shown() == [("330326001001003", 9.0),
                                                ("330326002001003", 4.0)]


# ---- What the charts hold


def test_the_charts_hold_the_tables(desk_for, qtbot):
    desk = desk_for("inspector1")
    as_of = datetime.now().astimezone() - timedelta(minutes=3, seconds=10)
    loader = Loader(lambda f: _all_tables(as_of=as_of))
    dashboard = _dashboard(qtbot, desk, loader)
    assert threading.get_ident() not in loader.threads  # never on the GUI thread

    series = {s.objectName(): s for s in dashboard.trend_card.chart.series()}
    assert set(series) == {"reported", "registered", "closed"}
    points = {k: [(_day(p.x()), p.y()) for p in s.points()] for k, s in series.items()}
    days = [date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)]  # sorted by day
    assert points["reported"] == list(zip(days, [5.0, 7.0, 2.0], strict=True))
    assert points["registered"] == list(zip(days, [4.0, 6.0, 2.0], strict=True))
    assert points["closed"] == list(zip(days, [1.0, 3.0, 4.0], strict=True))

    # Worst first; 园林绿化 has nothing due (rate None): no bar, named under the chart.
    assert dashboard.on_time_card.shown() == [("环境卫生", 50.0), ("市政公用", 75.0)]
    assert dashboard.on_time_card.no_rate_label.isVisible()
    assert "园林绿化" in dashboard.on_time_card.no_rate_label.text()
    assert dashboard.hot_grids_card.shown() == [
        ("昆阳二网格", 30.0), ("昆阳一网格", 12.0), ("鳌江网格", 7.0)]
    assert dashboard.overdue_card.number.text() == "7"  # 3 + 0 + 4
    assert dashboard.indices_card.shown() == [
        ("运行指数 S", "0.873"), ("效能指数 N", "85.3"), ("覆盖率", "—")]
    assert all(card.has_data() for card in dashboard.cards().values())

    # Only the summary-backed table says how old it is.
    assert dashboard.on_time_card.age_label.isVisible()
    assert "3 min ago" in dashboard.on_time_card.age_label.text()
    assert dashboard.overdue_card.age_label.isVisible()
    assert not dashboard.trend_card.age_label.isVisible()


def test_absent_or_empty_tables_show_no_data(desk_for, qtbot):
    desk = desk_for("inspector1")
    empty_trend = StatTable("trend", _trend().columns, ())
    dashboard = _dashboard(qtbot, desk, Loader(lambda f: (empty_trend, _hot_grids())))
    assert dashboard.hot_grids_card.has_data()
    for card in (dashboard.trend_card, dashboard.on_time_card, dashboard.indices_card,
                 dashboard.overdue_card):
        assert not card.has_data()
        assert card.no_data_label.isVisible() and card.no_data_label.text() == "No data"


def test_a_failed_load_says_why(desk_for, qtbot):
    desk = desk_for("inspector1")

    def broken(f):
        raise ValueError("no statistics today")

    dashboard = StatsDashboard(desk, Loader(broken))
    qtbot.addWidget(dashboard)
    dashboard.show()
    qtbot.waitUntil(lambda: "no statistics today" in dashboard.status_label.text(),
                    timeout=10_000)
    assert not dashboard.trend_card.has_data()


# ---- The filters it asks for


def test_the_period_and_filters_reach_the_loader(desk_for, qtbot):
    desk = desk_for("inspector1")
    loader = Loader()
    dashboard = _dashboard(qtbot, desk, loader)
    today = datetime.now(SHANGHAI).date()
    first = loader.filters[0]
    # This month, to today, in the centre's time zone (UTC+8), whatever the machine's.
    assert first.start == datetime(today.year, today.month, 1, tzinfo=SHANGHAI)
    assert first.end == datetime.combine(today + timedelta(days=1), datetime.min.time(),
                                         tzinfo=SHANGHAI)
    assert first.start.utcoffset() == timedelta(hours=8)
    assert first.filters() == {}

    bar = dashboard.filter_bar
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000) as loaded:
        bar.period.setCurrentIndex(bar.period.findData(Period.CUSTOM))
        bar.first_day.setDate(QDate(2026, 11, 30))
        bar.last_day.setDate(QDate(2026, 11, 1))  # backwards: read forwards
    wait_idle(qtbot, desk.tasks)
    # Three quick changes (the period, then each day): one load, of the last.
    assert (loaded.args[0].start, loaded.args[0].end) == (
        datetime(2026, 11, 1, tzinfo=SHANGHAI), datetime(2026, 12, 1, tzinfo=SHANGHAI))
    assert dashboard.stats_filter == loaded.args[0] == loader.filters[-1]
    assert len(loader.filters) == 2

    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        bar.department.setCurrentIndex(bar.department.findData("SZ"))
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        bar.source.setCurrentIndex(bar.source.findData("hotline_12319"))
    category = desk.reference.categories[0].id
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        bar.category.setCurrentIndex(bar.category.findData(category))
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        qtbot.keyClicks(bar.area, "330326001002")
        qtbot.keyClick(bar.area, Qt.Key.Key_Return)
    assert loader.filters[-1].filters() == {
        "department": "SZ", "category_id": category, "community": "330326001002",
        "source": "hotline_12319"}
    assert dashboard.stats_filter == loader.filters[-1]

    # A code of no known length is not applied: the figures keep the last valid area.
    asked = len(loader.filters)
    bar.area.setText("12345")
    bar.area.editingFinished.emit()
    qtbot.wait(200)
    wait_idle(qtbot, desk.tasks)
    assert len(loader.filters) == asked and "c62828" in bar.area.styleSheet()


def test_a_grid_picked_by_name_filters_by_its_code(desk_for, qtbot, owner: Owner):
    desk = desk_for("inspector1")
    loader = Loader()
    dashboard = _dashboard(qtbot, desk, loader)
    bar = dashboard.filter_bar
    active = ("FROM grids WHERE start_date <= current_date "
              "AND (end_date IS NULL OR end_date > current_date)")
    qtbot.waitUntil(lambda: bar.grid_names.rowCount() > 0, timeout=10_000)
    assert bar.grid_names.rowCount() == owner.scalar(f"SELECT count(*) {active}")
    code = owner.scalar(f"SELECT code {active} ORDER BY code DESC LIMIT 1")
    name = owner.scalar("SELECT name FROM grids WHERE code = :c", c=code)
    bar.area.setFocus()
    for char in name:  # typed as an input method sends it (QTest types ASCII only)
        QApplication.sendEvent(bar.area, QKeyEvent(QEvent.Type.KeyPress, 0,
                                                   Qt.KeyboardModifier.NoModifier, char))
    completer = bar.area.completer()
    qtbot.waitUntil(completer.popup().isVisible, timeout=5_000)
    assert completer.completionCount() == 1
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert bar.area.text() == f"{code} {name}"
    assert loader.filters[-1].filters() == {"grid": code}


def test_last_month_asks_for_last_month(desk_for, qtbot):
    desk = desk_for("inspector1")
    loader = Loader()
    dashboard = _dashboard(qtbot, desk, loader)
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        dashboard.filter_bar.period.setCurrentIndex(
            dashboard.filter_bar.period.findData(Period.LAST_MONTH))
    month = Month.of(datetime.now(SHANGHAI).date()).previous()
    assert loader.filters[-1].start == datetime(month.year, month.month, 1, tzinfo=SHANGHAI)
    following = month.next()
    assert loader.filters[-1].end == datetime(following.year, following.month, 1,
                                              tzinfo=SHANGHAI)
    assert not dashboard.filter_bar.first_day.isEnabled()


# ---- Change notices and superseded loads


def test_a_change_notice_reloads_without_a_click(window_for, qtbot, owner: Owner):
    window = window_for("inspector1")  # its listener turns NOTIFY into sig_data_changed
    overdue = iter(range(10, 100))
    loader = Loader(lambda f: _all_tables(sz_overdue=next(overdue)))
    dashboard = StatsDashboard(window._desk, loader)
    dashboard.refresh_interval_ms = 200
    qtbot.addWidget(dashboard)
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        dashboard.show()
    assert dashboard.overdue_card.number.text() == "14"  # 10 + 0 + 4
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=15_000):
        owner.new_case()  # another seat's work, announced by the database
    assert dashboard.overdue_card.number.text() == "15"
    assert loader.filters[-1] == loader.filters[0]


def test_a_burst_of_notices_reloads_once_per_interval(desk_for, qtbot):
    desk = desk_for("inspector1")
    loader = Loader()
    dashboard = _dashboard(qtbot, desk, loader)
    dashboard.refresh_interval_ms = 1_000
    for i in range(20):
        desk.tasks.sig_data_changed.emit(ChangeSet(entities=frozenset({f"x{i}"})), None)
        qtbot.wait(20)
    qtbot.waitUntil(lambda: len(loader.filters) == 2, timeout=10_000)
    qtbot.wait(600)
    wait_idle(qtbot, desk.tasks)
    assert len(loader.filters) == 2  # twenty notices, one reload
    # Qt's coarse timers may fire up to 5 % early.
    assert loader.started[1] - loader.ended[0] >= 0.95
    # A notice that changed nothing reloads nothing.
    desk.tasks.sig_data_changed.emit(ChangeSet(), None)
    qtbot.wait(1_200)
    assert len(loader.filters) == 2


def test_a_slow_load_is_followed_by_a_pause_not_by_the_next_load(desk_for, qtbot):
    desk = desk_for("inspector1")
    calls: list[int] = []

    def slow(f):
        calls.append(1)
        time.sleep(0.8 if len(calls) == 2 else 0)
        return _all_tables()

    loader = Loader(slow)
    started, ended = loader.started, loader.ended
    dashboard = _dashboard(qtbot, desk, loader)
    dashboard.refresh_interval_ms = 500
    notice = ChangeSet(entities=frozenset({"cases"}))
    desk.tasks.sig_data_changed.emit(notice, None)
    qtbot.waitUntil(lambda: len(started) == 2, timeout=5_000)  # the slow reload runs
    desk.tasks.sig_data_changed.emit(notice, None)  # news meanwhile: one more, later
    qtbot.waitUntil(lambda: len(ended) == 3, timeout=10_000)
    assert started[2] - ended[1] >= 0.45  # the pause after the slow load


def test_a_hidden_dashboard_reloads_when_shown_again(desk_for, qtbot):
    desk = desk_for("inspector1")
    loader = Loader()
    dashboard = _dashboard(qtbot, desk, loader)
    dashboard.hide()
    desk.tasks.sig_data_changed.emit(ChangeSet(entities=frozenset({"cases"})), None)
    qtbot.wait(300)
    assert len(loader.filters) == 1
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        dashboard.show()
    assert len(loader.filters) == 2


def test_a_slow_older_load_does_not_overwrite_a_newer_one(desk_for, qtbot):
    desk = desk_for("inspector1")
    release = threading.Event()
    slow_done = threading.Event()

    def tables(f: StatsFilter):
        if f.department == "SZ":
            release.wait(10)
            slow_done.set()
            return _all_tables(sz_overdue=50)  # 54 overdue: must never be shown
        return _all_tables(sz_overdue=1)  # 5 overdue

    loader = Loader(tables)
    dashboard = _dashboard(qtbot, desk, loader)
    bar = dashboard.filter_bar
    painted: list[StatsFilter] = []
    dashboard.sig_loaded.connect(lambda f, _t: painted.append(f))
    bar.department.setCurrentIndex(bar.department.findData("SZ"))
    qtbot.waitUntil(lambda: len(loader.filters) == 2, timeout=5_000)  # the slow one runs
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        bar.department.setCurrentIndex(bar.department.findData("HW"))
    release.set()
    qtbot.waitUntil(slow_done.is_set, timeout=10_000)
    wait_idle(qtbot, desk.tasks)
    qtbot.wait(100)
    assert [f.department for f in painted] == ["HW"]
    assert dashboard.stats_filter is not None and dashboard.stats_filter.department == "HW"
    assert dashboard.overdue_card.number.text() == "5"


# ---- The export and the monthly report


class Writer:
    """An injected exporter or reporter: what it was given, a file really written."""

    def __init__(self, wait_for_cancel: bool = False) -> None:
        self.calls: list[tuple[object, Path, object]] = []
        self.wait_for_cancel = wait_for_cancel

    def export(self, session, stats_filter, path, progress):
        return self._write(stats_filter, path, path, progress)

    def report(self, session, month, folder, progress):
        return self._write(month, folder, folder / f"月报-{month}.xlsx", progress)

    def _write(self, what, where, path, progress):
        self.calls.append((what, where, progress))
        progress.start(2)
        progress.advance()
        while self.wait_for_cancel:
            if progress.cancelled():
                raise Cancelled()
            time.sleep(0.01)
        path.write_bytes(b"xlsx")
        progress.advance()
        return path


def test_the_export_button_calls_the_exporter(desk_for, qtbot, tmp_path, monkeypatch):
    desk = desk_for("inspector1")
    writer = Writer()
    dashboard = _dashboard(qtbot, desk, Loader(), exporter=writer.export)
    assert dashboard.export_button.isVisible() and not dashboard.report_button.isVisible()
    with qtbot.waitSignal(dashboard.sig_loaded, timeout=10_000):
        dashboard.filter_bar.department.setCurrentIndex(
            dashboard.filter_bar.department.findData("HW"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "统计"), "")))
    with qtbot.waitSignal(dashboard.sig_exported, timeout=10_000) as done:
        qtbot.mouseClick(dashboard.export_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "统计.xlsx"
    assert done.args == [path] and path.read_bytes() == b"xlsx"
    [(stats_filter, where, progress)] = writer.calls
    assert stats_filter == dashboard.filter_bar.stats_filter()
    assert stats_filter.department == "HW" and where == path
    assert isinstance(progress, DialogProgress)
    assert str(path) in dashboard.status_label.text()


def test_a_failed_export_says_why(desk_for, qtbot, tmp_path):
    desk = desk_for("inspector1")

    def broken(session, stats_filter, path, progress):
        raise OSError("the disk is full")

    dashboard = _dashboard(qtbot, desk, Loader(), exporter=broken)
    dashboard.export_statistics(tmp_path / "s.xlsx")
    qtbot.waitUntil(lambda: dashboard.findChild(QMessageBox, "stats_write_failed") is not None,
                    timeout=10_000)
    box = dashboard.findChild(QMessageBox, "stats_write_failed")
    assert "the disk is full" in box.text()
    box.close()


def test_a_cancelled_export_reports_nothing(desk_for, qtbot, tmp_path):
    desk = desk_for("inspector1")
    writer = Writer(wait_for_cancel=True)
    dashboard = _dashboard(qtbot, desk, Loader(), exporter=writer.export)
    exported: list[object] = []
    dashboard.sig_exported.connect(exported.append)
    op = dashboard.export_statistics(tmp_path / "s.xlsx")
    assert op is not None and op.progress is not None
    qtbot.waitUntil(lambda: len(writer.calls) == 1, timeout=5_000)
    op.progress.cancel()  # what the Cancel button does (clicked in test_long_op)
    wait_idle(qtbot, desk.tasks)
    assert not exported and list(tmp_path.iterdir()) == []


def test_the_report_button_asks_a_month_and_calls_the_reporter(desk_for, qtbot, tmp_path):
    desk = desk_for("inspector1")
    writer = Writer()
    dashboard = _dashboard(qtbot, desk, Loader(), reporter=writer.report)
    assert dashboard.report_button.isVisible() and not dashboard.export_button.isVisible()
    qtbot.mouseClick(dashboard.report_button, Qt.MouseButton.LeftButton)
    dialog = dashboard.findChild(MonthlyReportDialog)
    assert dialog is not None and dialog.isVisible()
    # Last month, in the centre's time zone, by default.
    assert dialog.chosen_month() == Month.of(datetime.now(SHANGHAI).date()).previous()
    dialog.month.setDate(QDate(2026, 11, 17))
    dialog.folder.setText(str(tmp_path))
    with qtbot.waitSignal(dashboard.sig_reported, timeout=10_000) as done:
        dialog.buttons.accepted.emit()
    path = tmp_path / "月报-2026-11.xlsx"
    assert done.args == [path] and path.exists()
    [(month, folder, progress)] = writer.calls
    assert month == Month(2026, 11) and folder == tmp_path
    assert isinstance(progress, DialogProgress)
    # The folder is remembered for the next report.
    qtbot.mouseClick(dashboard.report_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.chosen_folder() == tmp_path
    assert dialog.chosen_month() == Month.of(datetime.now(SHANGHAI).date()).previous()
    dialog.reject()



def test_the_dashboard_speaks_chinese(desk_for, qtbot):
    desk = desk_for("inspector1")
    app = QApplication.instance()
    translators = install_translators(app, "zh")
    try:
        dashboard = _dashboard(qtbot, desk, Loader(lambda f: (_trend(), _hot_grids())),
                               exporter=Writer().export)
        assert dashboard.export_button.text() == "导出统计…"
        assert dashboard.filter_bar.period.currentText() == "本月"
        assert dashboard.trend_card.title() == "每日案卷"
        names = {s.objectName(): s.name() for s in dashboard.trend_card.chart.series()}
        assert names == {"reported": "上报", "registered": "立案", "closed": "结案"}
        assert dashboard.hot_grids_card.value_name == "上报数"  # same source, its own context
        assert dashboard.on_time_card.title() == "各部门按期处置率"
        assert dashboard.on_time_card.no_data_label.text() == "无数据"  # the base's words
    finally:
        for t in translators:
            app.removeTranslator(t)
        install_translators(app, "en")
