"""The monthly report (智慧城市运营监控与数据分析报告): one workbook per month.

The first sheet is the summary an inspector hands to the city: the centre's name, the
month, the indices (运行指数, 效能指数 and the 校核 rates, as the statistics give them)
with last month's value and the change, a chart of both months, and the headline
counts of the month; then one detail sheet per statistic, with its charts, as any
statistics workbook has them (``seatdesk.services.workbooks``).

The figures come from a ``ReportSource``: what the statistics compute for a
``StatsFilter``. ``default_source()`` is the one place that says which statistics the
report holds (``REPORT_TABLES``, ``REPORT_INDICES``); the command line, the panel and
the scheduler all take it from there. The report itself only lays them out.

The file is ``智慧城市运营监控与数据分析报告-2026-11.xlsx`` in the folder given, written
beside it and renamed into place when complete: a crash leaves no half report, and a
second writer of the same month replaces the file whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.workbook.workbook import Workbook
from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.domain.statistics import Column, ColumnKind, Month, StatsFilter, StatTable
from seatdesk.errors import Problem
from seatdesk.progress import Cancelled, NoProgress, Progress
from seatdesk.services import stats_tables
from seatdesk.services.common import centre_name
from seatdesk.services.stats_tables import TableFunction
from seatdesk.services.workbooks import (
    DEFAULT_CHARTS,
    NUMBER_FORMATS,
    ChartSpec,
    add_table_sheet,
    column_header,
    describe_filter,
    display_width,
    fit_to_page_width,
    new_workbook,
    put_text,
    save_workbook,
    set_text_categories,
    sheet_titles,
    unique_sheet_title,
)

#: The report's file name before ``-YYYY-MM.xlsx``: the same in every language, so a
#: folder holds one file a month whoever wrote it.
REPORT_FILE_STEM = "智慧城市运营监控与数据分析报告"

#: The shape of the indices statistic the summary reads.
INDEX_COLUMNS = (
    Column("index_key", ColumnKind.CODE),
    Column("index_name", ColumnKind.TEXT),
    Column("value", ColumnKind.SCORE),
)


class ReportSource(Protocol):
    """What the report reads: the detail tables and the indices of a period."""

    def tables(self, session: Session, f: StatsFilter) -> list[StatTable]: ...

    def indices(self, session: Session, f: StatsFilter) -> StatTable: ...


#: The detail sheets of the report, in order (departments, categories, grids, trend …),
#: as ``stats_tables`` lists them.
REPORT_TABLES: tuple[TableFunction, ...] = stats_tables.REPORT
#: The indices (index_key, index_name, value) of the summary; None: the summary has none.
REPORT_INDICES: TableFunction | None = stats_tables.indices


@dataclass(frozen=True, slots=True)
class RegisteredSource:
    """A ``ReportSource`` over statistic functions."""

    table_functions: tuple[TableFunction, ...]
    indices_function: TableFunction | None = None

    def tables(self, session: Session, f: StatsFilter) -> list[StatTable]:
        return [fn(session, f) for fn in self.table_functions]

    def indices(self, session: Session, f: StatsFilter) -> StatTable:
        if self.indices_function is None:
            return StatTable("indices", INDEX_COLUMNS, ())
        return self.indices_function(session, f)


def default_source() -> ReportSource:
    """The report's statistics as registered in ``REPORT_TABLES`` and
    ``REPORT_INDICES``; a ``Problem`` (one sentence) while none are."""
    if not REPORT_TABLES:
        raise Problem("report.no_tables")
    return RegisteredSource(REPORT_TABLES, REPORT_INDICES)


def report_month(
    session: Session, month: Month, folder: Path, progress: Progress | None = None
) -> Path:
    """The report of ``month`` over the centre's statistics (the panel's 生成月报)."""
    return write_monthly_report(session, month, folder, source=default_source(),
                                progress=progress)


def scheduled_report(session: Session, month: Month, folder: Path) -> Path:
    """The scheduler's hook: last month's report in the configured folder."""
    return report_month(session, month, folder)


def report_file_name(month: Month) -> str:
    return f"{REPORT_FILE_STEM}-{month}.xlsx"


def centre_timezone(session: Session) -> ZoneInfo:
    """The centre's time zone (centre setting ``timezone``), which its days are in."""
    name = session.execute(text(
        "SELECT coalesce((SELECT value #>> '{}' FROM centre_settings "
        "WHERE key = 'timezone'), 'Asia/Shanghai')"
    )).scalar_one()
    return ZoneInfo(str(name))


def days_filter(
    session: Session, first: date, last: date, **filters: Any
) -> StatsFilter:
    """The filter of the days ``first`` to ``last`` inclusive, in the centre's time
    zone, with ``filters`` (``StatsFilter``'s optional fields)."""
    tz = centre_timezone(session)
    return StatsFilter(
        start=datetime.combine(first, time(), tz),
        end=datetime.combine(last + timedelta(days=1), time(), tz),
        **filters,
    )


def month_filter(session: Session, month: Month) -> StatsFilter:
    """The whole of ``month``, in the centre's time zone."""
    return days_filter(session, month.first_day, month.next().first_day - timedelta(days=1))


