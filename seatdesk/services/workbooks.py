"""Statistics to Excel: one workbook per request, a sheet per ``StatTable``, with native
Excel charts.

Each sheet reads the same way: the table's title (``stats.table.<key>``) on row 1,
the period and filters with the figures' age on row 2, the Chinese headers
(``stats.col.<key>``) on row 3, frozen, with an autofilter over the table, then the
rows with a number format per ``ColumnKind`` (rates as %, working hours to a tenth).
Columns are as wide as their longest text (a CJK character counts double, as Excel
draws it). A chart of ``DEFAULT_CHARTS`` is drawn beside its table when that table is
in the workbook: its series point at the sheet's own cells, so the chart follows an
edit of the figures in Excel or LibreOffice.

A title or header with no words yet falls back to its key: a statistic added by
another area shows up (in English-ish) rather than failing the export.

The monthly report (``seatdesk.services.monthly_report``) builds its detail sheets with
``add_table_sheet`` and saves through ``save_workbook``, so both read alike. The file is
written beside its target and renamed into place when complete: a crash or a cancel
leaves no half file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from seatdesk import messages
from seatdesk.domain.glossary import Source
from seatdesk.domain.statistics import ColumnKind, StatsFilter, StatTable
from seatdesk.progress import Cancelled, NoProgress, Progress
from seatdesk.services.exports import write_atomically
from seatdesk.terms import term

#: Excel number format of each kind of column (TEXT and CODE stay text: "@").
NUMBER_FORMATS: dict[ColumnKind, str] = {
    ColumnKind.TEXT: "@",
    ColumnKind.CODE: "@",
    ColumnKind.COUNT: "#,##0",
    ColumnKind.RATE: "0.0%",
    ColumnKind.HOURS: "0.0",
    ColumnKind.SCORE: "0.00",
    ColumnKind.DATE: "yyyy-mm-dd",
}

#: Where a table sits on its sheet.
TITLE_ROW = 1
NOTE_ROW = 2
HEADER_ROW = 3
#: Column widths, in Excel's character units.
MIN_WIDTH = 8
MAX_WIDTH = 60
#: Excel refuses a sheet title longer than this or holding one of these characters.
_SHEET_TITLE_LENGTH = 31
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


class ChartKind(StrEnum):
    BAR = "bar"
    PIE = "pie"
    LINE = "line"


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """A chart of one table: ``category`` labels the points, each of ``values`` is a
    series (a column key each; one missing from the table is left out), ``title`` is
    a message key."""

    table: str
    kind: ChartKind
    category: str
    values: tuple[str, ...]
    title: str


#: The charts an inspector reports with: on-time rate per department, cases per
#: category, and the trend (daily rows; a monthly table keyed "trend_monthly" alike).
DEFAULT_CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("departments", ChartKind.BAR, "department_name", ("on_time_rate",),
              "workbook.chart.on_time_rate"),
    ChartSpec("categories", ChartKind.BAR, "category_name",
              ("reported", "registered", "closed"), "workbook.chart.categories"),
    ChartSpec("trend", ChartKind.LINE, "day", ("reported", "registered", "closed"),
              "workbook.chart.trend"),
    ChartSpec("trend_monthly", ChartKind.LINE, "month", ("reported", "registered", "closed"),
              "workbook.chart.trend"),
)


def write_statistics(
    path: Path,
    tables: Sequence[StatTable],
    *,
    title: str,
    description: str,
    charts: Sequence[ChartSpec] = DEFAULT_CHARTS,
    progress: Progress | None = None,
) -> Path:
    """Write ``tables`` to the workbook ``path``, a sheet each, in order, with the
    ``charts`` whose tables are among them. ``description`` (the period and filters,
    see ``describe_filter``) heads every sheet. Raises ``Cancelled`` when
    ``progress.cancelled()`` turns true, leaving no file."""
    progress = progress or NoProgress()
    path = Path(path)
    progress.start(len(tables) + 1)
    workbook = new_workbook(title)
    now = datetime.now().astimezone()
    for table in tables:
        if progress.cancelled():
            raise Cancelled()
        progress.status(messages.t("workbook.writing", table=table_title(table.key)))
        add_table_sheet(workbook, table, description=description, charts=charts, now=now)
        progress.advance()
    if progress.cancelled():
        raise Cancelled()
    progress.status(messages.t("workbook.saving"))
    save_workbook(workbook, path)
    progress.advance()
    return path


def new_workbook(title: str) -> Workbook:
    """An empty workbook (no default sheet) whose document title is ``title``."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = "seatdesk"
    return workbook


