"""Queue exports: the filtered queue in a workbook, through row-level security,
nothing written when cancelled."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import text

from seatdesk.domain.glossary import Role, State
from seatdesk.progress import Cancelled
from seatdesk.services import exports, queues
from seatdesk.services.exports import export_queue
from seatdesk.services.queues import QueueQuery
from tests.core.conftest import DEPARTMENT, Desk


class Recorder:
    """A progress that records what it is told, and cancels after ``cancel_after``."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.total: int | None = None
        self.done = 0
        self.texts: list[str] = []
        self.cancel_after = cancel_after

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, steps: int = 1) -> None:
        self.done += steps

    def status(self, text: str) -> None:
        self.texts.append(text)

    def cancelled(self) -> bool:
        return self.cancel_after is not None and self.done >= self.cancel_after


def _rows(path):
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def test_a_filtered_queue_is_written_with_chinese_headers_and_its_filters(
    desk: Desk, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(exports, "EXPORT_PAGE", 7)  # several keyset pages
    states = frozenset({State.DISPATCHED, State.HANDLING})
    query = QueueQuery(states=states)
    expected = desk.scalar(
        "SELECT count(*) FROM cases WHERE state IN ('dispatched', 'handling')"
    )
    assert expected > 7
    progress = Recorder()
    with desk.as_(Role.INSPECTOR) as s:
        result = export_queue(s, query, tmp_path / "派遣.xlsx", progress)
    rows = _rows(tmp_path / "派遣.xlsx")
    assert rows[0][0].startswith("筛选条件：") and "已派遣" in rows[0][0]
    assert rows[1][:4] == ["案卷编号", "案卷状态", "时限状态", "环节时限"]
    body = rows[2:]
    assert len(body) == result.rows == expected == progress.total == progress.done
    numbers = {r[0] for r in body}
    db_numbers = set(desk.session.execute(text(
        "SELECT number FROM cases WHERE state IN ('dispatched', 'handling')"
    )).scalars())
    assert numbers == db_numbers
    assert {r[1] for r in body} <= {"已派遣", "处置中"}
    assert all(isinstance(r[3], datetime) or r[3] is None for r in body)
    assert not list(tmp_path.glob(".*.part"))


def test_a_department_exports_only_its_own_cases(desk: Desk, tmp_path) -> None:
    with desk.as_(Role.DEPARTMENT) as s:
        result = export_queue(s, QueueQuery(include_closed=True), tmp_path / "dept.xlsx")
    own = desk.scalar("SELECT count(*) FROM cases WHERE current_department = :d",
                      d=DEPARTMENT)
    everything = desk.scalar("SELECT count(*) FROM cases")
    body = _rows(tmp_path / "dept.xlsx")[2:]
    assert len(body) == result.rows == own < everything


def test_cancel_leaves_no_file_and_keeps_an_older_one(desk: Desk, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(exports, "EXPORT_PAGE", 5)
    target = tmp_path / "queue.xlsx"
    target.write_bytes(b"older")
    with desk.as_(Role.INSPECTOR) as s, pytest.raises(Cancelled):
        export_queue(s, QueueQuery(include_closed=True), target, Recorder(cancel_after=10))
    assert target.read_bytes() == b"older"
    assert list(tmp_path.iterdir()) == [target]


def test_the_filter_line_names_every_filter(desk: Desk) -> None:
    category = desk.category()[0]
    query = QueueQuery(role=Role.DISPATCHER, category_id=category, grid_code="330326001001001",
                       department=DEPARTMENT, text="井盖")
    with desk.as_(Role.INSPECTOR) as s:
        line = exports.describe_filters(s, query)
        assert queues.count_matching(s, QueueQuery(text="no such text at all")) == 0
    for part in ("派遣员队列", "问题类别 0101", "单元网格 330326001001001", "处置部门",
                 "关键字“井盖”"):
        assert part in line
