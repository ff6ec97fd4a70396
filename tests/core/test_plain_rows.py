"""The plain-row sheet writes the file openpyxl's own write-only sheet writes.

The same rows go through both; the worksheets' XML must be the same, canonical (apart from
the one difference on purpose: "=" text stays text), and the workbooks read back the
same values, types and number formats.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import canonicalize

import openpyxl
import pytest
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import IllegalCharacterError

from seatdesk.services.plain_rows import plain_row_sheet

ROWS: list[list[Any]] = [
    ["A-1", "公众举报", "0101 井盖 缺失", None, 7, 2.5, datetime(2026, 11, 3, 8, 30, 15)],
    ["a & b < c > d", "  leading", "trailing  ", "   ", "", "tab\there", "line\nfeed"],
    ["carriage\rreturn", "quote \" and ' apostrophe", None, None, -3, 0.1 + 0.2, 12345678901234567],
    [None, None, None, None, None, None, None],
    [],
    # Rows openpyxl writes itself: a bool, a date, a Decimal, a nan.
    ["flag", True, False],
    ["day", date(2026, 11, 3)],
    ["amount", Decimal("12.50")],
    ["nan", float("nan"), float("inf")],
    ["wide", *range(300)],
    ["after the fallbacks", datetime(1999, 12, 31, 23, 59, 59), 0, 0.0],
]


def _write(path: Path, *, plain: bool, rows: list[list[Any]]) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = plain_row_sheet(workbook, "案件") if plain else workbook.create_sheet("案件")
    sheet.column_dimensions["A"].width = 20
    sheet.freeze_panes = "A3"
    title = WriteOnlyCell(sheet, value="标题")
    title.font = Font(bold=True)
    sheet.append([title, "未加粗"])
    for row in rows:
        sheet.append(row)
    sheet.auto_filter.ref = f"A2:G{len(rows) + 1}"
    workbook.save(path)


def _sheet_xml(path: Path) -> str:
    """The first sheet's XML, canonical (an empty ``<c/>`` and ``<c></c>`` are one)."""
    with zipfile.ZipFile(path) as z:
        return canonicalize(z.read("xl/worksheets/sheet1.xml").decode())


def _cells(path: Path) -> list[list[tuple[Any, str, str]]]:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    return [[(c.value, c.data_type, c.number_format) for c in row] for row in sheet.iter_rows()]


def test_same_file_as_openpyxl(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    _write(ours, plain=True, rows=ROWS)
    _write(theirs, plain=False, rows=ROWS)
    assert _sheet_xml(ours) == _sheet_xml(theirs)
    cells = _cells(ours)
    assert cells == _cells(theirs)
    assert cells[1][6] == (datetime(2026, 11, 3, 8, 30, 15), "d", "yyyy-mm-dd h:mm:ss")
    assert cells[3][0][0] == "carriage\rreturn"
    assert cells[2][1][0] == "  leading"
    book = openpyxl.load_workbook(ours)
    assert book.worksheets[0].freeze_panes == "A3"
    assert book.worksheets[0]["A1"].font.bold


def test_formula_text_stays_text(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    rows: list[list[Any]] = [["=HYPERLINK(\"http://x\")", "=1+1"]]
    _write(ours, plain=True, rows=rows)
    _write(theirs, plain=False, rows=rows)
    assert [v for v, _, _ in _cells(ours)[1]] == ["=HYPERLINK(\"http://x\")", "=1+1"]
    assert [t for _, t, _ in _cells(ours)[1]] == ["s", "s"]
    assert [t for _, t, _ in _cells(theirs)[1]] == ["f", "f"]


def test_illegal_character_refused_as_openpyxl_does(tmp_path: Path) -> None:
    for plain in (True, False):
        with pytest.raises(IllegalCharacterError):
            _write(tmp_path / f"{plain}.xlsx", plain=plain, rows=[["bell\x07"]])


def test_zoned_datetime_refused_as_openpyxl_does(tmp_path: Path) -> None:
    zoned = datetime(2026, 11, 3, 8, 30).astimezone()
    for plain in (True, False):
        with pytest.raises(TypeError, match="timezones"):
            _write(tmp_path / f"{plain}.xlsx", plain=plain, rows=[["zoned", zoned]])


def test_only_rows_of_other_values_take_openpyxls_path(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    slow: list[int] = []
    original = WriteOnlyWorksheet._values_to_row

    def counted(self: Any, values: Any, row_idx: int) -> Any:
        slow.append(row_idx)
        return original(self, values, row_idx)

    monkeypatch.setattr(WriteOnlyWorksheet, "_values_to_row", counted)
    _write(tmp_path / "ours.xlsx", plain=True, rows=ROWS)
    # The styled title; then the bool, the date, the Decimal, the nan, the 301 columns.
    assert slow == [1, 7, 8, 9, 10, 11]