def save_workbook(workbook: Workbook, path: Path) -> None:
    """Save beside ``path`` and rename into place when complete (no half file)."""

    def write(part: Path) -> int:
        workbook.save(part)
        return 0

    write_atomically(Path(path), write)


def describe_filter(f: StatsFilter) -> str:
    """The period (its last day inclusive, as people say it) and the filters set."""
    start = f.start.date()
    end = (f.end - _ONE_MICROSECOND).date()
    parts = [messages.t("workbook.period", start=start.isoformat(), end=end.isoformat())]
    filters = [
        messages.t(f"workbook.filter.{name}", value=_filter_value(name, value))
        for name, value in f.filters().items()
    ]
    if filters:
        sep = "；" if messages.language() == "zh" else "; "
        parts.append(messages.t("workbook.filters", filters=sep.join(filters)))
    return "  ".join(parts)


def table_title(key: str) -> str:
    """The words for a table (``stats.table.<key>``), or its key while it has none."""
    return _words(f"stats.table.{key}", key)


def column_header(key: str) -> str:
    """The header of a column (``stats.col.<key>``), or its key while it has none."""
    return _words(f"stats.col.{key}", key)


def add_table_sheet(
    workbook: Workbook,
    table: StatTable,
    *,
    description: str,
    charts: Sequence[ChartSpec] = DEFAULT_CHARTS,
    now: datetime | None = None,
) -> Worksheet:
    """A sheet for ``table``: title, description and age, headers, rows, formats,
    frozen header, autofilter, widths, and the charts of ``charts`` for this table."""
    title = table_title(table.key)
    sheet = workbook.create_sheet(unique_sheet_title(workbook, title))
    sheet.cell(TITLE_ROW, 1, title).font = Font(bold=True, size=14)
    note = "  ".join(p for p in (description, age_line(table, now)) if p)
    note_cell = sheet.cell(NOTE_ROW, 1)
    put_text(note_cell, note)
    bold = Font(bold=True)
    headers = [column_header(c.key) for c in table.columns]
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, col)
        put_text(cell, header)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=False)
    for r, row in enumerate(table.rows, start=HEADER_ROW + 1):
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            cell = sheet.cell(r, col)
            if isinstance(value, str):
                put_text(cell, value)
            else:
                cell.value = _excel_value(value)
            cell.number_format = NUMBER_FORMATS[column.kind]
    last_row = HEADER_ROW + max(len(table.rows), 0)
    if table.columns:
        last_col = get_column_letter(len(table.columns))
        sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1).coordinate
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
    for col, column in enumerate(table.columns, start=1):
        texts = [headers[col - 1]] + [_shown(column.kind, row[col - 1]) for row in table.rows]
        # The header holds the autofilter's drop-down button too.
        widest = max([display_width(texts[0]) + 3, *(display_width(t) for t in texts[1:])])
        sheet.column_dimensions[get_column_letter(col)].width = min(
            MAX_WIDTH, max(MIN_WIDTH, widest + 2)
        )
    if not table.rows:
        sheet.cell(HEADER_ROW + 1, 1, messages.t("workbook.empty"))
    fit_to_page_width(sheet)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    anchor_col = len(table.columns) + 2
    anchor_row = HEADER_ROW
    for spec in charts:
        chart = build_chart(sheet, table, spec)
        if chart is not None:
            sheet.add_chart(chart, f"{get_column_letter(anchor_col)}{anchor_row}")
            anchor_row += 18  # a default chart is 15 rows high (7.5 cm)
    return sheet


