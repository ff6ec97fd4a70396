"""The time-limit standard as an Excel sheet: export, read back, import, refuse."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell import MergedCell

from seatdesk.db.engine import ServerAddress
from seatdesk.domain.glossary import Role, TimeUnit
from seatdesk.errors import PermissionDenied, Problem
from seatdesk.services import catalogue, standard_preview, standards
from tests.core.conftest import Desk
from tests.core.test_cli import _run, _url


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
        standard_preview.import_standard_file(s, path, "component")
    cat, _ = desk.category()
    second = catalogue.filing_conditions(desk.session, cat)[1]
    assert (second.limit_amount, second.limit_unit) == (Decimal(6), TimeUnit.WORKING_HOURS)
    with desk.as_(Role.DISPATCHER) as s, pytest.raises(PermissionDenied):
        standard_preview.import_standard_file(s, path, "component")


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
    """A minor class outside its major class and an unknown department: neither the good
    change above them nor the new class the sheet also names is written."""
    path = tmp_path / "standard.xlsx"
    standards.export_standard(desk.session, path, "component")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet.cell(3, 9).value = "8工作时"  # a good change above the bad rows
    sheet.unmerge_cells("C2:C5")
    # The first rows of two later classes (a merged cell is "same as above").
    first_rows = [r for r in range(9, sheet.max_row + 1)
                  if not isinstance(sheet.cell(r, 3), MergedCell) and sheet.cell(r, 3).value]
    mismatched, renamed = first_rows[:2]
    sheet.cell(mismatched, 3).value = "0299"  # not a minor class of 01
    sheet.cell(renamed, 3).value = "0198"  # a new class of 01, with its own name
    sheet.cell(renamed, 4).value = "新的小类"
    sheet.cell(8, 5).value = "不存在的单位"
    book.save(path)
    with desk.as_(Role.ADMIN) as s, pytest.raises(Problem) as err:
        standard_preview.import_standard_file(s, path, "component")
    refused = str(err.value)
    assert f"{mismatched} 行" in refused and "0299" in refused, refused
    assert "第 8 行" in refused and "不存在的单位" in refused, refused
    assert "0198" not in refused
    cat, _ = desk.category()
    assert catalogue.filing_conditions(desk.session, cat)[1].limit_amount == Decimal(4)
    assert desk.scalar("SELECT count(*) FROM categories WHERE code = '0198'") == 0


def test_the_command_line_previews_and_refuses_as_the_desk_does(
    desk: Desk, server: ServerAddress, tmp_path: Path
) -> None:
    path = tmp_path / "standard.xlsx"
    standards.export_standard(desk.session, path, "component")
    book = openpyxl.load_workbook(path)
    book.worksheets[0].cell(3, 9).value = "8工作时"
    book.save(path)
    env = {"SEATDESK_DATABASE_URL": _url(server)}
    checked = _run("standards", "import", str(path), "--check", env=env)
    assert checked.returncode == 0, checked.stderr
    assert "would add 0 classes and 0 filing conditions, change 1," in checked.stdout
    assert "0 bad rows. Nothing was written." in checked.stdout
    book.worksheets[0].cell(8, 5).value = "不存在的单位"
    book.save(path)
    refused = _run("standards", "import", str(path), env=env)
    assert refused.returncode == 1
    lines = [ln for ln in refused.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "row 8: the department 不存在的单位 is not known" in lines[0]
    cat, _ = desk.category()
    assert catalogue.filing_conditions(desk.session, cat)[1].limit_amount == Decimal(4)
