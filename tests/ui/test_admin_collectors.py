"""The collectors' view as an administrator drives it: add a collector, bind grids
chosen in the list, see them on the map, see the coverage (table and map), export the
monthly report — against the real database, with real clicks."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from pytestqt.qtbot import QtBot

import ui.map  # noqa: F401 - QtWebEngine before the QApplication, sandbox off as root
from seatdesk.domain.glossary import Action, Role
from seatdesk.services import collectors
from tests.core.conftest import LOGIN
from tests.ui.conftest import Owner, wait_idle
from tests.ui.driving import type_text
from ui.desk import Desk
from ui.widgets.admin_collectors import HELD_COLOUR, SELECTED_COLOUR, CollectorsView
from ui.widgets.collector_coverage import UNCOVERED_COLOUR

TIMEOUT = 30_000
LOGIN_ADMIN = LOGIN[Role.ADMIN]


@pytest.fixture
def view(qtbot: QtBot, desk_for: Callable[[str], Desk]) -> Iterator[CollectorsView]:
    widget = CollectorsView(desk_for("admin1"))
    widget.resize(1400, 800)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def js(qtbot: QtBot, view: CollectorsView, script: str) -> Any:
    box: list[Any] = []
    view.map.evaluate(f"JSON.stringify({script})", lambda r: box.append(r))
    qtbot.waitUntil(lambda: bool(box), timeout=TIMEOUT)
    return json.loads(box[0])


def _click_row(qtbot: QtBot, table: Any, row: int, modifier: Any = Qt.KeyboardModifier.NoModifier
               ) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, QPoint(rect.center()))


def test_add_a_collector_bind_grids_and_see_coverage(
    qtbot: QtBot, view: CollectorsView, owner: Owner, tmp_path: Path
) -> None:
    wait_idle(qtbot, view._desk.tasks)
    cid = f"UI采集员{uuid.uuid4().hex[:6]}"
    # ---- add a collector
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    type_text(view.id_edit, cid)
    type_text(view.name_edit, "界面测试")
    type_text(view.phone_edit, "13700001234")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(
        view.register.item(r, 0).text() == cid for r in range(view.register.rowCount())),
        timeout=TIMEOUT)
    assert owner.scalar("SELECT phone FROM collectors WHERE collector_id = :c", c=cid) \
        == "13700001234"
    # A bad phone: one sentence, nothing written.
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    type_text(view.id_edit, cid + "x")
    type_text(view.name_edit, "某")
    type_text(view.phone_edit, "call me")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "电话" in view.message.text() or "phone" in view.message.text(),
                    timeout=TIMEOUT)
    assert owner.scalar("SELECT count(*) FROM collectors WHERE collector_id = :c",
                        c=cid + "x") == 0

    # ---- bind the last two grids of the list to them
    view.tabs.setCurrentIndex(1)
    codes = [r[0] for r in owner.as_(LOGIN_ADMIN, lambda s: [
        (b.grid_code,) for b in collectors.grid_bindings(s)])][-2:]
    type_text(view.grid_search, codes[0][:-3])  # their community
    qtbot.waitUntil(lambda: view.grid_table.rowCount() > 0 and all(
        view._code_at(r).startswith(codes[0][:-3]) for r in range(view.grid_table.rowCount())),
        timeout=TIMEOUT)
    rows = {view._code_at(r): r for r in range(view.grid_table.rowCount())}
    _click_row(qtbot, view.grid_table, rows[codes[0]])
    _click_row(qtbot, view.grid_table, rows[codes[1]], Qt.KeyboardModifier.ControlModifier)
    assert sorted(view.selected_grids()) == sorted(codes)
    view.collector_combo.setCurrentIndex(view.collector_combo.findData(cid))
    qtbot.mouseClick(view.bind_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: owner.scalar(
        "SELECT count(*) FROM collector_grids WHERE collector_id = :c AND valid_to IS NULL",
        c=cid) == 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: view.grid_table.item(rows[codes[0]], 3) is not None
                    and view.grid_table.item(rows[codes[0]], 3).text() == "界面测试",
                    timeout=TIMEOUT)
    # One grid chosen: its history says who has held it.
    _click_row(qtbot, view.grid_table, rows[codes[0]])
    qtbot.waitUntil(lambda: "界面测试" in view.history_label.text(), timeout=TIMEOUT)
    # On the map: the collector's grids are filled.
    if not view.map.is_ready():
        with qtbot.waitSignal(view.map.sig_ready, timeout=TIMEOUT):
            pass
    qtbot.waitUntil(lambda: js(qtbot, view, "seatdesk.gridCount()") > 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: js(qtbot, view, "seatdesk.filledCount()") >= 2, timeout=TIMEOUT)
    # The selected grid is orange over the collector's blue; unselected, the blue shows.
    assert js(qtbot, view, f"seatdesk.fillOf({json.dumps(codes[0])})") == SELECTED_COLOUR
    view.grid_table.clearSelection()
    qtbot.waitUntil(lambda: js(qtbot, view, f"seatdesk.fillOf({json.dumps(codes[0])})")
                    == HELD_COLOUR, timeout=TIMEOUT)

    # ---- coverage: the last day, every grid of the county without a visit is red
    view.tabs.setCurrentIndex(view.tabs.indexOf(view.coverage))
    view.coverage.days_spin.setValue(1)
    qtbot.mouseClick(view.coverage.refresh_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, view._desk.tasks)
    uncovered = view.coverage.uncovered()
    assert codes[0] in uncovered  # nobody reported from it in the last day
    table = view.coverage.table
    assert table.rowCount() == len(view.coverage.rows) > 0
    assert table.item(0, 6).text() in {"否", "no"}
    assert table.item(0, 0).foreground().color().name() == UNCOVERED_COLOUR
    assert str(len(uncovered)) in view.coverage.summary.text()
    qtbot.waitUntil(lambda: js(qtbot, view, "seatdesk.filledCount()") == len(uncovered),
                    timeout=TIMEOUT)
    assert js(qtbot, view, f"seatdesk.fillOf({json.dumps(codes[0])})") == UNCOVERED_COLOUR

    # ---- the monthly report, with progress, reopened
    view.tabs.setCurrentIndex(view.tabs.indexOf(view.reports))
    view.reports.period_edit.setText("2026-11")
    out = tmp_path / "collectors.xlsx"
    with qtbot.waitSignal(view.reports.sig_written, timeout=TIMEOUT):
        view.reports.export_to(out)
    book = openpyxl.load_workbook(out)
    ids = [r[0] for r in book.worksheets[0].iter_rows(min_row=4, values_only=True)]
    assert cid in ids
    owner.as_(LOGIN_ADMIN, lambda s: collectors.unbind_grids(s, grids=codes))



def test_the_verify_dialog_names_the_grids_collector(window_for: Any, qtbot: QtBot,
                                                     owner: Owner) -> None:
    from tests.ui.test_dialog_keys import _action_dialog

    cid = f"UI网格员{uuid.uuid4().hex[:6]}"
    window = window_for(Role.ACCEPTOR, listen=False)
    case_id = owner.new_case()
    grid = owner.scalar("SELECT grid_code FROM cases WHERE id = :i", i=case_id)
    owner.as_(LOGIN_ADMIN, lambda s: collectors.save_collector(s, collector_id=cid, name="网格员"))
    owner.as_(LOGIN_ADMIN, lambda s: collectors.bind_grids(s, collector_id=cid, grids=[grid]))
    try:
        dialog, other = _action_dialog(qtbot, window, owner, Action.REQUEST_VERIFY)
        assert owner.scalar("SELECT grid_code FROM cases WHERE id = :i", i=other) == grid
        assert dialog.collector_edit is not None
        qtbot.waitUntil(lambda: dialog.collector_edit.text() == cid, timeout=TIMEOUT)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
        assert owner.scalar("SELECT collector FROM collector_tasks WHERE case_id = :i",
                            i=other) == cid
    finally:
        owner.as_(LOGIN_ADMIN, lambda s: collectors.unbind_grids(s, grids=[grid]))
