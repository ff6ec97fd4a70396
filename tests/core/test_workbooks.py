"""Statistics workbooks and the detailed case list, each opened again with openpyxl:
sheets, headers, number formats, frozen header, autofilter, widths, charts and the
cells their series point at, text that would be a formula kept as text, masked
phones, row-level security, nothing left behind on a cancel; and converted to PDF by
LibreOffice when it is installed."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, LineChart
from sqlalchemy import text

from seatdesk import messages
from seatdesk.domain.glossary import Action, Role, State
from seatdesk.domain.statistics import Column, ColumnKind, StatsFilter, StatTable
from seatdesk.progress import Cancelled
from seatdesk.services import case_list
from seatdesk.services.case_list import CASE_LIST_COLUMNS, export_case_list
from seatdesk.services.monthly_report import days_filter
from seatdesk.services.workbooks import (
    column_header,
    describe_filter,
    display_width,
    sheet_titles,
    table_title,
    write_statistics,
)
from tests.core.conftest import DEPARTMENT, Desk

K = ColumnKind

DEPARTMENTS = StatTable(
    "departments",
    (
        Column("department_name", K.TEXT),
        Column("dispatched", K.COUNT),
        Column("on_time_rate", K.RATE),
        Column("avg_handling_hours", K.HOURS),
        Column("score", K.SCORE),
    ),
    (
        ("城市管理综合执法局", 1200, 0.875, 12.25, 91.5),
        ('=HYPERLINK("http://evil","点我")', 3, None, None, 0.0),
        ("环卫处", 40, 1.0, 3.5, 99.0),
    ),
)
CATEGORIES = StatTable(
    "categories",
    (Column("category_name", K.TEXT), Column("reported", K.COUNT), Column("closed", K.COUNT)),
    (("井盖", 10, 7), ("垃圾", 25, 20)),
)
TREND = StatTable(
    "trend",
    (Column("day", K.DATE), Column("reported", K.COUNT), Column("registered", K.COUNT),
     Column("closed", K.COUNT)),
    tuple((date(2026, 11, d), d, d - 1, d // 2) for d in range(1, 31)),
)
HOT_GRIDS = StatTable(
    "hot_grids", (Column("grid_code", K.CODE), Column("reported", K.COUNT)),
    (("330326001001001", 9),),
)

#: The sheet titles of these tables: the statistics' words (stats.table.<key>).
DEP, CAT, TRE, HOT = (table_title(t.key) for t in (DEPARTMENTS, CATEGORIES, TREND, HOT_GRIDS))


class Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.total: int | None = None
        self.done = 0
        self.cancel_after = cancel_after

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, steps: int = 1) -> None:
        self.done += steps

    def status(self, text: str) -> None:
        del text

    def cancelled(self) -> bool:
        return self.cancel_after is not None and self.done >= self.cancel_after


def _write(path: Path, tables: list[StatTable] | None = None) -> Path:
    return write_statistics(
        path, tables or [DEPARTMENTS, CATEGORIES, TREND, HOT_GRIDS],
        title="统计报表", description="统计时段：2026-11-01 至 2026-11-30",
    )


def test_a_sheet_per_table_with_headers_formats_frozen_header_and_autofilter(
    tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(_write(tmp_path / "stats.xlsx"))
    # Titles from the statistics' words, not the keys.
    assert (DEP, CAT, TRE, HOT) == ("专业部门处置情况统计", "分类案件统计", "案件趋势", "高发网格")
    assert book.sheetnames == [DEP, CAT, TRE, HOT]
    sheet = book[DEP]
    assert sheet["A1"].value == "专业部门处置情况统计"
    assert sheet["A2"].value.startswith("统计时段：2026-11-01 至 2026-11-30")
    assert "（实时）" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == [
        "专业部门", "应处置数", "按期处置率", "平均处置用时（工作小时）", "综合评分"
    ]
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:E6"
    first = [c for c in sheet[4]]
    assert [c.value for c in first] == ["城市管理综合执法局", 1200, 0.875, 12.25, 91.5]
    assert [c.number_format for c in first[1:]] == ["#,##0", "0.0%", "0.0", "0.00"]
    # A rate whose denominator is 0 is an empty cell, not 0%.
    assert sheet["C5"].value is None
    # The widest text is the one that would be a formula, counted by hand:
    # =HYPERLINK( 11 + "http://evil" 13 + , 1 + "点我" 6 + ) 1 = 32, + 2 of margin.
    assert sheet.column_dimensions["A"].width == 34
    # 城市管理综合执法局 alone: 9 wide characters = 18 cells, + 2.
    alone = StatTable("departments", DEPARTMENTS.columns, DEPARTMENTS.rows[:1])
    other = openpyxl.load_workbook(_write(tmp_path / "one.xlsx", [alone])).worksheets[0]
    assert other.column_dimensions["A"].width == 20
    # "按期处置率" (10) + 3 for the filter button + 2 of margin.
    assert sheet.column_dimensions["C"].width == 15
    trend = book[TRE]
    assert trend["A4"].value == datetime(2026, 11, 1)
    assert trend["A4"].number_format == "yyyy-mm-dd"
    assert trend.auto_filter.ref == "A3:D33"


def test_text_that_would_be_a_formula_stays_text(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(_write(tmp_path / "s.xlsx"))[DEP]
    cell = sheet["A5"]
    assert cell.value == '=HYPERLINK("http://evil","点我")'
    assert cell.data_type == "s"


def test_the_charts_point_at_their_tables_cells(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_write(tmp_path / "s.xlsx"))
    (on_time,) = book[DEP]._charts
    assert isinstance(on_time, BarChart)
    (series,) = on_time.series
    assert series.val.numRef.f == f"'{DEP}'!$C$4:$C$6"
    assert series.cat.strRef.f == f"'{DEP}'!$A$4:$A$6"
    assert series.tx.strRef.f == f"'{DEP}'!C3"
    (per_category,) = book[CAT]._charts
    # "registered" is not in this categories table: two series, not three.
    assert [s.val.numRef.f for s in per_category.series] == [
        f"'{CAT}'!$B$4:$B$5", f"'{CAT}'!$C$4:$C$5"
    ]
    (trend,) = book[TRE]._charts
    assert isinstance(trend, LineChart)
    assert [s.val.numRef.f for s in trend.series] == [
        f"'{TRE}'!$B$4:$B$33", f"'{TRE}'!$C$4:$C$33", f"'{TRE}'!$D$4:$D$33"
    ]
    assert book[HOT]._charts == []


def test_a_table_without_words_is_titled_and_headed_by_its_keys(tmp_path: Path) -> None:
    # A statistic another area adds before its words: the keys, not a failed export.
    made_up = StatTable(
        "made_up_statistic",
        (Column("made_up_column", K.COUNT), Column("reported", K.COUNT)),
        ((3, 4),),
    )
    known = messages.keys()
    assert "stats.table.made_up_statistic" not in known
    assert "stats.col.made_up_column" not in known
    assert table_title("made_up_statistic") == "made_up_statistic"
    assert column_header("made_up_column") == "made_up_column"
    assert sheet_titles([made_up, TREND]) == ["made_up_statistic", TRE]
    book = openpyxl.load_workbook(_write(tmp_path / "m.xlsx", [made_up, TREND]))
    assert book.sheetnames == ["made_up_statistic", TRE]
    sheet = book["made_up_statistic"]
    assert sheet["A1"].value == "made_up_statistic"
    # Its own column by its key, a known column by its words.
    assert [c.value for c in sheet[3]] == ["made_up_column", "上报数"]
    assert [c.value for c in sheet[4]] == [3, 4]


def test_a_table_without_rows_has_its_header_and_no_chart(tmp_path: Path) -> None:
    empty = StatTable("departments", DEPARTMENTS.columns, ())
    sheet = openpyxl.load_workbook(_write(tmp_path / "e.xlsx", [empty])).worksheets[0]
    assert sheet.auto_filter.ref == "A3:E3"
    assert sheet["A4"].value == "（无数据）"
    assert sheet._charts == []


def test_a_summary_table_states_its_age(tmp_path: Path) -> None:
    as_of = datetime.now().astimezone() - timedelta(minutes=30, seconds=5)
    table = StatTable("hot_grids", HOT_GRIDS.columns, HOT_GRIDS.rows, as_of=as_of)
    sheet = openpyxl.load_workbook(_write(tmp_path / "a.xlsx", [table])).worksheets[0]
    assert "汇总表，30 分钟前更新" in sheet["A2"].value


def test_a_cancel_leaves_no_file_and_an_older_one_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    path.write_bytes(b"older")
    with pytest.raises(Cancelled):
        write_statistics(path, [DEPARTMENTS, TREND], title="t", description="d",
                         progress=Recorder(cancel_after=1))
    assert path.read_bytes() == b"older"
    assert list(tmp_path.iterdir()) == [path]


def test_cjk_counts_double() -> None:
    assert display_width("abc") == 3
    assert display_width("按期处置率") == 10
    assert display_width("A区１") == 5  # a full-width digit is wide too


def test_the_description_names_the_period_and_the_filters(desk: Desk) -> None:
    f = days_filter(desk.session, date(2026, 11, 1), date(2026, 11, 30), department="SZ",
                    grid="330326001001001")
    assert f.start.isoformat() == "2026-11-01T00:00:00+08:00"
    assert f.end.isoformat() == "2026-12-01T00:00:00+08:00"
    assert describe_filter(f) == (
        "统计时段：2026-11-01 至 2026-11-30  筛选条件：处置部门 SZ；单元网格 330326001001001"
    )


# ---- The detailed case list over the demo database


def _today(desk: Desk) -> StatsFilter:
    today = desk.now().date()
    return days_filter(desk.session, today, today)


def _read(path: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    width = len(CASE_LIST_COLUMNS)
    # A read-only sheet drops a row's empty cells at its end.
    rows = [list(r) + [None] * (width - len(r)) for r in book.worksheets[0].iter_rows(
        values_only=True)]
    book.close()
    return rows


def _closed_case(desk: Desk) -> tuple[int, str]:
    case_id = desk.new_case(reporter="王小明", reporter_phone="13812345678",
                            address='=HYPERLINK("x")')
    desk.drive(case_id, State.CLOSED)
    number = desk.scalar("SELECT number FROM cases WHERE id = :i", i=case_id)
    return case_id, number


def test_the_case_list_has_every_step_masked_phones_and_on_time(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_list, "CASE_LIST_PAGE", 2)  # several keyset pages
    _, number = _closed_case(desk)
    open_id = desk.new_case(reporter_phone="0577-63612345")
    desk.drive(open_id, State.DISPATCHED)
    open_number = desk.scalar("SELECT number FROM cases WHERE id = :i", i=open_id)
    f = _today(desk)
    expected = desk.scalar(
        "SELECT count(*) FROM cases WHERE created_at >= :s AND created_at < :e",
        s=f.start, e=f.end,
    )
    assert expected > 2
    progress = Recorder()
    with desk.as_(Role.INSPECTOR) as s:
        result = export_case_list(s, f, tmp_path / "明细.xlsx", progress)
    rows = _read(tmp_path / "明细.xlsx")
    assert rows[0][0].startswith("统计时段：") and "反映人电话已脱敏" in rows[0][0]
    header = rows[1]
    assert header[:4] == ["案卷编号", "问题来源", "问题类别", "单元网格"]
    assert len(header) == len(CASE_LIST_COLUMNS)
    body = {r[0]: dict(zip(CASE_LIST_COLUMNS, r, strict=True)) for r in rows[2:]}
    assert len(body) == result.rows == expected == progress.total == progress.done
    closed = body[number]
    assert closed["state"] == "已结案"
    assert closed["reporter_phone"] == "138****5678"
    for step in ("reported_at", "registered_at", "dispatched_at", "handled_at", "closed_at"):
        assert isinstance(closed[step], datetime), step
    assert (closed["reported_at"] <= closed["registered_at"] <= closed["dispatched_at"]
            <= closed["handled_at"] <= closed["closed_at"])
    # Handled within minutes of a handling limit of hours or days: on time.
    assert isinstance(closed["deadline"], datetime)
    assert closed["handled_at"] <= closed["deadline"]
    assert (closed["on_time"], closed["overdue"]) == ("是", "否")
    still_open = body[open_number]
    assert still_open["reporter_phone"] == "********2345"
    assert still_open["handled_at"] is None and still_open["closed_at"] is None
    assert (still_open["on_time"], still_open["overdue"]) == (None, "否")
    # No phone in full anywhere in the file.
    assert not any("13812345678" in str(v) for r in rows for v in r)
    book = openpyxl.load_workbook(tmp_path / "明细.xlsx")
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:R{expected + 2}"


def test_an_open_case_past_its_handling_deadline_is_overdue(
    desk: Desk, tmp_path: Path
) -> None:
    case_id = desk.new_case()
    desk.drive(case_id, State.HANDLING)
    number = desk.scalar("SELECT number FROM cases WHERE id = :i", i=case_id)
    # The deadline in force moved into the past (as an approved extension's event would
    # state a new one), then the department reports it handled: late.
    desk.session.execute(text(
        "INSERT INTO case_events (case_id, action, from_state, to_state, data) "
        "VALUES (:i, 'approve', 'extension_requested', 'handling', "
        "jsonb_build_object('deadline', '2026-01-05T17:00:00+08:00'))"
    ), {"i": case_id})
    with desk.as_(Role.INSPECTOR) as s:
        export_case_list(s, _today(desk), tmp_path / "a.xlsx")
    row = next(r for r in _read(tmp_path / "a.xlsx") if r[0] == number)
    values = dict(zip(CASE_LIST_COLUMNS, row, strict=True))
    assert values["deadline"] == datetime(2026, 1, 5, 17, 0)
    assert (values["on_time"], values["overdue"]) == (None, "是")
    desk.perform(Role.DEPARTMENT, Action.REPORT_DONE, case_id)
    with desk.as_(Role.INSPECTOR) as s:
        export_case_list(s, _today(desk), tmp_path / "b.xlsx")
    row = next(r for r in _read(tmp_path / "b.xlsx") if r[0] == number)
    values = dict(zip(CASE_LIST_COLUMNS, row, strict=True))
    assert values["handled_at"] > values["deadline"]
    assert (values["on_time"], values["overdue"]) == ("否", "是")


def test_overdue_is_judged_at_one_moment_of_the_export(desk: Desk, tmp_path: Path) -> None:
    case_id = desk.new_case()
    desk.drive(case_id, State.HANDLING)
    number = desk.scalar("SELECT number FROM cases WHERE id = :i", i=case_id)
    deadline = desk.scalar(
        "SELECT (data ->> 'deadline')::timestamptz FROM case_events WHERE case_id = :i "
        "AND data ? 'deadline' ORDER BY id DESC LIMIT 1", i=case_id)
    seen = {}
    for label, moment in (("before", deadline - timedelta(seconds=1)),
                          ("after", deadline + timedelta(seconds=1))):
        with desk.as_(Role.INSPECTOR) as s:
            export_case_list(s, _today(desk), tmp_path / f"{label}.xlsx", as_of=moment)
        row = next(r for r in _read(tmp_path / f"{label}.xlsx") if r[0] == number)
        seen[label] = dict(zip(CASE_LIST_COLUMNS, row, strict=True))["overdue"]
    assert seen == {"before": "否", "after": "是"}


def test_a_department_lists_its_own_cases_only(desk: Desk, tmp_path: Path) -> None:
    f = StatsFilter(datetime(2000, 1, 1).astimezone(), datetime(2100, 1, 1).astimezone())
    with desk.as_(Role.INSPECTOR) as s:
        everyone = export_case_list(s, f, tmp_path / "all.xlsx").rows
    with desk.as_(Role.DEPARTMENT) as s:
        own = export_case_list(s, f, tmp_path / "own.xlsx")
    name = desk.scalar("SELECT name FROM departments WHERE code = :c", c=DEPARTMENT)
    rows = _read(tmp_path / "own.xlsx")[2:]
    assert 0 < own.rows == len(rows) < everyone
    assert {r[CASE_LIST_COLUMNS.index("department")] for r in rows} == {name}


def test_the_case_list_filters_by_department_and_source(desk: Desk, tmp_path: Path) -> None:
    f = StatsFilter(datetime(2000, 1, 1).astimezone(), datetime(2100, 1, 1).astimezone(),
                    department=DEPARTMENT, source="hotline_12319")
    expected = desk.scalar(
        "SELECT count(*) FROM cases WHERE current_department = :d AND source = :s",
        d=DEPARTMENT, s="hotline_12319",
    )
    with desk.as_(Role.INSPECTOR) as s:
        result = export_case_list(s, f, tmp_path / "f.xlsx")
    assert result.rows == expected > 0
    assert {r[1] for r in _read(tmp_path / "f.xlsx")[2:]} == {"12319热线"}


def test_a_cancelled_case_list_leaves_no_file(desk: Desk, tmp_path: Path) -> None:
    f = StatsFilter(datetime(2000, 1, 1).astimezone(), datetime(2100, 1, 1).astimezone())
    with desk.as_(Role.INSPECTOR) as s, pytest.raises(Cancelled):
        export_case_list(s, f, tmp_path / "c.xlsx", Recorder(cancel_after=1))
    assert list(tmp_path.iterdir()) == []


# ---- LibreOffice: the workbook opens outside Python


def to_pdf(path: Path, out: Path) -> Path:
    """Convert with LibreOffice headless, in a profile of its own (a desktop's running
    LibreOffice or another test's conversion would otherwise take the request)."""
    profile = out / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = out / (path.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {path.name}"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    return pdf


@pytest.mark.usefixtures("report_tools")
def test_the_statistics_workbook_converts_to_pdf(tmp_path: Path) -> None:
    pdf = to_pdf(_write(tmp_path / "统计.xlsx"), tmp_path)
    # A page per sheet at least (four sheets), charts drawn into them.
    assert pdf_pages(pdf) >= 4


def pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def test_the_case_list_filters_by_place_and_category(desk: Desk, tmp_path: Path) -> None:
    grid, category, parent = desk.session.execute(text(
        "SELECT c.grid_code, c.category_id, k.parent_id FROM cases c "
        "JOIN categories k ON k.id = c.category_id WHERE c.grid_code IS NOT NULL "
        "ORDER BY c.id LIMIT 1"
    )).one()
    everything = (datetime(2000, 1, 1).astimezone(), datetime(2100, 1, 1).astimezone())
    for filters, sql in (
        ({"grid": grid}, "grid_code = :g"),
        ({"street": grid[:9]}, "grid_code LIKE :s || '%'"),
        ({"community": grid[:12]}, "grid_code LIKE :c || '%'"),
        ({"category_id": category}, "category_id = :k"),
        # A major class stands for its minor classes.
        ({"category_id": parent},
         "category_id IN (SELECT id FROM categories WHERE parent_id = :p)"),
    ):
        expected = desk.scalar(f"SELECT count(*) FROM cases WHERE {sql}", g=grid,
                               s=grid[:9], c=grid[:12], k=category, p=parent)
        with desk.as_(Role.INSPECTOR) as s:
            got = export_case_list(s, StatsFilter(*everything, **filters),
                                   tmp_path / "p.xlsx").rows
        assert got == expected > 0, filters


def test_a_name_that_would_be_a_formula_stays_text_in_the_case_list(
    desk: Desk, tmp_path: Path
) -> None:
    desk.session.execute(text("UPDATE departments SET name = '=1+2' WHERE code = :c"),
                         {"c": DEPARTMENT})
    f = StatsFilter(datetime(2000, 1, 1).astimezone(), datetime(2100, 1, 1).astimezone(),
                    department=DEPARTMENT)
    with desk.as_(Role.INSPECTOR) as s:
        export_case_list(s, f, tmp_path / "n.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "n.xlsx").worksheets[0]
    cell = sheet.cell(3, CASE_LIST_COLUMNS.index("department") + 1)
    assert (cell.value, cell.data_type) == ("=1+2", "s")
