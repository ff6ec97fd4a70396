"""The monthly report (智慧城市运营监控与数据分析报告): its file, the summary sheet with
the indices and their change from the month before, the headline counts, the detail
sheets with their charts, the periods the statistics are asked for, and the one place
the command line takes its statistics from."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.chart import BarChart
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from seatdesk.cli import main
from seatdesk.db.engine import ServerAddress
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Role
from seatdesk.domain.statistics import Column, ColumnKind, Month, StatsFilter, StatTable
from seatdesk.errors import Problem
from seatdesk.progress import Cancelled
from seatdesk.services import monthly_report, stats_tables
from seatdesk.services.monthly_report import (
    INDEX_COLUMNS,
    RegisteredSource,
    default_source,
    headline_counts,
    index_changes,
    month_filter,
    write_monthly_report,
)
from seatdesk.services.workbooks import column_header, table_title
from tests.core.conftest import Desk
from tests.core.test_cli import _run
from tests.core.test_complaints_cli import _as
from tests.core.test_workbooks import DEPARTMENTS, TREND, Recorder, pdf_pages, to_pdf

K = ColumnKind

#: The detail sheets' titles: the statistics' words for the fake source's tables.
DEP, TRE = table_title("departments"), table_title("trend")


def _indices(values: dict[str, float | None]) -> StatTable:
    names = {"S": "运行指数", "N": "效能指数", "miss": "漏报率"}
    return StatTable("indices", INDEX_COLUMNS, tuple((k, names[k], v) for k, v in values.items()))


#: November's indices and October's, as the statistics would give them.
NOVEMBER = _indices({"S": 0.92, "N": 85.5, "miss": 0.03})
OCTOBER = _indices({"S": 0.88, "N": None, "miss": 0.05})


class FakeSource:
    """The statistics of the report, hand-made, recording the periods asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, StatsFilter]] = []

    def tables(self, session: Session, f: StatsFilter) -> list[StatTable]:
        self.asked.append(("tables", f))
        return [DEPARTMENTS, TREND]

    def indices(self, session: Session, f: StatsFilter) -> StatTable:
        self.asked.append(("indices", f))
        return NOVEMBER if f.start.month == 11 else OCTOBER


def _set_centre_name(desk: Desk, name: str) -> None:
    desk.session.execute(text(
        "INSERT INTO centre_settings (key, value) "
        "VALUES ('centre_name', to_jsonb(CAST(:n AS text))) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
    ), {"n": name})


def _report(desk: Desk, folder: Path, source: Any = None) -> tuple[Path, FakeSource]:
    source = source or FakeSource()
    with desk.as_(Role.INSPECTOR) as s:
        path = write_monthly_report(s, Month(2026, 11), folder, source=source)
    return path, source


def test_the_report_is_named_for_its_month_and_asks_for_this_and_last_month(
    desk: Desk, tmp_path: Path
) -> None:
    path, source = _report(desk, tmp_path / "reports")
    assert path == tmp_path / "reports" / "智慧城市运营监控与数据分析报告-2026-11.xlsx"
    assert path.exists()
    assert list(path.parent.iterdir()) == [path]  # no part file left
    periods = [(what, f.start.isoformat(), f.end.isoformat()) for what, f in source.asked]
    assert periods == [
        ("tables", "2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00"),
        ("indices", "2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00"),
        ("indices", "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00"),
    ]


def test_the_summary_comes_first_with_the_indices_and_their_change(
    desk: Desk, tmp_path: Path
) -> None:
    _set_centre_name(desk, "平阳县数字化城市管理监督指挥中心")
    path, _ = _report(desk, tmp_path)
    book = openpyxl.load_workbook(path)
    assert (DEP, TRE) == ("专业部门处置情况统计", "案件趋势")
    assert book.sheetnames == ["报告概要", DEP, TRE]
    summary = book["报告概要"]
    cells = {
        (r, c): summary.cell(r, c).value
        for r in range(1, summary.max_row + 1) for c in range(1, 5)
    }
    assert cells[(1, 1)] == "智慧城市运营监控与数据分析报告"
    assert (cells[(3, 1)], cells[(3, 2)]) == ("监督指挥中心", "平阳县数字化城市管理监督指挥中心")
    assert (cells[(4, 1)], cells[(4, 2)]) == ("报告月份", "2026年11月")
    assert cells[(6, 1)].startswith("统计时段：2026-11-01 至 2026-11-30")
    header = next(r for r in range(1, summary.max_row + 1) if cells[(r, 1)] == "指数")
    assert [cells[(header, c)] for c in range(1, 5)] == ["指数", "本月", "上月", "环比变化"]
    rows = [[cells[(header + i, c)] for c in range(1, 5)] for i in (1, 2, 3)]
    # 0.92 − 0.88 = +0.04; 效能指数 has no October value: no change; 0.03 − 0.05 = −0.02.
    assert rows[0][:3] == ["运行指数", 0.92, 0.88] and rows[0][3] == pytest.approx(0.04)
    assert rows[1] == ["效能指数", 85.5, None, None]
    assert rows[2][:3] == ["漏报率", 0.03, 0.05] and rows[2][3] == pytest.approx(-0.02)
    assert summary.cell(header + 1, 2).number_format == "0.00"
    assert summary.cell(header + 1, 4).number_format == "+0.00;-0.00;0.00"
    (chart,) = summary._charts
    assert isinstance(chart, BarChart)
    assert [s.val.numRef.f for s in chart.series] == [
        f"'报告概要'!$B${header + 1}:$B${header + 3}",
        f"'报告概要'!$C${header + 1}:$C${header + 3}",
    ]
    assert chart.series[1].cat.strRef.f == f"'报告概要'!$A${header + 1}:$A${header + 3}"
    # Headline counts: the trend's November, summed by hand:
    # reported 1 + … + 30 = 465; registered 0 + … + 29 = 435;
    # closed Σ d//2 for d = 1..30 = 2·(0+…+14) + 15 = 225.
    headline = next(r for r in range(1, summary.max_row + 1) if cells[(r, 1)] == "项目")
    figures = {cells[(r, 1)]: cells[(r, 2)] for r in range(headline + 1, headline + 4)}
    assert figures == {
        column_header("reported"): 465,
        column_header("registered"): 435,
        column_header("closed"): 225,
    }
    assert set(figures) == {"上报数", "立案数", "结案数"}
    details = next(v for v in cells.values() if isinstance(v, str) and v.startswith("后附"))
    assert details == f"后附明细表：{DEP}、{TRE}"


