"""Complaint exports (migration 0014): masked for every seat, the real name and phone
only for a monitor or an admin who asks, each read audited (and committed before it is
read, migration 0019); the written .xlsx and .csv opened again."""

from __future__ import annotations

import csv
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, text

from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import ComplaintState, Role
from seatdesk.errors import PermissionDenied
from seatdesk.progress import Cancelled
from seatdesk.services import complaints, exports
from seatdesk.services.complaints import ComplaintId
from tests.core.conftest import LOGIN, Desk
from tests.core.test_complaints import CALL, _get, _new
from tests.core.test_exports import Recorder


def _xlsx(path: Path) -> list[list[Any]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _by_number(rows: list[list[Any]], number: str) -> list[Any]:
    (row,) = [r for r in rows if r and r[0] == number]
    return row


def _reads(desk: Desk, complaint_id: ComplaintId) -> int:
    return int(desk.scalar(
        "SELECT count(*) FROM personal_data_reads WHERE complaint_id = :i", i=complaint_id))


@pytest.mark.parametrize("name", ["投诉.xlsx", "投诉.csv"])
@pytest.mark.parametrize("role", [Role.ACCEPTOR, Role.INSPECTOR, Role.MONITOR, Role.ADMIN])
def test_every_seat_exports_the_complainants_masked(
    desk: Desk, tmp_path: Path, role: Role, name: str
) -> None:
    complaint_id = _new(desk)
    number = _get(desk, complaint_id).number
    progress = Recorder()
    with desk.as_(role) as s:
        result = exports.export_complaints(s, tmp_path / name, progress)
    rows = _xlsx(result.path) if name.endswith(".xlsx") else _csv(result.path)
    assert "脱敏" in rows[0][0]
    assert rows[1][:5] == ["投诉编号", "投诉渠道", "受理时间", "投诉人", "联系电话"]
    row = _by_number(rows, number)
    assert row[3:5] == ["王**", "138****5678"]
    assert "王小明" not in str(rows) and "13812345678" not in str(rows)
    assert result.rows == progress.total == progress.done == len(rows) - 2
    assert _reads(desk, complaint_id) == 0


def _committed_complaint(engine: Engine, **fields: Any) -> tuple[ComplaintId, str]:
    """A complaint committed by ``engine``'s monitor: a reveal reads only committed data
    (migration 0019)."""
    with session_factory(engine).begin() as s:
        complaint_id, _ = complaints.create_complaint(s, replace(CALL, **fields))
        found = complaints.get_complaint(s, complaint_id)
    assert found is not None
    return complaint_id, found.number


@pytest.mark.parametrize("name", ["投诉.xlsx", "投诉.csv"])
def test_a_monitor_exports_the_contacts_and_each_read_is_audited(
    fresh_monitor: Engine, owner_engine: Engine, tmp_path: Path, name: str
) -> None:
    phone = "139" + str(uuid.uuid4().int)[:8]
    complaint_id, number = _committed_complaint(fresh_monitor, complainant_phone=phone)
    sessions = session_factory(fresh_monitor)
    with sessions.begin() as s:
        result = exports.export_complaints(s, tmp_path / name, reveal_purpose="月度回访名单",
                                           states=[ComplaintState.NEW],
                                           reveal_with=sessions.begin)
    rows = _xlsx(result.path) if name.endswith(".xlsx") else _csv(result.path)
    assert "月度回访名单" in rows[0][0]
    assert _by_number(rows, number)[3:5] == ["王小明", phone]
    with owner_engine.connect() as conn:
        purposes = conn.execute(text(
            "SELECT r.purpose FROM personal_data_reads r JOIN personal_data_requests q "
            "ON q.id = r.request_id WHERE r.complaint_id = :i"),
            {"i": complaint_id}).scalars().all()
    assert purposes == ["月度回访名单"]


def test_another_seat_asking_for_the_contacts_gets_no_file(
    desk: Desk, tmp_path: Path, server: ServerAddress, seeded: DemoResult
) -> None:
    complaint_id = _new(desk)
    login = LOGIN[Role.INSPECTOR]
    engine = connect(server.for_login(login, seeded.passwords[login]))
    try:
        with desk.as_(Role.INSPECTOR) as s, pytest.raises(PermissionDenied):
            exports.export_complaints(s, tmp_path / "x.xlsx", reveal_purpose="统计",
                                      reveal_with=session_factory(engine).begin)
    finally:
        engine.dispose()
    assert list(tmp_path.iterdir()) == []
    assert _reads(desk, complaint_id) == 0


def test_a_formula_in_a_complaint_stays_text(desk: Desk, tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example","点我")'
    complaint_id = _new(desk, content=formula, address="-1+1")
    number = _get(desk, complaint_id).number
    with desk.as_(Role.ACCEPTOR) as s:
        exports.export_complaints(s, tmp_path / "a.csv")
        exports.export_complaints(s, tmp_path / "a.xlsx")
    row = _by_number(_csv(tmp_path / "a.csv"), number)
    assert (row[5], row[6]) == ("'" + formula, "'-1+1")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    cells = next(r for r in book.worksheets[0].iter_rows() if r[0].value == number)
    assert cells[5].value == formula and cells[5].data_type == "s"
    book.close()


def test_a_cancelled_export_leaves_no_file(
    fresh_monitor: Engine, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(exports, "EXPORT_PAGE", 1)
    for i in range(3):
        _committed_complaint(fresh_monitor, content=f"第{i}件")
    sessions = session_factory(fresh_monitor)
    with sessions.begin() as s, pytest.raises(Cancelled):
        exports.export_complaints(s, tmp_path / "c.csv", Recorder(cancel_after=1),
                                  reveal_purpose="回访", reveal_with=sessions.begin)
    assert list(tmp_path.iterdir()) == []
