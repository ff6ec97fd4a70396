"""A write-only sheet that writes rows of plain values without a Cell per value.

openpyxl's write-only sheet turns every value into a ``WriteOnlyCell`` and writes it
through a nest of lxml ``xf.element`` contexts: about 100,000 cells a second on the
centre's 2-core machines, so the 1,800,000 cells of a 100,000-case list took 16 s of
Python before the database's share (``benchmarks/export.py``). ``plain_row_sheet``
gives a sheet of the same workbook whose rows of plain values (str, int, float, a naive
datetime, None) are written as one ``<row>`` element each, built as text and parsed by
lxml in C: about 2.5 times faster, and the file is the one openpyxl would write (the same
cells, types, inline strings and date style; ``tests/core/test_plain_rows.py`` reads both
back). Any other row (a styled ``WriteOnlyCell``, a bool, a date, a Decimal, a row with
its own height) goes through openpyxl's own path, so headers and styled cells work as
before.

One difference, on purpose: a string that starts with "=" is written as text, never as a
formula (openpyxl would write a formula; ``exports.text_cell`` guards the other sheets).

This leans on two private parts of openpyxl 3.1 (``WriteOnlyWorksheet._write_rows`` and
``Workbook._add_sheet``); pyproject.toml pins openpyxl below 3.2 and the test above
compares the two paths' files.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from datetime import datetime
from typing import Any

from lxml import etree
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: A row of plain values is written as text only up to this many columns (the rest of
#: a wider row takes openpyxl's path).
_MAX_COLUMNS = 256


def plain_row_sheet(workbook: Any, title: str) -> Any:
    """A new write-only sheet ``title`` at the end of the write-only ``workbook``."""
    sheet = _PlainRowSheet(parent=workbook, title=title)
    workbook._add_sheet(sheet)
    return sheet


# ---- Private


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:  # a parser reads a bare carriage return as a line feed
        text = text.replace("\r", "&#13;")
    return text


class _PlainRowSheet(WriteOnlyWorksheet):  # type: ignore[misc]  # openpyxl is untyped
    def _write_rows(self) -> Generator[None, Sequence[Any], None]:
        # openpyxl's own coroutine (3.1), with the fast path in front of its row writer.
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        cell_xml = _cell_writers(self)
        fromstring = etree.fromstring
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    values = yield
                    xml = _row_xml(cell_xml, values, row_idx, self.row_dimensions)
                    if xml is not None:
                        xf.write(fromstring(xml))
                    else:
                        row = self._values_to_row(values, row_idx)
                        self._writer.write_row(xf, row, row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


CellXml = Callable[[str, Any], "str | None"]


def _cell_writers(sheet: Any) -> dict[type, CellXml]:
    """The text of one ``<c>`` per plain type, or None for a value openpyxl must write."""
    workbook = sheet.parent
    epoch = workbook.epoch
    date_style: list[int] = []

    def text(ref: str, value: str) -> str | None:
        if not value:
            return f'<c r="{ref}" t="inlineStr"/>'
        if ILLEGAL_CHARACTERS_RE.search(value):
            return None  # openpyxl raises its IllegalCharacterError
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}" t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'

    def number(ref: str, value: float) -> str | None:
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return f'<c r="{ref}" t="n"><v>{value:.16g}</v></c>'

    def moment(ref: str, value: datetime) -> str | None:
        if value.tzinfo is not None or workbook.iso_dates:
            return None
        if not date_style:
            # The style openpyxl gives a datetime (yyyy-mm-dd h:mm:ss), registered in
            # the workbook when the first one is written, as openpyxl registers it.
            date_style.append(WriteOnlyCell(sheet, value=value).style_id)
        serial = to_excel(value, epoch)
        return f'<c r="{ref}" s="{date_style[0]}" t="n"><v>{serial:.16g}</v></c>'

    return {str: text, int: number, float: number, datetime: moment}


_LETTERS = [get_column_letter(i) for i in range(1, _MAX_COLUMNS + 1)]


def _row_xml(
    cell_xml: dict[type, CellXml], values: Sequence[Any], row_idx: int, dimensions: Any
) -> str | None:
    if (not isinstance(values, (list, tuple)) or len(values) > _MAX_COLUMNS
            or row_idx in dimensions):
        return None
    parts = [f'<row r="{row_idx}">']
    for column, value in enumerate(values):
        if value is None:
            continue
        write = cell_xml.get(type(value))
        if write is None:
            return None
        cell = write(f"{_LETTERS[column]}{row_idx}", value)
        if cell is None:
            return None
        parts.append(cell)
    parts.append("</row>")
    return "".join(parts)
