"""The queue panel's Excel tool: the current queue with its filters, through a LongOp,
read back with openpyxl; a cancelled export leaves no file."""

from __future__ import annotations

import threading

import openpyxl
from PySide6.QtWidgets import QFileDialog

from seatdesk.domain.glossary import Role
from seatdesk.services import exports
from tests.ui.conftest import Owner, wait_idle
from ui.panels.dispatcher_panel import FOLLOWED

DEPARTMENT = "SZ"


def _filtered_queue(qtbot, window):
    panel = window.show_panel(Role.DISPATCHER)
    queue = panel.show_queue("dispatched")
    combo = queue.department_filter
    combo.setCurrentIndex(combo.findData(DEPARTMENT))
    qtbot.waitUntil(lambda: queue.model.query().department == DEPARTMENT, timeout=5_000)
    return panel, queue


def test_the_tool_exports_the_filtered_queue(window_for, qtbot, owner: Owner, tmp_path,
                                              monkeypatch):
    window = window_for(Role.DISPATCHER, listen=False)
    panel, _queue = _filtered_queue(qtbot, window)
    target = tmp_path / "已派遣"  # the tool adds .xlsx
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    monkeypatch.setattr(exports, "EXPORT_PAGE", 4)  # several keyset pages
    with qtbot.waitSignal(panel.sig_exported, timeout=20_000) as done:
        panel.export_action.trigger()
    result = done.args[0]
    path = tmp_path / "已派遣.xlsx"
    assert result.path == path
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    expected = owner.scalar(
        "SELECT count(*) FROM cases WHERE state = ANY(:s) AND current_department = :d",
        s=[s.value for s in FOLLOWED], d=DEPARTMENT,
    )
    department = owner.scalar("SELECT name FROM departments WHERE code = :d", d=DEPARTMENT)
    assert expected > 4
    assert rows[0][0].startswith("筛选条件：") and f"处置部门 {department}" in rows[0][0]
    assert rows[1][0] == "案卷编号" and rows[1][7] == "处置部门"
    body = rows[2:]
    assert len(body) == result.rows == expected
    assert {r[7] for r in body} == {department}
    with owner.engine.connect() as conn:
        numbers = set(conn.exec_driver_sql(
            "SELECT number FROM cases WHERE state = ANY(%(s)s) AND current_department = %(d)s",
            {"s": [s.value for s in FOLLOWED], "d": DEPARTMENT},
        ).scalars())
    assert {r[0] for r in body} == numbers
    message = window.statusBar().currentMessage()
    assert str(expected) in message and str(path) in message


def test_a_cancelled_export_leaves_no_file(window_for, qtbot, tmp_path, monkeypatch):
    window = window_for(Role.DISPATCHER, listen=False)
    panel, _queue = _filtered_queue(qtbot, window)
    cancelled = threading.Event()
    describe = exports.describe_filters

    def after_cancel(session, query):
        cancelled.wait(10)  # the work goes on only once the person has cancelled
        return describe(session, query)

    monkeypatch.setattr(exports, "describe_filters", after_cancel)
    exported: list[object] = []
    panel.sig_exported.connect(exported.append)
    op = panel.export_queue(tmp_path / "queue.xlsx")
    op.progress.cancel()  # what the Cancel button does (clicked in test_long_op)
    cancelled.set()
    wait_idle(qtbot, window._desk.tasks)
    assert not exported
    assert list(tmp_path.iterdir()) == []