def write_monthly_report(
    session: Session,
    month: Month,
    folder: Path,
    *,
    source: ReportSource,
    progress: Progress | None = None,
    charts: Sequence[ChartSpec] = DEFAULT_CHARTS,
) -> Path:
    """Write the report of ``month`` into ``folder`` (made if missing) and return its
    path. Raises ``Cancelled`` when ``progress.cancelled()`` turns true, leaving no
    file."""
    progress = progress or NoProgress()
    folder = Path(folder)
    f = month_filter(session, month)
    progress.start(4)
    progress.status(messages.t("report.reading", month=str(month)))
    tables = source.tables(session, f)
    progress.advance()
    _check(progress)
    indices = source.indices(session, f)
    previous = source.indices(session, month_filter(session, month.previous()))
    progress.advance()
    _check(progress)
    title = messages.t("report.title")
    workbook = new_workbook(f"{title} {month}")
    description = describe_filter(f)
    now = datetime.now().astimezone()
    _summary(workbook, session, month, description, indices, previous, tables, now)
    for table in tables:
        add_table_sheet(workbook, table, description=description, charts=charts, now=now)
    progress.advance()
    _check(progress)
    progress.status(messages.t("workbook.saving"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / report_file_name(month)
    save_workbook(workbook, path)
    progress.advance()
    return path


def index_changes(
    indices: StatTable, previous: StatTable
) -> list[tuple[str, float | None, float | None, float | None]]:
    """(name, this month, last month, change) per index of this month, in its order;
    the change is None when either month has no value."""
    before = {row["index_key"]: row["value"] for row in previous.as_dicts()}
    out = []
    for row in indices.as_dicts():
        now, then = row["value"], before.get(row["index_key"])
        change = None if now is None or then is None else now - then
        out.append((row["index_name"], now, then, change))
    return out


def headline_counts(tables: Sequence[StatTable]) -> list[tuple[str, int]]:
    """The month's totals: each count column of the trend (or, without one, of the
    categories, which count every case once), summed."""
    by_key = {t.key: t for t in tables}
    table = by_key.get("trend") or by_key.get("trend_monthly") or by_key.get("categories")
    if table is None:
        return []
    return [
        (column.key, sum(v or 0 for v in table.values(column.key)))
        for column in table.columns
        if column.kind is ColumnKind.COUNT
    ]


# ---- Private


def _check(progress: Progress) -> None:
    if progress.cancelled():
        raise Cancelled()


def _summary(
    workbook: Workbook, session: Session, month: Month, description: str,
    indices: StatTable, previous: StatTable, tables: Sequence[StatTable], now: datetime,
) -> None:
    sheet = workbook.create_sheet(unique_sheet_title(workbook, messages.t("report.summary_sheet")))
    bold = Font(bold=True)
    sheet.cell(1, 1, messages.t("report.title")).font = Font(bold=True, size=16)
    facts = (
        ("report.centre", centre_name(session) or messages.t("report.no_centre")),
        ("report.month", messages.t("report.month_value", year=month.year, month=month.month)),
        ("report.generated", now.strftime("%Y-%m-%d %H:%M")),
    )
    row = 3
    for key, fact in facts:
        sheet.cell(row, 1, messages.t(key)).font = bold
        put_text(sheet.cell(row, 2), fact)
        row += 1
    put_text(sheet.cell(row, 1), description)
    row += 2

    sheet.cell(row, 1, messages.t("report.indices")).font = Font(bold=True, size=13)
    row += 1
    header_row = row
    for col, key in enumerate(
        ("report.index", "report.this_month", "report.previous_month", "report.change"), 1
    ):
        sheet.cell(row, col, messages.t(key)).font = bold
    changes = index_changes(indices, previous)
    for index_name, value, before, change in changes:
        row += 1
        put_text(sheet.cell(row, 1), str(index_name))
        for col, number in enumerate((value, before, change), 2):
            cell = sheet.cell(row, col, number)
            cell.number_format = NUMBER_FORMATS[ColumnKind.SCORE]
        sheet.cell(row, 4).number_format = "+0.00;-0.00;0.00"
    if changes:
        _indices_chart(sheet, header_row, row)
    row += 2

    sheet.cell(row, 1, messages.t("report.headline")).font = Font(bold=True, size=13)
    row += 1
    sheet.cell(row, 1, messages.t("report.figure")).font = bold
    sheet.cell(row, 2, messages.t("report.value")).font = bold
    for key, total in headline_counts(tables):
        row += 1
        put_text(sheet.cell(row, 1), column_header(key))
        sheet.cell(row, 2, total).number_format = NUMBER_FORMATS[ColumnKind.COUNT]
    row += 2
    sep = "、" if messages.language() == "zh" else ", "
    details = messages.t("report.details", sheets=sep.join(sheet_titles(tables)))
    put_text(sheet.cell(row, 1), details)

    names = [messages.t("report.centre"), messages.t("report.indices")] + [
        str(c[0]) for c in changes
    ]
    sheet.column_dimensions["A"].width = min(40, max(display_width(n) for n in names) + 4)
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 16
    fit_to_page_width(sheet)


def _indices_chart(sheet: Any, header_row: int, last_row: int) -> None:
    """This month's and last month's indices side by side, from the summary's cells."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = messages.t("report.indices")
    for col in (2, 3):
        chart.add_data(
            Reference(sheet, min_col=col, min_row=header_row, max_row=last_row),
            titles_from_data=True,
        )
    set_text_categories(
        chart, Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row)
    )
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 16, 8
    sheet.add_chart(chart, f"F{header_row}")