def test_the_detail_sheets_have_their_charts(desk: Desk, tmp_path: Path) -> None:
    path, _ = _report(desk, tmp_path)
    book = openpyxl.load_workbook(path)
    (on_time,) = book[DEP]._charts
    assert on_time.series[0].val.numRef.f == f"'{DEP}'!$C$4:$C$6"
    (trend,) = book[TRE]._charts
    assert trend.series[0].val.numRef.f == f"'{TRE}'!$B$4:$B$33"
    assert book[TRE].freeze_panes == "A4"


def test_index_changes_and_headlines_by_hand() -> None:
    assert index_changes(NOVEMBER, OCTOBER)[2] == ("漏报率", 0.03, 0.05, pytest.approx(-0.02))
    assert index_changes(NOVEMBER, _indices({}))[0] == ("运行指数", 0.92, None, None)
    categories = StatTable(
        "categories", (Column("category_name", K.TEXT), Column("reported", K.COUNT),
                       Column("on_time_rate", K.RATE)),
        (("井盖", 10, 0.5), ("垃圾", 25, None)),
    )
    # Without a trend, the categories count every case once: 10 + 25.
    assert headline_counts([categories]) == [("reported", 35)]
    assert headline_counts([DEPARTMENTS]) == []


def test_month_filter_is_the_whole_month_in_the_centres_time(desk: Desk) -> None:
    december = month_filter(desk.session, Month(2026, 12))
    assert december.start == datetime.fromisoformat("2026-12-01T00:00:00+08:00")
    assert december.end == datetime.fromisoformat("2027-01-01T00:00:00+08:00")


def test_a_cancelled_report_leaves_no_file(desk: Desk, tmp_path: Path) -> None:
    with desk.as_(Role.INSPECTOR) as s, pytest.raises(Cancelled):
        write_monthly_report(s, Month(2026, 11), tmp_path, source=FakeSource(),
                             progress=Recorder(cancel_after=2))
    assert list(tmp_path.iterdir()) == []


def test_the_default_source_is_every_statistic_but_the_indices_and_the_indices(
    desk: Desk,
) -> None:
    assert monthly_report.REPORT_TABLES == stats_tables.REPORT
    assert monthly_report.REPORT_INDICES is stats_tables.indices
    assert stats_tables.indices not in stats_tables.REPORT
    source = default_source()
    assert source == RegisteredSource(stats_tables.REPORT, stats_tables.indices)
    # Its indices are the statistics' (index_key, index_name, value).
    with desk.as_(Role.INSPECTOR) as s:
        indices = source.indices(s, month_filter(s, Month(2026, 11)))
    assert [c.key for c in indices.columns] == [c.key for c in INDEX_COLUMNS]
    assert indices.rows


