"""The detailed case list (案件明细) of a statistics filter, to Excel, streamed.

The rows an inspector checks a statistic against: every case reported within the
period (``created_at`` in [start, end)) that matches the filter, one row each, with
where it is (grid, street, community), who handles it, the time of each step of the
loop, the handling deadline in force, and whether the handling was on time.

    registered_at   the first 立案 (register)
    dispatched_at   the last 派遣 (dispatch): the department that has the case now
    handled_at      the last 处置反馈 (report_done) after the handling clock last
                    started or moved; empty while the department still owes it
    closed_at       结案 (close)
    deadline        the handling deadline in force: the latest deadline an event of the
                    handling stage set (dispatch, rework, an approved extension or
                    postponement); the case's own events, so it stays after handling
    on_time (按期处置)  handled_at <= deadline; empty while not handled
    overdue (超期)      handled after the deadline, or not handled and past it now
                    (a postponed case's clock is stopped: not overdue)

The reporter's phone is the database's mask (``seatdesk_mask_phone``, migration 0014,
138****5678); the reporter's name and the address are left out: an inspector checks
figures, not people, and every column costs time over 100,000 rows.
Row-level security applies: a department's seat lists its own cases only.

Memory stays flat: the cases are read a keyset page at a time (by id), each case's step
times by one aggregate over its own events (their index by case), and written by
openpyxl's write-only workbook to a file beside the target that replaces it only when
complete (``exports``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.domain.glossary import Source, Stage, State
from seatdesk.domain.statistics import StatsFilter
from seatdesk.domain.workflow import STAGE_OF_STATE
from seatdesk.progress import Cancelled, NoProgress, Progress
from seatdesk.services.exports import ExportResult, discard_sheet, text_cell, write_atomically
from seatdesk.services.plain_rows import plain_row_sheet
from seatdesk.services.workbooks import describe_filter, display_width
from seatdesk.terms import term

#: Cases read per keyset page.
CASE_LIST_PAGE = 2000

#: The columns, by their message keys (``caselist.header.<key>``), in sheet order.
CASE_LIST_COLUMNS = (
    "number", "source", "category", "grid", "street", "community", "department", "state",
    "reported_at", "registered_at", "dispatched_at", "handled_at", "closed_at", "deadline",
    "on_time", "overdue", "reworks", "reporter_phone",
)
_WIDTHS = {
    "number": 14, "category": 26, "grid": 17, "street": 11, "community": 14,
    "department": 18, "reported_at": 18, "registered_at": 18, "dispatched_at": 18,
    "handled_at": 18, "closed_at": 18, "deadline": 18, "reporter_phone": 14,
}

#: The states a handling clock runs in (its deadline is the one the list shows).
HANDLING_STATES = tuple(
    sorted(s.value for s, stage in STAGE_OF_STATE.items() if stage is Stage.HANDLING)
)


def case_list_where(f: StatsFilter) -> tuple[str, dict[str, Any]]:
    """The WHERE clause over ``cases c`` for ``f`` and its parameters (only the
    filters that are set, so each query gets the plan of its own filters)."""
    clauses = ["c.created_at >= :start", "c.created_at < :end"]
    params: dict[str, Any] = {"start": f.start, "end": f.end}
    if f.department is not None:
        clauses.append("c.current_department = :department")
        params["department"] = f.department
    if f.category_id is not None:
        # A major class stands for its minor classes.
        clauses.append(
            "c.category_id IN (SELECT id FROM categories WHERE id = :category_id "
            "OR parent_id = :category_id)"
        )
        params["category_id"] = f.category_id
    if f.grid is not None:
        clauses.append("c.grid_code = :grid")
        params["grid"] = f.grid
    if f.street is not None:
        clauses.append("left(c.grid_code, 9) = :street")
        params["street"] = f.street
    if f.community is not None:
        clauses.append("left(c.grid_code, 12) = :community")
        params["community"] = f.community
    if f.source is not None:
        clauses.append("c.source = :source")
        params["source"] = f.source
    return " AND ".join(clauses), params


#: One page of the list. Times are the centre's wall time (Excel knows no time zone).
CASE_LIST_SQL = """
    SELECT c.number, c.source, k.code || ' ' || k.name AS category,
           c.grid_code, left(c.grid_code, 9) AS street, left(c.grid_code, 12) AS community,
           coalesce(d.name, c.current_department) AS department, c.state,
           c.created_at AT TIME ZONE :tz AS reported_at,
           e.registered_at AT TIME ZONE :tz AS registered_at,
           e.dispatched_at AT TIME ZONE :tz AS dispatched_at,
           h.handled_at AT TIME ZONE :tz AS handled_at,
           e.closed_at AT TIME ZONE :tz AS closed_at,
           e.deadline AT TIME ZONE :tz AS deadline,
           h.handled_at <= e.deadline AS on_time,
           CASE WHEN h.handled_at IS NOT NULL THEN h.handled_at > e.deadline
                WHEN e.deadline IS NULL OR c.state = 'postponed' THEN NULL
                ELSE e.deadline < :as_of AND c.state IN :handling END AS overdue,
           c.rework_count,
           seatdesk_mask_phone(c.reporter_phone) AS reporter_phone,
           c.id
    FROM cases c
    JOIN categories k ON k.id = c.category_id
    LEFT JOIN departments d ON d.code = c.current_department
    LEFT JOIN LATERAL (
        SELECT min(v.at) FILTER (WHERE v.action = 'register') AS registered_at,
               max(v.at) FILTER (WHERE v.action = 'dispatch') AS dispatched_at,
               max(v.at) FILTER (WHERE v.action = 'report_done') AS handled_at,
               max(v.at) FILTER (WHERE v.action = 'close') AS closed_at,
               (array_agg((v.data ->> 'deadline')::timestamptz ORDER BY v.id DESC)
                   FILTER (WHERE v.to_state IN :handling AND v.data ? 'deadline'))[1]
                   AS deadline,
               (array_agg(v.at ORDER BY v.id DESC)
                   FILTER (WHERE v.to_state IN :handling AND v.data ? 'deadline'))[1]
                   AS clock_at
        FROM case_events v WHERE v.case_id = c.id
    ) e ON true
    -- A handling counts only if it came after the clock last started or moved (a
    -- reworked case owes a new one).
    LEFT JOIN LATERAL (
        SELECT e.handled_at WHERE e.handled_at > e.clock_at
    ) h ON true
    WHERE c.id > :after AND {where}
    ORDER BY c.id
    LIMIT :limit
