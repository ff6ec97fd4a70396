"""Queues to Excel: any queue, with the filters the person set, as an .xlsx workbook;
complaints (群众投诉) to Excel or CSV, their complainants masked.

The rows are read with the queue's own keyset pages (``queues.queue``), so the export
holds exactly the cases the queue shows, through the same row-level security (a
department's seat exports its own cases only), a page at a time: memory stays flat
over a million cases. openpyxl's write-only workbook streams them to a temporary file
beside the target, which replaces the target only once it is complete; a cancel or an
error leaves no file behind (and an older file of the same name as it was).

``export_complaints`` writes the complaints a seat may see with the database's masked
name and phone (王**, 138****5678: no seat reads the real ones from the table, migration
0014). A monitor or an admin who asks for the contacts (``reveal_purpose``) gets the
real ones through ``complaints.reveal_contacts_committed`` over the caller's
``reveal_with`` (a session factory): a page's request and its audit, one row per
complaint exported, are committed before the page's names and phones are read
(migration 0019: nothing personal before the audit is durable); any other seat is
refused at the first page, and no file is left.
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db.models import Category, Department
from seatdesk.domain.glossary import ComplaintChannel, ComplaintState, Satisfaction, State
from seatdesk.progress import Cancelled, NoProgress, Progress
from seatdesk.services import complaints, queues
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
    written = write_atomically(path, lambda part: _write(session, query, part, filters, progress))
    return ExportResult(path=path, rows=written, filters=filters)


def write_atomically(path: Path, write: Callable[[Path], int]) -> int:
    """Run ``write`` on a temporary file beside ``path`` and put it in place only when
    it is complete; a cancel or an error leaves no file (and an older one as it was)."""
    part = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        written = write(part)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return written


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
        discard_sheet(sheet)
        raise
    workbook.save(part)
    return written


def discard_sheet(sheet: Any) -> None:
    """Close a write-only sheet that will not be saved and remove its spool file
    (openpyxl streams the rows to a temporary file until the workbook is saved)."""
    try:
        sheet.close()
        sheet._writer.cleanup()
    except Exception:  # a spool file left in the temp folder is harmless
        pass


def _values(sheet: Any, row: CaseRow) -> list[Any]:
    return [
        text_cell(sheet, value) if isinstance(value, str) else value
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


def text_cell(sheet: Any, value: str) -> Any:
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


# ---- Complaints


#: The columns of a complaints export, by their message keys.
COMPLAINT_COLUMNS = (
    "number", "channel", "received_at", "complainant", "complainant_phone", "content",
    "address", "state", "reply_due", "case_number", "satisfaction",
)
_COMPLAINT_WIDTHS = {"number": 16, "content": 48, "address": 36, "complainant_phone": 16,
                     "case_number": 14}
#: What a CSV cell may not start with: a spreadsheet would take it for a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_complaints(
    session: Session,
    path: Path,
    progress: Progress | None = None,
    *,
    states: Iterable[ComplaintState] = (),
    reveal_purpose: str | None = None,
    reveal_with: complaints.Begin | None = None,
) -> ExportResult:
    """Write the complaints the seat may see (of ``states``, all when empty), oldest
    first, to ``path``: an .xlsx workbook, or CSV (UTF-8 with a BOM, as Excel reads it)
    when the name ends in ``.csv``. Name and phone are masked unless ``reveal_purpose``
    is given (monitor and admin only; each complaint's read is audited in a transaction
    of its own from ``reveal_with``, committed before it is read, and counted against
    the database's per-person limit of complaints revealed). Raises
    ``Cancelled`` when ``progress.cancelled()`` turns true, leaving no file."""
    progress = progress or NoProgress()
    path = Path(path)
    wanted = sorted({ComplaintState(s).value for s in states})
    if reveal_purpose is not None:
        if reveal_with is None:
            raise ValueError("a reveal needs reveal_with: its audit is committed on its own")
        complaints.check_reveal(reveal_with, reveal_purpose)
    progress.status(messages.t("export.complaints.counting"))
    total = int(session.execute(
        text("SELECT count(*) FROM complaints "
             "WHERE cardinality(CAST(:s AS text[])) = 0 OR state = ANY (CAST(:s AS text[]))"),
        {"s": wanted},
    ).scalar_one())
    progress.start(total)
    filters = _complaint_filters(wanted, reveal_purpose)
    progress.status(messages.t("export.complaints.writing", count=total))
    reveal = (
        None
        if reveal_purpose is None or reveal_with is None
        else _revealer(reveal_with, reveal_purpose)
    )
    pages = _complaint_pages(session, wanted, reveal, progress)
    if path.suffix.lower() == ".csv":
        written = write_atomically(path, lambda part: _write_csv(part, filters, pages))
    else:
        written = write_atomically(path, lambda part: _write_complaints(part, filters, pages))
    return ExportResult(path=path, rows=written, filters=filters)


def _complaint_filters(states: list[str], reveal_purpose: str | None) -> str:
    parts = []
    if states:
        ordered = [s for s in ComplaintState if s.value in states]
        parts.append(messages.t("export.filter.states", value=join(term(s) for s in ordered)))
    parts.append(
        messages.t("export.complaints.revealed", purpose=reveal_purpose)
        if reveal_purpose is not None
        else messages.t("export.complaints.masked")
    )
    sep = "；" if messages.language() == "zh" else "; "
    return messages.t("export.filters", filters=sep.join(parts))


_COMPLAINT_PAGE_SQL = """
    SELECT k.id, k.number, k.channel, k.received_at, k.complainant_masked, k.phone_masked,
           k.content, k.address, k.state, k.reply_due, c.number AS case_number,
           k.callback_satisfaction
    FROM complaints k LEFT JOIN cases c ON c.id = k.case_id
    WHERE k.id > :after
      AND (cardinality(CAST(:s AS text[])) = 0 OR k.state = ANY (CAST(:s AS text[])))
    ORDER BY k.id LIMIT :limit
"""


#: The real contacts of a page's complaints, their audit committed first.
Reveal = Callable[
    [list[complaints.ComplaintId]], dict[complaints.ComplaintId, complaints.ContactDetails]
]


def _revealer(begin: complaints.Begin, purpose: str) -> Reveal:
    return lambda ids: complaints.reveal_contacts_committed(begin, ids, purpose)


def _complaint_pages(
    session: Session, states: list[str], reveal: Reveal | None, progress: Progress
) -> Iterable[list[list[Any]]]:
    """The rows, a keyset page at a time (values as people read them)."""
    after = 0
    while True:
        if progress.cancelled():
            raise Cancelled()
        rows = session.execute(
            text(_COMPLAINT_PAGE_SQL), {"after": after, "s": states, "limit": EXPORT_PAGE}
        ).all()
        if not rows:
            return
        revealed = (
            reveal([complaints.ComplaintId(r.id) for r in rows]) if reveal is not None else {}
        )
        page = []
        for r in rows:
            real = revealed.get(r.id)
            page.append([
                r.number,
                term(ComplaintChannel(r.channel)),
                r.received_at,
                real.complainant if real else r.complainant_masked,
                real.complainant_phone if real else r.phone_masked,
                r.content,
                r.address,
                term(ComplaintState(r.state)),
                r.reply_due,
                r.case_number,
                term(Satisfaction(r.callback_satisfaction)) if r.callback_satisfaction else None,
            ])
        yield page
        progress.advance(len(rows))
        after = rows[-1].id


def _complaint_headers() -> list[str]:
    return [messages.t(f"export.complaints.header.{c}") for c in COMPLAINT_COLUMNS]


def _write_complaints(part: Path, filters: str, pages: Iterable[list[list[Any]]]) -> int:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(messages.t("export.complaints.sheet_title"))
    for i, column in enumerate(COMPLAINT_COLUMNS):
        letter = openpyxl.utils.get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = _COMPLAINT_WIDTHS.get(column, 12)
    bold = Font(bold=True)
    first = WriteOnlyCell(sheet, value=filters)
    first.data_type = "s"
    first.font = bold
    sheet.append([first])
    headers = []
    for header in _complaint_headers():
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        headers.append(cell)
    sheet.append(headers)
    written = 0
    try:
        for page in pages:
            for values in page:
                sheet.append([
                    text_cell(sheet, v) if isinstance(v, str)
                    else _time(sheet, v) if isinstance(v, datetime) else v
                    for v in values
                ])
            written += len(page)
    except BaseException:
        discard_sheet(sheet)
        raise
    workbook.save(part)
    return written


def _csv_text(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text that would start a formula is kept
    as text with a leading apostrophe; times local, to the minute."""
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def _write_csv(part: Path, filters: str, pages: Iterable[list[list[Any]]]) -> int:
    written = 0
    with part.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([_csv_text(filters)])
        writer.writerow(_complaint_headers())
        for page in pages:
            writer.writerows([_csv_text(v) for v in values] for values in page)
            written += len(page)
    return written
