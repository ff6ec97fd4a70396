"""The city's time-limit standard (立结案标准) as the Excel sheet cities publish.

Columns: 大类代码, 大类名称, 小类代码, 小类名称, 处置单位, 主管部门, 立案条件, 结案条件,
处置时限 ("4工作时", "2工作日"); a merged cell means "same as above". Import checks every
row first and reports each bad one with its row number; nothing is written unless all
rows are good.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from seatdesk import messages
from seatdesk.db.calls import call
from seatdesk.db.models import Category, Department, FilingCondition
from seatdesk.domain.glossary import TimeUnit
from seatdesk.domain.limits import LimitFormatError, format_limit, parse_limit
from seatdesk.errors import Problem
from seatdesk.services.common import ChangeSet

HEADERS = (
    "大类代码", "大类名称", "小类代码", "小类名称", "处置单位", "主管部门", "立案条件",
    "结案条件", "处置时限",
)


@dataclass(frozen=True, slots=True)
class StandardRow:
    row: int
    major_code: str
    minor_code: str
    handling: str
    supervising: str
    condition: str
    closing: str
    amount: Decimal
    unit: TimeUnit
    # The class names as the sheet gives them: a class the catalogue lacks is added
    # under these names (a new centre's catalogue starts empty).
    major_name: str = ""
    minor_name: str = ""


def export_standard(session: Session, path: Path, case_type: str = "component") -> int:
    """Write the standard of one catalogue (部件 or 事件) to ``path``; returns rows."""
    major = aliased(Category)
    handling = aliased(Department)
    supervising = aliased(Department)
    rows = session.execute(
        select(
            major.code, major.name, Category.code, Category.name, handling.name,
            supervising.name, FilingCondition.description, FilingCondition.closing_condition,
            FilingCondition.limit_amount, FilingCondition.limit_unit,
        )
        .join(Category, Category.id == FilingCondition.category_id)
        .join(major, major.id == Category.parent_id)
        .join(handling, handling.code == FilingCondition.handling_department_code)
        .outerjoin(supervising, supervising.code == FilingCondition.supervising_department_code)
        .where(Category.case_type == case_type)
        .order_by(Category.code, FilingCondition.seq)
    ).all()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "部件立结案标准" if case_type == "component" else "事件立结案标准"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for r in rows:
        sheet.append([*r[:8], format_limit(Decimal(r[8]), TimeUnit(r[9]))])
    # Merge the repeated class cells, as the published standards do: the major class
    # columns over its rows, the minor class columns over its conditions.
    for cols, key in (((1, 2), lambda r: r[0]), ((3, 4), lambda r: (r[0], r[2]))):
        first = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or key(rows[i]) != key(rows[first]):
                if i - first > 1:
                    for col in cols:
                        sheet.merge_cells(start_row=first + 2, start_column=col,
                                          end_row=i + 1, end_column=col)
                        sheet.cell(first + 2, col).alignment = Alignment(vertical="center")
                first = i
    for letter, width in zip("ABCDEFGHI", (9, 12, 9, 14, 22, 22, 36, 30, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(path)
    return len(rows)


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row of the sheet that cannot be applied: its number and one sentence
    (``seatdesk.messages`` key ``key`` with ``values``), rendered when shown."""

    row: int
    key: str
    values: tuple[tuple[str, str], ...] = ()

    def sentence(self) -> str:
        return messages.t(self.key, row=self.row, **dict(self.values))


def read_standard(path: Path) -> list[StandardRow]:
    """Read the sheet, filling merged cells from above; all problems or all rows."""
    out, bad = read_standard_rows(path)
    if bad:
        problems = [f"row {b.row}: {dict(b.values).get('reason', b.key)}" for b in bad]
        raise Problem("standard_bad_rows", path=path.name, problems="; ".join(problems[:10]))
    if not out:
        raise Problem("standard_empty", path=path.name)
    return out


def read_standard_rows(path: Path) -> tuple[list[StandardRow], list[BadRow]]:
    """The sheet's good rows and its bad ones, each bad row with its sentence (the
    preview shows both; ``read_standard`` refuses a sheet with any bad row)."""
    try:
        book = openpyxl.load_workbook(path)
    except Exception as exc:  # openpyxl raises assorted errors for a non-xlsx file
        raise Problem("standard_unreadable", path=path.name, reason=type(exc).__name__) from exc
    sheet = book.worksheets[0]
    merged: dict[tuple[int, int], Any] = {}
    for rng in sheet.merged_cells.ranges:
        value = sheet.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged[(r, c)] = value
    header = [str(sheet.cell(1, c).value or "").strip() for c in range(1, 10)]
    if tuple(header) != HEADERS:
        raise Problem("standard_header", path=path.name, expected="、".join(HEADERS))
    out: list[StandardRow] = []
    bad: list[BadRow] = []
    previous: list[str] = [""] * 9
    for r in range(2, sheet.max_row + 1):
        cells = []
        for c in range(1, 10):
            value = merged.get((r, c), sheet.cell(r, c).value)
            cells.append("" if value is None else str(value).strip())
        if not any(cells):
            continue
        # An empty class cell under a filled one means "same as above" too.
        for c in range(4):
            if not cells[c]:
                cells[c] = previous[c]
        previous = cells
        try:
            amount, unit = parse_limit(cells[8])
        except LimitFormatError as exc:
            bad.append(BadRow(r, "rules.row_limit", (("reason", str(exc)),)))
            continue
        if not cells[6]:
            bad.append(BadRow(r, "rules.row_no_condition", (("reason", "立案条件 is empty"),)))
            continue
        out.append(StandardRow(r, cells[0].zfill(2), cells[2].zfill(4), cells[4], cells[5],
                               cells[6], cells[7], amount, unit, cells[1], cells[3]))
    return out, bad


def apply_rows(session: Session, rows: list[StandardRow], case_type: str) -> ChangeSet:
    """Write ``rows`` through the database's ``seatdesk_apply_standard`` (migration
    0030): one call, every row checked again there, all written or none, each change
    audited and announced as a ``catalogue`` notice."""
    payload = [
        {"row": r.row, "major_code": r.major_code, "minor_code": r.minor_code,
         "description": r.condition, "closing": r.closing, "amount": str(r.amount),
         "unit": r.unit.value, "handling": r.handling, "supervising": r.supervising}
        for r in rows
    ]
    call(session, "SELECT seatdesk_apply_standard(:type, CAST(:rows AS jsonb))",
         {"type": case_type, "rows": json.dumps(payload, ensure_ascii=False)},
         action="standard_import")
    return ChangeSet(entities=frozenset({"standards", "catalogue"}))
