"""The month's assessment (考核) to Excel: the ranking and the entries behind it.

Read like the statistics workbooks (``seatdesk.services.workbooks``): the title on row
1, the settings and the export time on row 2, the Chinese headers on row 3, frozen, an
autofilter over the table, columns as wide as their text; written beside the target and
renamed into place, so a cancel or a crash leaves no half file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.domain.statistics import Month
from seatdesk.progress import Cancelled, NoProgress, Progress
from seatdesk.services import assessment
from seatdesk.services.workbooks import (
    HEADER_ROW,
    NOTE_ROW,
    TITLE_ROW,
    display_width,
    new_workbook,
    put_text,
    save_workbook,
)
from seatdesk.terms import term

RANKING_COLUMNS = ("rank", "kind", "staff", "name", "deductions", "additions", "entries",
                   "score", "bottom", "eliminate")
ENTRY_COLUMNS = ("id", "date", "kind", "staff", "rule", "count", "points", "reason",
                 "reverses", "recorded_by", "recorded_at")
#: The bottom's rows stand out (a pale red), as on the desk.
BOTTOM_FILL = PatternFill("solid", fgColor="F8D7DA")


def export_month(session: Session, month: Month, path: Path,
                 progress: Progress | None = None) -> Path:
    """Write the month's ranking and entries to ``path`` (.xlsx); the path written."""
    progress = progress or NoProgress()
    progress.start(3)
    progress.status(messages.t("assessment.sheet.ranking"))
    ranking = assessment.ranking(session, month)
    settings = assessment.read_settings(session)
    rules = {r.code: r for r in assessment.rules(session)}
    lang = messages.language()
    zone = ZoneInfo(session.execute(text(
        "SELECT coalesce((SELECT value #>> '{}' FROM centre_settings WHERE key = 'timezone'), "
        "'Asia/Shanghai')")).scalar_one())
    now = session.execute(select(func.now())).scalar_one().astimezone(zone)
    progress.advance()
    _check(progress)
    progress.status(messages.t("assessment.sheet.entries"))
    entries = assessment.entries(session, month)
    progress.advance()
    _check(progress)
    title = messages.t("assessment.title", month=str(month))
    bottom = (messages.t("assessment.bottom_share", share=f"{settings.bottom_share:.0%}")
              if settings.bottom_share is not None
              else messages.t("assessment.bottom_n", n=settings.bottom_n))
    note = messages.t("assessment.note", base=settings.base, bottom=bottom,
                      when=now.strftime("%Y-%m-%d %H:%M"))
    yes = messages.t("assessment.yes")
    workbook = new_workbook(title)
    _sheet(
        workbook.create_sheet(messages.t("assessment.sheet.ranking")), title, note,
        RANKING_COLUMNS,
        [[r.rank, term(r.kind), r.staff_id, r.name, r.deductions, r.additions, r.entries,
          r.score, yes if r.bottom else "", yes if r.eliminate else ""] for r in ranking],
        highlight=[r.bottom for r in ranking],
    )
    _sheet(
        workbook.create_sheet(messages.t("assessment.sheet.entries")), title, note,
        ENTRY_COLUMNS,
        [[e.entry_id, e.occurred_on, term(e.kind), e.staff_id,
          rules[e.rule].title(lang) if e.rule in rules else e.rule, e.count, e.points,
          e.reason, e.reverses or "", e.recorded_by,
          e.recorded_at.astimezone(zone).replace(tzinfo=None)] for e in entries],
        highlight=[False] * len(entries),
    )
    _check(progress)
    save_workbook(workbook, path)
    progress.advance()
    return path


def _check(progress: Progress) -> None:
    if progress.cancelled():
        raise Cancelled()


def _sheet(sheet: Worksheet, title: str, note: str, columns: Sequence[str],
           rows: Sequence[Sequence[Any]], highlight: Sequence[bool]) -> None:
    sheet.cell(TITLE_ROW, 1, title).font = Font(bold=True, size=14)
    put_text(sheet.cell(NOTE_ROW, 1), note)
    headers = [messages.t(f"assessment.col.{c}") for c in columns]
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, col)
        put_text(cell, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    widths = [display_width(h) + 3 for h in headers]
    for r, (row, marked) in enumerate(zip(rows, highlight, strict=True), start=HEADER_ROW + 1):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(r, col)
            if isinstance(value, str):
                put_text(cell, value)
            else:
                cell.value = value
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
            if marked:
                cell.fill = BOTTOM_FILL
            widths[col - 1] = max(widths[col - 1], display_width(_shown(value)))
    last = get_column_letter(len(columns))
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1).coordinate
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(rows), 1)}"
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(60, max(8, width + 2))


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)