def build_chart(sheet: Worksheet, table: StatTable, spec: ChartSpec) -> Any:
    """The chart ``spec`` over the table as ``add_table_sheet`` laid it out on
    ``sheet``, or None when the spec is not for this table, it lacks the columns, or
    it has no rows."""
    if spec.table != table.key or not table.rows:
        return None
    keys = [c.key for c in table.columns]
    if spec.category not in keys:
        return None
    series = [keys.index(v) + 1 for v in spec.values if v in keys]
    if not series:
        return None
    chart: Any
    if spec.kind is ChartKind.PIE:
        chart = PieChart()
        series = series[:1]  # a pie shows one series
    elif spec.kind is ChartKind.LINE:
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "col"
    chart.title = messages.t(spec.title)
    chart.width, chart.height = 18, 9
    last_row = HEADER_ROW + len(table.rows)
    for col in series:
        data = Reference(sheet, min_col=col, min_row=HEADER_ROW, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
    labels = Reference(sheet, min_col=keys.index(spec.category) + 1, min_row=HEADER_ROW + 1,
                       max_row=last_row)
    if table.columns[keys.index(spec.category)].kind in (ColumnKind.TEXT, ColumnKind.CODE):
        set_text_categories(chart, labels)
    else:
        chart.set_categories(labels)
    if spec.kind is not ChartKind.PIE:
        # openpyxl marks axes deleted by default in newer Excel: show them.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        kinds = {table.columns[col - 1].kind for col in series}
        if kinds == {ColumnKind.RATE}:
            chart.y_axis.number_format = "0%"
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = 1
        if spec.kind is ChartKind.LINE and table.columns[keys.index(spec.category)].kind is (
            ColumnKind.DATE
        ):
            chart.x_axis.number_format = NUMBER_FORMATS[ColumnKind.DATE]
    return chart


def set_text_categories(chart: Any, labels: Reference) -> None:
    """Label the chart's points with the text cells ``labels``: openpyxl's
    ``set_categories`` refers to any labels as numbers, Excel writes names as strings."""
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))


def age_line(table: StatTable, now: datetime | None = None) -> str:
    """When the figures were true: now for a live query, the summary table's time
    and age otherwise."""
    now = now or datetime.now().astimezone()
    if table.as_of is None:
        return messages.t("workbook.live", when=_minute(now))
    minutes = max(0, int((now - table.as_of).total_seconds() // 60))
    age = (
        messages.t("workbook.age.minutes", minutes=minutes)
        if minutes < 120
        else messages.t("workbook.age.hours", hours=minutes // 60)
    )
    return messages.t("workbook.as_of", when=_minute(table.as_of), age=age)


def unique_sheet_title(workbook: Workbook, wanted: str) -> str:
    """``wanted`` as Excel accepts a sheet title (31 characters, none of []:*?/\\),
    numbered when the workbook already has a sheet of that title."""
    base = (wanted.translate(_SHEET_TITLE_FORBIDDEN).strip("'") or "Sheet")[
        :_SHEET_TITLE_LENGTH
    ]
    taken = set(workbook.sheetnames)
    title, n = base, 1
    while title in taken:
        n += 1
        suffix = f"({n})"
        title = base[: _SHEET_TITLE_LENGTH - len(suffix)] + suffix
    return title


def fit_to_page_width(sheet: Worksheet) -> None:
    """Print (and convert to PDF) landscape, the table and its charts one page wide:
    a chart cut in two across pages reads as no chart."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def display_width(text: str) -> int:
    """How many character cells ``text`` takes in Excel: CJK (wide) characters two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def put_text(cell: Any, value: str) -> None:
    """A text cell, whatever the text: a string starting with "=" would be written as a
    formula (a name or address someone typed, "=HYPERLINK(...)", would run in Excel)."""
    cell.value = value
    cell.data_type = "s"


def sheet_titles(tables: Iterable[StatTable]) -> list[str]:
    """The titles the tables' sheets get, in order (for a summary's list of sheets)."""
    return [table_title(t.key) for t in tables]


# ---- Private

_ONE_MICROSECOND = datetime.resolution


def _words(key: str, fallback: str) -> str:
    known = messages.keys()
    return messages.t(key) if key in known else fallback


def _filter_value(name: str, value: Any) -> Any:
    """A source in words; codes (department, grid, street, community) as they are."""
    if name == "source" and value in Source.__members__.values():
        return term(Source(value))
    return value


def _excel_value(value: Any) -> Any:
    """Excel knows no time zones: an aware time is written as the local wall time."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def _minute(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def _shown(kind: ColumnKind, value: Any) -> str:
    """Roughly the text Excel shows for ``value`` in a column of ``kind``."""
    if value is None:
        return ""
    if kind is ColumnKind.RATE and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    if kind is ColumnKind.HOURS and isinstance(value, int | float):
        return f"{value:.1f}"
    if kind is ColumnKind.SCORE and isinstance(value, int | float):
        return f"{value:.2f}"
    if kind is ColumnKind.COUNT and isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime | date):
        return "0000-00-00"
    return str(value)