"""


#: The centre's time zone (migration 0006's setting; any seat reads centre_settings).
_TIMEZONE_SQL = (
    "SELECT coalesce((SELECT value #>> '{}' FROM centre_settings WHERE key = 'timezone'), "
    "'Asia/Shanghai')"
)


def export_case_list(
    session: Session, f: StatsFilter, path: Path, progress: Progress | None = None,
    *, as_of: datetime | None = None,
) -> ExportResult:
    """Write the cases of ``f`` that the seat may see, oldest first, to the workbook
    ``path`` (the period and filters on the first line, the headers on the second,
    frozen, with an autofilter). A case still in handling is overdue if its deadline
    passed before ``as_of`` (a zoned moment; by default the database's clock when the
    export starts, one moment for every page). Raises ``Cancelled`` when
    ``progress.cancelled()`` turns true, leaving no file."""
    progress = progress or NoProgress()
    path = Path(path)
    where, params = case_list_where(f)
    if as_of is None:
        as_of = session.execute(text("SELECT now()")).scalar_one()
    progress.status(messages.t("caselist.counting"))
    total = int(session.execute(
        text(f"SELECT count(*) FROM cases c WHERE {where}"), params
    ).scalar_one())
    progress.start(total)
    filters = "  ".join((describe_filter(f), messages.t("caselist.masked")))
    progress.status(messages.t("caselist.writing", count=total))
    written = write_atomically(
        path, lambda part: _write(session, where, {**params, "as_of": as_of}, part, filters,
                                  progress)
    )
    return ExportResult(path=path, rows=written, filters=filters)


def case_list_headers() -> list[str]:
    return [messages.t(f"caselist.header.{c}") for c in CASE_LIST_COLUMNS]


class RowMaker:
    """Turns a page's rows into the cells of the sheet: domain words in the reader's
    language, yes/no for the flags, text that would start a formula kept as text."""

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet
        self._words: dict[str, str] = {}
        for enum in (Source, State):
            for member in enum:
                self._words[member.value] = term(member)
        self._flag = {True: messages.t("workbook.yes"), False: messages.t("workbook.no"),
                      None: None}

    def cells(self, r: Any) -> list[Any]:
        words, flag, sheet = self._words, self._flag, self._sheet
        values = [
            r[0], words[r[1]], r[2], r[3], r[4], r[5], r[6], words[r[7]], r[8], r[9], r[10],
            r[11], r[12], r[13], flag[r[14]], flag[r[15]], r[16], r[17],
        ]
        # Only names an administrator typed can start with "=" (category, department).
        for i in (2, 6):
            v = values[i]
            if v is not None and v.startswith("="):
                values[i] = text_cell(sheet, v)
        return values


# ---- Private


def _write(
    session: Session, where: str, params: dict[str, Any], part: Path, filters: str,
    progress: Progress,
) -> int:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = plain_row_sheet(workbook, messages.t("caselist.sheet_title"))
    headers = case_list_headers()
    for i, column in enumerate(CASE_LIST_COLUMNS):
        sheet.column_dimensions[get_column_letter(i + 1)].width = max(
            _WIDTHS.get(column, 10), display_width(headers[i]) + 4
        )
    sheet.freeze_panes = "A3"
    bold = Font(bold=True)
    first = WriteOnlyCell(sheet, value=filters)
    first.data_type = "s"
    first.font = bold
    sheet.append([first])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    tz = session.execute(text(_TIMEZONE_SQL)).scalar_one()
    page_sql = text(CASE_LIST_SQL.format(where=where)).bindparams(
        bindparam("handling", expanding=True)
    )
    maker = RowMaker(sheet)
    written = 0
    after = 0
    try:
        while True:
            if progress.cancelled():
                raise Cancelled()
            rows = session.execute(page_sql, {
                **params, "tz": tz, "after": after, "limit": CASE_LIST_PAGE,
                "handling": HANDLING_STATES,
            }).all()
            if not rows:
                break
            for r in rows:
                sheet.append(maker.cells(r))
            written += len(rows)
            progress.advance(len(rows))
            after = rows[-1][-1]
        if progress.cancelled():
            raise Cancelled()
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(CASE_LIST_COLUMNS))}{written + 2}"
    except BaseException:
        discard_sheet(sheet)
        raise
    workbook.save(part)
    return written