def test_default_source_is_the_one_composition_point(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(monthly_report, "REPORT_TABLES", ())
    monkeypatch.setattr(monthly_report, "REPORT_INDICES", None)
    with pytest.raises(Problem) as refused:
        default_source()
    assert "尚未登记任何统计表" in str(refused.value)
    seen: list[StatsFilter] = []

    def trend(session: Session, f: StatsFilter) -> StatTable:
        seen.append(f)
        return TREND

    monkeypatch.setattr(monthly_report, "REPORT_TABLES", (trend,))
    source = default_source()
    assert isinstance(source, RegisteredSource)
    f = month_filter(desk.session, Month(2026, 11))
    assert source.tables(desk.session, f) == [TREND] and seen == [f]
    # No indices registered: an empty indices table, the summary lists none.
    assert source.indices(desk.session, f).rows == ()


@pytest.mark.usefixtures("report_tools")
def test_the_report_converts_to_pdf(desk: Desk, tmp_path: Path) -> None:
    path, _ = _report(desk, tmp_path)
    pdf = to_pdf(path, tmp_path)
    assert pdf_pages(pdf) >= 3  # summary, departments, trend


# ---- The command line


def test_report_on_the_command_line_writes_the_month_with_the_default_source(
    server: ServerAddress, seeded: DemoResult, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(monthly_report, "default_source", FakeSource)
    for key, value in _as(server, seeded, "inspector1").items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(
        main, ["report", "--month", "2026-11", "--folder", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "智慧城市运营监控与数据分析报告-2026-11.xlsx"
    assert openpyxl.load_workbook(path).sheetnames == ["报告概要", DEP, TRE]


#: The keys of the report's detail tables over a month, in stats_tables.REPORT's order.
REPORT_KEYS = (
    "departments", "trend", "categories", "streets", "communities", "grids", "hot_grids",
    "sources", "acceptors", "shift_leaders", "dispatchers", "users", "collectors",
)


def test_report_on_the_command_line_over_the_registered_statistics(
    server: ServerAddress, seeded: DemoResult, tmp_path: Path
) -> None:
    result = _run("report", "--month", "2026-11", "--folder", str(tmp_path),
                  env={**_as(server, seeded, "inspector1"), "SEATDESK_LANG": "zh"})
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "智慧城市运营监控与数据分析报告-2026-11.xlsx")
    titles = [table_title(k) for k in REPORT_KEYS]
    # Every detail table has its words: no sheet falls back to its key.
    assert not set(titles) & set(REPORT_KEYS)
    assert book.sheetnames == ["报告概要", *titles]


def test_report_without_registered_statistics_is_one_sentence(
    server: ServerAddress, seeded: DemoResult, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(monthly_report, "REPORT_TABLES", ())
    monkeypatch.setattr(monthly_report, "REPORT_INDICES", None)
    for key, value in _as(server, seeded, "inspector1").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("SEATDESK_LANG", "en")
    result = CliRunner().invoke(
        main, ["report", "--month", "2026-11", "--folder", str(tmp_path)]
    )
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "No statistics are registered for the report" in lines[0]
    assert list(tmp_path.iterdir()) == []
    bad = _run("report", "--month", "2026-13", env=_as(server, seeded, "inspector1"))
    assert bad.returncode == 2 and "YYYY-MM: 2026-13" in bad.stderr


def test_stats_cases_on_the_command_line_writes_the_case_list(
    server: ServerAddress, seeded: DemoResult, owner_engine: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "cases.xlsx"
    with owner_engine.connect() as conn:
        expected = conn.execute(text(
            "SELECT count(*) FROM cases WHERE current_department = 'SZ' "
            "AND created_at >= '2000-01-01' AND created_at < '2100-01-01'"
        )).scalar_one()
    result = _run("stats", "cases", "--from", "2000-01-01", "--to", "2099-12-31",
                  "--department", "SZ", "--out", str(out),
                  env=_as(server, seeded, "inspector1"))
    assert result.returncode == 0, result.stderr
    assert f"{expected} cases written" in result.stdout
    book = openpyxl.load_workbook(out, read_only=True)
    assert sum(1 for _ in book.worksheets[0].iter_rows()) == expected + 2
    book.close()
    backwards = _run("stats", "cases", "--from", "2026-11-30", "--to", "2026-11-01",
                     "--out", str(out), env=_as(server, seeded, "inspector1"))
    assert backwards.returncode == 2 and "ends (2026-11-01) before it starts" in backwards.stderr


def test_stats_export_on_the_command_line_asks_for_the_days_and_filters(
    server: ServerAddress, seeded: DemoResult, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The export reads every statistic stats_tables lists (ALL): two, recording.
    asked: list[tuple[str, StatsFilter]] = []

    def departments(session: Session, f: StatsFilter) -> StatTable:
        asked.append(("departments", f))
        return DEPARTMENTS

    def trend(session: Session, f: StatsFilter) -> StatTable:
        asked.append(("trend", f))
        return TREND

    monkeypatch.setattr(stats_tables, "ALL", (departments, trend))
    for key, value in _as(server, seeded, "inspector1").items():
        monkeypatch.setenv(key, value)
    out = tmp_path / "统计.xlsx"
    result = CliRunner().invoke(main, [
        "stats", "export", "--from", "2026-11-01", "--to", "2026-11-15",
        "--department", "SZ", "--source", "hotline_12319", "--out", str(out),
    ])
    assert result.exit_code == 0, result.output
    assert [what for what, _ in asked] == ["departments", "trend"]
    f = asked[0][1]
    assert asked[1][1] == f
    assert (f.start.isoformat(), f.end.isoformat()) == (
        "2026-11-01T00:00:00+08:00", "2026-11-16T00:00:00+08:00"
    )
    assert f.filters() == {"department": "SZ", "source": "hotline_12319"}
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [DEP, TRE]
    sheet = book.worksheets[0]
    assert sheet["A2"].value.startswith(
        "统计时段：2026-11-01 至 2026-11-15  筛选条件：处置部门 SZ；问题来源 12319热线"
    )
