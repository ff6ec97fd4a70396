"""Queues to Excel: any queue, with the filters the person set, as an .xlsx workbook.

The rows are read with the queue's own keyset pages (``queues.queue``), so the export
holds exactly the cases the queue shows, through the same row-level security (a
department's seat exports its own cases only), a page at a time: memory stays flat
over a million cases. openpyxl's write-only workbook streams them to a temporary file
beside the target, which replaces the target only once it is complete; a cancel or an
error leaves no file behind (and an older file of the same name as it was).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db.models import Category, Department
from seatdesk.domain.glossary import State
from seatdesk.progress import Cancelled, NoProgress, Progress
from seatdesk.services import queues
from seatdesk.services.queues import CaseRow, QueueQuery
from seatdesk.terms import join, term

#: Rows read per keyset page.
EXPORT_PAGE = 1000

#: The columns, by their message keys; values come from ``_values``.
COLUMNS = (
    "number", "state", "deadline_status", "stage_deadline", "category", "address",
    "grid", "department", "source", "urgency", "created_at",
)
_WIDTHS = {"number": 16, "category": 24, "address": 40, "department": 18}
_TIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What was written: the file, how many cases, and the filter line it states."""

    path: Path
    rows: int
    filters: str


def export_queue(
    session: Session, query: QueueQuery, path: Path, progress: Progress | None = None
) -> ExportResult:
    """Write the cases of ``query`` (every page, in its order) to the workbook ``path``.

    The first line states the filters, the second the column headers; raises
    ``Cancelled`` when ``progress.cancelled()`` turns true, leaving no file.
    """
    progress = progress or NoProgress()
    path = Path(path)
    query = replace(query, after=None, limit=EXPORT_PAGE)
    progress.status(messages.t("export.counting"))
    total = queues.count_matching(session, query)
    progress.start(total)
    filters = describe_filters(session, query)
    progress.status(messages.t("export.writing", count=total))
    part = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        written = _write(session, query, part, filters, progress)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return ExportResult(path=path, rows=written, filters=filters)


def describe_filters(session: Session, query: QueueQuery) -> str:
    """The filter line of the sheet: every filter the person set, in words."""
    parts: list[str] = []
    if query.role is not None:
        parts.append(messages.t("export.filter.role", value=term(query.role)))
    if query.states:
        ordered = sorted(query.states, key=list(State).index)
        parts.append(
            messages.t("export.filter.states", value=join(term(s) for s in ordered))
        )
    if query.category_id is not None:
        row = session.execute(
            select(Category.code, Category.name).where(Category.id == query.category_id)
        ).one_or_none()
        name = f"{row[0]} {row[1]}" if row is not None else str(query.category_id)
        parts.append(messages.t("export.filter.category", value=name))
    if query.grid_code:
        parts.append(messages.t("export.filter.grid", value=query.grid_code))
    if query.department:
        department = session.execute(
            select(Department.name).where(Department.code == query.department)
        ).scalar_one_or_none()
        parts.append(
            messages.t("export.filter.department", value=department or query.department)
        )
    if query.source is not None:
        parts.append(messages.t("export.filter.source", value=term(query.source)))
    if query.deadline_status is not None:
        parts.append(
            messages.t("export.filter.deadline_status", value=term(query.deadline_status))
        )
    if query.text.strip():
        parts.append(messages.t("export.filter.text", value=query.text.strip()))
    if query.include_closed:
        parts.append(messages.t("export.filter.include_closed"))
    sep = "；" if messages.language() == "zh" else "; "
    return messages.t(
        "export.filters", filters=sep.join(parts) if parts else messages.t("export.no_filter")
    )


# ---- Private


def _write(
    session: Session, query: QueueQuery, part: Path, filters: str, progress: Progress
) -> int:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(messages.t("export.sheet_title"))
    for i, column in enumerate(COLUMNS):
        letter = openpyxl.utils.get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = _WIDTHS.get(column, 12)
    bold = Font(bold=True)
    first = WriteOnlyCell(sheet, value=filters)
    first.data_type = "s"  # the keyword a person typed is in it
    first.font = bold
    sheet.append([first])
    headers = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=messages.t(f"export.header.{column}"))
        cell.font = bold
        headers.append(cell)
    sheet.append(headers)
    written = 0
    page_query = query
    try:
        while True:
            if progress.cancelled():
                raise Cancelled()
            page = queues.queue(session, page_query)
            for row in page.rows:
                sheet.append(_values(sheet, row))
            written += len(page.rows)
            progress.advance(len(page.rows))
            if page.next is None:
                break
            page_query = replace(page_query, after=page.next)
        if progress.cancelled():
            raise Cancelled()
    except BaseException:
        _discard(sheet)
        raise
    workbook.save(part)
    return written


def _discard(sheet: Any) -> None:
    """Close a write-only sheet that will not be saved and remove its spool file
    (openpyxl streams the rows to a temporary file until the workbook is saved)."""
    try:
        sheet.close()
        sheet._writer.cleanup()
    except Exception:  # a spool file left in the temp folder is harmless
        pass


def _values(sheet: Any, row: CaseRow) -> list[Any]:
    return [
        _text(sheet, value) if isinstance(value, str) else value
        for value in (
            row.number,
            term(row.state),
            term(row.deadline_status),
            _time(sheet, row.stage_deadline),
            f"{row.category_code} {row.category_name}",
            row.address,
            row.grid_code or "",
            row.department_name or row.department or "",
            term(row.source),
            term(row.urgency),
            _time(sheet, row.created_at),
        )
    ]


def _text(sheet: Any, value: str) -> Any:
    """A text cell, whatever the text: openpyxl writes a string that starts with "=" as
    a formula, and an address a caller dictated ("=HYPERLINK(...)", DDE) would run in
    Excel when the export is opened."""
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _time(sheet: Any, when: datetime | None) -> Any:
    """A local time Excel can hold (it knows no time zones), shown to the minute."""
    if when is None:
        return None
    cell = WriteOnlyCell(sheet, value=when.astimezone().replace(tzinfo=None))
    cell.number_format = _TIME_FORMAT
    return cell
