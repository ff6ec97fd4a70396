"""The month's assessment ranking (考核排名) as a table model: one row per member of
staff, best first, the bottom's rows on pale red and the ones at the bottom two months
running (末位淘汰) in bold red. A thin adapter over ``RankRow``s the view reads."""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from seatdesk.services.assessment import RankRow
from seatdesk.terms import term

Index = QModelIndex | QPersistentModelIndex
BOTTOM_COLOR = QColor("#f8d7da")
ELIMINATE_COLOR = QColor("#c62828")
# The data role that holds a row's ``RankRow``.
RANK_ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class RankColumn(IntEnum):
    RANK = 0
    KIND = 1
    STAFF = 2
    NAME = 3
    DEDUCTIONS = 4
    ADDITIONS = 5
    SCORE = 6
    BOTTOM = 7
    ELIMINATE = 8


_NUMBERS = {RankColumn.RANK, RankColumn.DEDUCTIONS, RankColumn.ADDITIONS, RankColumn.SCORE}


def number_text(value: Decimal) -> str:
    """97.00 → "97", 1.50 → "1.5" (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def points_text(value: Decimal) -> str:
    """Signed points: "+5", "-2", "0"."""
    return ("+" if value > 0 else "") + number_text(value) if value else "0"


class AssessmentRankingModel(QAbstractTableModel):
    """The ranking rows; ``set_rows`` replaces them all (a month is a few dozen rows)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RankRow] = []

    # ---- Public API

    def set_rows(self, rows: list[RankRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RankRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # ---- Qt overrides

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(RankColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(RankColumn):
            return None
        return {
            RankColumn.RANK: self.tr("Rank"),
            RankColumn.KIND: self.tr("Type"),
            RankColumn.STAFF: self.tr("Staff id"),
            RankColumn.NAME: self.tr("Name"),
            RankColumn.DEDUCTIONS: self.tr("Deductions"),
            RankColumn.ADDITIONS: self.tr("Additions"),
            RankColumn.SCORE: self.tr("Score"),
            RankColumn.BOTTOM: self.tr("Bottom"),
            RankColumn.ELIMINATE: self.tr("Bottom two months"),
        }[RankColumn(section)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(RankColumn):
            return None
        row = self._rows[index.row()]
        column = RankColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == RANK_ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and row.bottom:
            return QBrush(BOTTOM_COLOR)
        if role == Qt.ItemDataRole.ForegroundRole and row.eliminate:
            return QBrush(ELIMINATE_COLOR)
        if role == Qt.ItemDataRole.FontRole and row.eliminate:
            font = QFont()
            font.setBold(True)
            return font
        return None

    # ---- Private

    def _display(self, row: RankRow, column: RankColumn) -> str:
        match column:
            case RankColumn.RANK:
                return str(row.rank)
            case RankColumn.KIND:
                return term(row.kind)
            case RankColumn.STAFF:
                return row.staff_id
            case RankColumn.NAME:
                return row.name
            case RankColumn.DEDUCTIONS:
                return points_text(row.deductions)
            case RankColumn.ADDITIONS:
                return points_text(row.additions)
            case RankColumn.SCORE:
                return number_text(row.score)
            case RankColumn.BOTTOM:
                return self.tr("yes") if row.bottom else ""
            case RankColumn.ELIMINATE:
                return self.tr("Eliminate") if row.eliminate else ""
