"""The time-limit standard as an Excel sheet: export, read back, import, refuse."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from seatdesk.domain.glossary import Role, TimeUnit
from seatdesk.errors import PermissionDenied, Problem
from seatdesk.services import catalogue, standards
from tests.core.conftest import Desk


def test_export_writes_the_published_layout_with_merged_class_cells(
    desk: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "standard.xlsx"
    n = standards.export_standard(desk.session, path, "component")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert tuple(c.value for c in sheet[1]) == standards.HEADERS
    assert sheet.max_row == n + 1
    assert sheet.cell(2, 9).value == "2紧急工作时"  # 上水井盖, missing cover
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "C2:C5" in merged and "A2:A" in " ".join(merged)
    rows = standards.read_standard(path)
    assert len(rows) == n
    assert (rows[1].minor_code, rows[1].amount, rows[1].unit) == (
        "0101", Decimal(4), TimeUnit.WORKING_HOURS)


def test_an_edited_standard_is_imported(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "standard.xlsx"
    standards.export_standard(desk.session, path, "component")
    book = openpyxl.load_workbook(path)
    book.worksheets[0].cell(3, 9).value = "6工作时"
    book.save(path)
    with desk.as_(Role.ADMIN) as s:
        standards.import_standard(s, standards.read_standard(path), "component")
    cat, _ = desk.category()
    second = catalogue.filing_conditions(desk.session, cat)[1]
    assert (second.limit_amount, second.limit_unit) == (Decimal(6), TimeUnit.WORKING_HOURS)
    with desk.as_(Role.DISPATCHER) as s, pytest.raises(PermissionDenied):
        standards.import_standard(s, standards.read_standard(path), "component")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (9, "4小工时", "unknown unit"),
        (9, "-2工作日", "must be positive"),
        (9, "两天", "cannot read"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_read(
    desk: Desk, tmp_path: Path, column: int, value: str, message: str
) -> None:
    path = tmp_path / "standard.xlsx"
    standards.export_standard(desk.session, path, "component")
    book = openpyxl.load_workbook(path)
    book.worksheets[0].cell(7, column).value = value
    book.save(path)
    with pytest.raises(Problem) as err:
        standards.read_standard(path)
    assert "row 7" in str(err.value) and message in str(err.value)


def test_an_unknown_class_or_department_imports_nothing(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "standard.xlsx"
    standards.export_standard(desk.session, path, "component")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet.cell(3, 9).value = "8工作时"  # a good change above the bad rows
    sheet.unmerge_cells("C2:C5")
    sheet.cell(6, 3).value = "0199"
    sheet.cell(8, 5).value = "不存在的单位"
    book.save(path)
    with desk.as_(Role.ADMIN) as s, pytest.raises(Problem) as err:
        standards.import_standard(s, standards.read_standard(path), "component")
    assert "row 6" in str(err.value) and "row 8" in str(err.value)
    cat, _ = desk.category()
    assert catalogue.filing_conditions(desk.session, cat)[1].limit_amount == Decimal(4)
